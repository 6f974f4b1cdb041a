using System.IO.Hashing;
using System.Text;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// One line of a file held in memory, for the diffs of a fix: a slice of the file's bytes, compared byte for byte
/// (after a hash, so most unequal lines differ at once) and decoded only when it is shown. The diffs used to decode
/// every line of both files into strings: about ten times the file in memory for a 100 MB session.
/// </summary>
public readonly struct LineSlice : IEquatable<LineSlice>
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly int _hash;

    /// <summary>Initializes a new instance of the <see cref="LineSlice"/> struct.</summary>
    /// <param name="bytes">The line's bytes (a slice of a file that does not change afterwards).</param>
    public LineSlice(ReadOnlyMemory<byte> bytes)
    {
        _bytes = bytes;
        _hash = unchecked((int)XxHash3.HashToUInt64(bytes.Span));
    }

    /// <summary>
    /// The lines of a file without their line ends (every CR before a newline, too) and without a BOM, split as
    /// <see cref="LineDocument"/> splits them: what <c>fix --diff</c> compares and shows.
    /// </summary>
    /// <param name="file">The file's bytes (not changed afterwards).</param>
    /// <returns>One slice per line.</returns>
    public static List<LineSlice> LinesOf(byte[] file)
    {
        var lines = LineDocument.Parse(file).Lines;
        var result = new List<LineSlice>(lines.Count);
        foreach (var line in lines)
        {
            var shown = line.Shown;
            result.Add(new LineSlice(shown[..(shown.Span.LastIndexOfAnyExcept((byte)'\r') + 1)]));
        }

        if (lines.Count > 0 && lines[^1].Terminator == Model.LineTerminator.None && result[^1].Bytes.IsEmpty)
        {
            result.RemoveAt(result.Count - 1); // only CRs after the last newline: not a line
        }

        return result;
    }

    /// <summary>Gets the line's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.Span;

    /// <summary>Gets the line decoded (invalid UTF-8 as U+FFFD), made on each read.</summary>
    public string Text => Encoding.UTF8.GetString(_bytes.Span);

    public static bool operator ==(LineSlice left, LineSlice right) => left.Equals(right);

    public static bool operator !=(LineSlice left, LineSlice right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(LineSlice other) => _hash == other._hash && _bytes.Span.SequenceEqual(other._bytes.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LineSlice other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    /// <inheritdoc/>
    public override string ToString() => Text;
}
