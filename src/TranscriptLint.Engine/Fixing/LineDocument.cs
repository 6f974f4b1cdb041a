using System.Text;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Fixing;

/// <summary>One line of a transcript being diffed: its bytes before the newline (no BOM) and how it ended.</summary>
/// <param name="Shown">The bytes before the newline, a CRLF line's CR included, as a unified diff shows the line: a
/// slice of the file's bytes (never copied, so a huge line costs nothing more).</param>
/// <param name="Terminator">The line ending.</param>
internal readonly record struct DocLine(ReadOnlyMemory<byte> Shown, LineTerminator Terminator);

/// <summary>
/// A transcript in memory split into lines exactly the way <see cref="Reading.LineReader"/> numbers them, for the
/// diff of a fix: the BOM, each line's own ending (LF or CRLF) and the presence or absence of the final newline are
/// kept. (The fixer itself splits lines with <see cref="SourceLines"/>, which reads a file by offset.)
/// </summary>
internal sealed class LineDocument
{

    public LineDocument(bool hasBom, List<DocLine> lines)
    {
        HasBom = hasBom;
        Lines = lines;
    }

    public bool HasBom { get; }

    public List<DocLine> Lines { get; }

    /// <summary>The ending written on inserted lines: the file's first line ending, LF when it has none.</summary>
    public LineTerminator Newline =>
        Lines.Select(l => l.Terminator).FirstOrDefault(t => t != LineTerminator.None) is var t && t != LineTerminator.None ? t : LineTerminator.LineFeed;

    /// <summary>Splits the file into lines that are slices of <paramref name="bytes"/> (which must not change afterwards).</summary>
    public static LineDocument Parse(ReadOnlyMemory<byte> bytes)
    {
        var hasBom = bytes.Span.StartsWith(Encoding.UTF8.Preamble);
        if (hasBom)
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }

        var lines = new List<DocLine>();
        while (!bytes.IsEmpty)
        {
            var nl = bytes.Span.IndexOf((byte)'\n');
            if (nl < 0)
            {
                lines.Add(new DocLine(bytes, LineTerminator.None));
                break;
            }

            var crlf = nl > 0 && bytes.Span[nl - 1] == (byte)'\r';
            lines.Add(new DocLine(bytes[..nl], crlf ? LineTerminator.CarriageReturnLineFeed : LineTerminator.LineFeed));
            bytes = bytes[(nl + 1)..];
        }

        return new LineDocument(hasBom, lines);
    }

    public static ReadOnlySpan<byte> TerminatorBytes(LineTerminator terminator) => terminator switch
    {
        LineTerminator.LineFeed => "\n"u8,
        LineTerminator.CarriageReturnLineFeed => "\r\n"u8,
        _ => [],
    };
}
