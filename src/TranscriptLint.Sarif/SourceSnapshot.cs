using System.Text;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Model;

namespace TranscriptLint.Sarif;

/// <summary>One line of the original file, in SARIF text coordinates (UTF-16 code units, BOM excluded).</summary>
/// <param name="Number">1-based line number.</param>
/// <param name="CharStart">0-based character offset of the line's first character; -1 when unknown (after a line too long to read).</param>
/// <param name="Text">The content without terminator; null for a line too long to keep.</param>
/// <param name="Bytes">The content bytes; empty for a line too long to keep.</param>
/// <param name="Terminator">"\n", "\r\n" or "" (last line without newline).</param>
internal sealed record SourceLine(int Number, long CharStart, string? Text, byte[] Bytes, string Terminator)
{
    public int CharLength => Text?.Length ?? -1;

    public long CharEnd => CharStart < 0 || Text is null ? -1 : CharStart + Text.Length;

    public long NextLineStart => CharEnd < 0 ? -1 : CharEnd + Terminator.Length;
}

/// <summary>
/// The lines of an original transcript that SARIF output needs (lines with fixes or unnamed findings and their
/// neighbours), read with the engine's own line reader so offsets match what was linted. Streams the file; keeps
/// only the lines asked for.
/// </summary>
internal sealed class SourceSnapshot
{
    private readonly Dictionary<int, SourceLine> _lines;

    private SourceSnapshot(Dictionary<int, SourceLine> lines, int lineCount, string sha256, long charLength)
    {
        _lines = lines;
        LineCount = lineCount;
        Sha256 = sha256;
        CharLength = charLength;
    }

    public int LineCount { get; }

    public string Sha256 { get; }

    /// <summary>The text length in UTF-16 code units; -1 when a line was too long to count.</summary>
    public long CharLength { get; }

    public SourceLine? Line(int number) => _lines.GetValueOrDefault(number);

    public static SourceSnapshot Read(Stream stream, ISet<int> wanted)
    {
        var lines = new Dictionary<int, SourceLine>();
        long chars = 0;
        var count = 0;
        using var reader = new LineReader(stream);
        while (reader.TryReadLine(out var raw))
        {
            var t = raw.Line;
            count = t.Number;
            var tooLong = raw.Flags.HasFlag(LineFlags.TooLong);
            var terminator = t.Terminator switch
            {
                LineTerminator.LineFeed => "\n",
                LineTerminator.CarriageReturnLineFeed => "\r\n",
                _ => "",
            };
            if (wanted.Contains(t.Number))
            {
                lines[t.Number] = tooLong
                    ? new SourceLine(t.Number, chars, null, [], terminator)
                    : new SourceLine(t.Number, chars, Encoding.UTF8.GetString(raw.Bytes.Span), raw.Bytes.ToArray(), terminator);
            }

            chars = chars < 0 || tooLong ? -1 : chars + t.CharLength + terminator.Length;
        }

        return new SourceSnapshot(lines, count, reader.Sha256 ?? "", chars);
    }
}
