using System.Text;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Fixing;

/// <summary>Where one physical line sits in the file.</summary>
/// <param name="Offset">Byte offset of its content (the BOM counted).</param>
/// <param name="Length">Content bytes (no terminator).</param>
/// <param name="Terminator">How it ends.</param>
/// <param name="Chars">Content length in UTF-16 code units; -1 when unknown (a line too long to read).</param>
internal readonly record struct LineSpan(long Offset, int Length, LineTerminator Terminator, int Chars)
{
    public long ContentEnd => Offset + Length;

    public long Next => ContentEnd + TerminatorLength(Terminator);

    public static int TerminatorLength(LineTerminator t) => t switch
    {
        LineTerminator.LineFeed => 1,
        LineTerminator.CarriageReturnLineFeed => 2,
        _ => 0,
    };
}

/// <summary>
/// The lines of a JSON Lines transcript as the renderer needs them: positions from a compact index, content
/// read on demand (the lint streams the file and keeps only the index; the fixer has the bytes in memory), and
/// the mapping of byte positions to SARIF text coordinates.
/// </summary>
internal sealed class SourceLines
{
    private readonly IReadOnlyList<LineSpan> _lines;
    private readonly Func<long, int, byte[]> _read;
    private readonly Dictionary<int, byte[]> _cache = [];
    private long[]? _charStarts;

    public SourceLines(IReadOnlyList<LineSpan> lines, int bomLength, Func<long, int, byte[]> read)
    {
        _lines = lines;
        BomLength = bomLength;
        _read = read;
    }

    public int Count => _lines.Count;

    public int BomLength { get; }

    /// <summary>The ending written after inserted lines: the file's first line ending, LF when it has none.</summary>
    public LineTerminator Newline => _lines.Select(l => l.Terminator).FirstOrDefault(t => t != LineTerminator.None) is var t && t != LineTerminator.None ? t : LineTerminator.LineFeed;

    public LineSpan Span(int line) => _lines[line - 1];

    public byte[] Content(int line)
    {
        if (!_cache.TryGetValue(line, out var bytes))
        {
            var span = _lines[line - 1];
            _cache[line] = bytes = _read(span.Offset, span.Length);
        }

        return bytes;
    }

    /// <summary>Splits bytes held in memory into lines exactly as <see cref="Reading.LineReader"/> numbers them.</summary>
    public static SourceLines Of(byte[] bytes)
    {
        var bom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var lines = new List<LineSpan>();
        var at = bom;
        while (at < bytes.Length)
        {
            var nl = bytes.AsSpan(at).IndexOf((byte)'\n');
            if (nl < 0)
            {
                lines.Add(new LineSpan(at, bytes.Length - at, LineTerminator.None, Encoding.UTF8.GetCharCount(bytes, at, bytes.Length - at)));
                break;
            }

            var crlf = nl > 0 && bytes[at + nl - 1] == (byte)'\r';
            var length = crlf ? nl - 1 : nl;
            lines.Add(new LineSpan(at, length, crlf ? LineTerminator.CarriageReturnLineFeed : LineTerminator.LineFeed, Encoding.UTF8.GetCharCount(bytes, at, length)));
            at += nl + 1;
        }

        return new SourceLines(lines, bom, (offset, length) => bytes.AsSpan((int)offset, length).ToArray());
    }

    /// <summary>The 1-based line holding byte <paramref name="offset"/>; a line's terminator belongs to it, and the end of the file to a line past the last.</summary>
    public int LineOf(long offset)
    {
        int lo = 0, hi = _lines.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (offset < _lines[mid].Offset)
            {
                hi = mid - 1;
            }
            else if (offset >= _lines[mid].Next && !(mid == _lines.Count - 1 && _lines[mid].Terminator == LineTerminator.None && offset == _lines[mid].Next))
            {
                lo = mid + 1;
            }
            else
            {
                return mid + 1;
            }
        }

        return lo + 1;
    }

    /// <summary>The SARIF position (line, column, character offset) of a byte offset; the offset is -1 when unknown.</summary>
    public (int Line, int Column, long CharOffset) Position(long offset)
    {
        var line = LineOf(offset);
        var starts = CharStarts();
        if (line > _lines.Count)
        {
            return (line, 1, starts[_lines.Count]);
        }

        var span = _lines[line - 1];
        var within = (int)Math.Clamp(offset - span.Offset, 0, span.Length);
        var column = Encoding.UTF8.GetCharCount(Content(line).AsSpan(0, within)) + 1;
        return (line, column, starts[line - 1] < 0 ? -1 : starts[line - 1] + column - 1);
    }

    // The character offset of each line's start (and of the end of the file); -1 from the first line of unknown length on.
    private long[] CharStarts()
    {
        if (_charStarts is null)
        {
            var starts = new long[_lines.Count + 1];
            long chars = 0;
            for (var i = 0; i < _lines.Count; i++)
            {
                starts[i] = chars;
                chars = chars < 0 || _lines[i].Chars < 0 ? -1 : chars + _lines[i].Chars + LineSpan.TerminatorLength(_lines[i].Terminator);
            }

            starts[_lines.Count] = chars;
            _charStarts = starts;
        }

        return _charStarts;
    }
}
