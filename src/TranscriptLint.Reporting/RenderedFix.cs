namespace TranscriptLint.Reporting;

/// <summary>
/// One replacement in the ORIGINAL file, in two coordinate systems: bytes (what the fixer splices) and text
/// (UTF-16 code units with the BOM excluded, 1-based lines and columns: what SARIF's <c>deletedRegion</c> says).
/// </summary>
/// <param name="ByteOffset">0-based offset of the first replaced byte, counting the BOM.</param>
/// <param name="ByteLength">Replaced bytes; 0 for an insertion.</param>
/// <param name="Inserted">The new text (UTF-8 when written).</param>
/// <param name="CharOffset">0-based UTF-16 offset of the first replaced character, BOM excluded; -1 when unknown (after a line too long to read).</param>
/// <param name="CharLength">Replaced UTF-16 code units.</param>
/// <param name="StartLine">Line of the first replaced character.</param>
/// <param name="StartColumn">Its 1-based UTF-16 column.</param>
/// <param name="EndLine">Line of the end of the replaced range.</param>
/// <param name="EndColumn">Column just past it.</param>
public sealed record TextEdit(long ByteOffset, long ByteLength, string Inserted, long CharOffset, long CharLength, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>The byte just past the replaced range.</summary>
    public long ByteEnd => ByteOffset + ByteLength;

    /// <summary>Whether the text coordinates are known (a SARIF replacement can be written).</summary>
    public bool HasTextRegion => CharOffset >= 0 && CharLength >= 0;

    /// <summary>
    /// The edit lies in the byte order mark, before the first character SARIF counts (removing the mark): it has no
    /// text region, and SARIF's replacement names its bytes (<c>byteOffset</c>, <c>byteLength</c>) instead.
    /// </summary>
    public bool BeforeText { get; init; }
}

/// <summary>
/// A fix rendered by its dialect: the edits, sorted and disjoint, that turn the file as linted into the fixed
/// file; or the reason it cannot be written into this file.
/// </summary>
/// <param name="Edits">The edits in file order; empty when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why the fix cannot be rendered, or null.</param>
public sealed record RenderedFix(IReadOnlyList<TextEdit> Edits, string? Problem = null)
{
    /// <summary>A fix that cannot be rendered.</summary>
    /// <param name="problem">One line saying why.</param>
    /// <returns>The unrenderable fix.</returns>
    public static RenderedFix Unrenderable(string problem) => new([], problem);

    /// <summary>Whether the fix has edits to apply.</summary>
    public bool IsRendered => Problem is null && Edits.Count > 0;

    /// <summary>Applies sorted, disjoint edits (of one fix or of several) to the bytes they were rendered against.</summary>
    /// <param name="original">The file as linted.</param>
    /// <param name="edits">The edits, in any order; they must not overlap.</param>
    /// <returns>The new bytes.</returns>
    public static byte[] Apply(ReadOnlySpan<byte> original, IEnumerable<TextEdit> edits)
    {
        // One array of the final size: a 1 GB transcript is copied once, never grown or copied twice.
        var ordered = InFileOrder(edits, original.Length);
        var size = (long)original.Length;
        foreach (var (e, bytes) in ordered)
        {
            size += bytes.Length - e.ByteLength;
        }

        var output = new byte[size];
        var written = 0;
        var at = 0L;
        foreach (var (e, bytes) in ordered)
        {
            original[(int)at..(int)e.ByteOffset].CopyTo(output.AsSpan(written));
            written += (int)(e.ByteOffset - at);
            bytes.CopyTo(output.AsSpan(written));
            written += bytes.Length;
            at = e.ByteEnd;
        }

        original[(int)at..].CopyTo(output.AsSpan(written));
        return output;
    }

    /// <summary>
    /// Edits in file order (by offset, an insertion before a replacement at the same place) with their new text as UTF-8,
    /// checked to be disjoint and inside the file: what every way of applying them starts from.
    /// </summary>
    /// <param name="edits">The edits, in any order.</param>
    /// <param name="fileLength">The length of the bytes they were rendered against.</param>
    /// <returns>The edits and their bytes, in order.</returns>
    /// <exception cref="ArgumentException">Two edits overlap or one lies outside the file.</exception>
    public static List<(TextEdit Edit, byte[] Bytes)> InFileOrder(IEnumerable<TextEdit> edits, long fileLength)
    {
        var ordered = edits.OrderBy(e => e.ByteOffset).ThenBy(e => e.ByteLength).Select(e => (Edit: e, Bytes: System.Text.Encoding.UTF8.GetBytes(e.Inserted))).ToList();
        var at = 0L;
        foreach (var (e, _) in ordered)
        {
            if (e.ByteOffset < at || e.ByteEnd > fileLength)
            {
                throw new ArgumentException($"edit at byte {e.ByteOffset} overlaps another or lies outside the file", nameof(edits));
            }

            at = e.ByteEnd;
        }

        return ordered;
    }
}
