using TranscriptLint.Model;

namespace TranscriptLint;

/// <summary>
/// Where a finding is: the file, a 1-based line and column range (columns in UTF-16 code units, end
/// exclusive), and when known the entry's uuid and a JSON pointer inside the line.
/// </summary>
public sealed record Location
{
    /// <summary>The file path as given to the linter.</summary>
    public required string Path { get; init; }

    /// <summary>1-based first line.</summary>
    public required int StartLine { get; init; }

    /// <summary>1-based first column.</summary>
    public int StartColumn { get; init; } = 1;

    /// <summary>1-based last line.</summary>
    public required int EndLine { get; init; }

    /// <summary>1-based column just past the end; 0 means "end of the line", resolved by the host.</summary>
    public int EndColumn { get; init; }

    /// <summary>The uuid of the entry the finding is about.</summary>
    public string? EntryUuid { get; init; }

    /// <summary>RFC 6901 pointer to the value inside the line, e.g. <c>/message/content/0</c>.</summary>
    public string? JsonPointer { get; init; }

    /// <summary>A location covering a whole entry, or one value in it when <paramref name="jsonPointer"/> is given.</summary>
    /// <param name="path">The transcript path.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="jsonPointer">Optional pointer to a value in the entry.</param>
    /// <returns>The location; the host narrows the columns to the pointed value.</returns>
    public static Location Of(string path, Entry entry, string? jsonPointer = null) => new()
    {
        Path = path,
        StartLine = entry.Line.Number,
        EndLine = entry.Line.Number,
        EntryUuid = entry.Uuid,
        JsonPointer = jsonPointer,
    };

    /// <summary>A location covering a whole physical line, or from a column to its end.</summary>
    /// <param name="path">The transcript path.</param>
    /// <param name="line">The line.</param>
    /// <param name="startColumn">1-based first column.</param>
    /// <returns>The location.</returns>
    public static Location OfLine(string path, TranscriptLine line, int startColumn = 1) => new()
    {
        Path = path,
        StartLine = line.Number,
        EndLine = line.Number,
        StartColumn = Math.Max(1, startColumn),
        EndColumn = line.CharLength + 1,
    };
}
