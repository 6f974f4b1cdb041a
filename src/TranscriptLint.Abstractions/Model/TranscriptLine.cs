namespace TranscriptLint.Model;

/// <summary>How a physical line ended in the file.</summary>
public enum LineTerminator
{
    /// <summary>The last line of a file with no final newline.</summary>
    None = 0,

    /// <summary><c>\n</c>.</summary>
    LineFeed = 1,

    /// <summary><c>\r\n</c>.</summary>
    CarriageReturnLineFeed = 2,
}

/// <summary>
/// The position of one physical line in a transcript file. Numbers are 1-based; offsets are bytes from the
/// start of the file (a BOM included), so a line can be re-read or rewritten exactly.
/// </summary>
/// <param name="Number">1-based line number.</param>
/// <param name="ByteOffset">Offset of the first byte of the line's content.</param>
/// <param name="ContentLength">Length of the content in bytes, without the terminator (and without a leading BOM).</param>
/// <param name="Terminator">How the line ended.</param>
/// <param name="CharLength">Length of the content in UTF-16 code units, as SARIF columns count; 0 for a line too long to be read.</param>
// Auto layout puts the 8-byte offset first: 24 bytes instead of 32 in every entry the index keeps.
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct TranscriptLine(int Number, long ByteOffset, int ContentLength, LineTerminator Terminator, int CharLength);

/// <summary>Facts the reader noticed about a line's bytes; rules of the TL1xxx family report them.</summary>
[Flags]
public enum LineFlags
{
    /// <summary>Nothing unusual.</summary>
    None = 0,

    /// <summary>The line starts with a UTF-8 byte order mark (first line only).</summary>
    ByteOrderMark = 1,

    /// <summary>The line contains one or more NUL bytes.</summary>
    ContainsNul = 2,

    /// <summary>The line is not valid UTF-8.</summary>
    InvalidUtf8 = 4,

    /// <summary>The line is longer than the reader's limit and was not parsed.</summary>
    TooLong = 8,
}
