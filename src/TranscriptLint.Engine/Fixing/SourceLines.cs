using System.Text;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Fixing;

/// <summary>Where one physical line sits in the file.</summary>
/// <remarks>
/// A lint keeps one for every line of the file, so it is 16 bytes, not 24: the terminator (two bits) is kept in the
/// top bits of the offset, which no file reaches.
/// </remarks>
internal readonly record struct LineSpan
{
    private const int TerminatorShift = 62;
    private const long OffsetMask = (1L << TerminatorShift) - 1;
    private readonly long _offsetAndTerminator;

    /// <summary>Describes a line.</summary>
    /// <param name="offset">Byte offset of its content (the BOM counted).</param>
    /// <param name="length">Content bytes (no terminator).</param>
    /// <param name="terminator">How it ends.</param>
    /// <param name="chars">Content length in UTF-16 code units; -1 when unknown (a line too long to read).</param>
    public LineSpan(long offset, int length, LineTerminator terminator, int chars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, OffsetMask);
        _offsetAndTerminator = offset | ((long)terminator << TerminatorShift);
        Length = length;
        Chars = chars;
    }

    /// <summary>Byte offset of its content (the BOM counted).</summary>
    public long Offset => _offsetAndTerminator & OffsetMask;

    /// <summary>Content bytes (no terminator).</summary>
    public int Length { get; }

    /// <summary>How it ends.</summary>
    public LineTerminator Terminator => (LineTerminator)(_offsetAndTerminator >>> TerminatorShift);

    /// <summary>Content length in UTF-16 code units; -1 when unknown (a line too long to read).</summary>
    public int Chars { get; }

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
/// read on demand (the lint streams the file and keeps only the index; the fixer reads its source by offset), and
/// the mapping of byte positions to SARIF text coordinates.
/// </summary>
internal sealed class SourceLines
{
    private readonly IReadOnlyList<LineSpan> _lines;
    private readonly Func<long, int, byte[]> _read;
    private readonly FixSource? _source;
    private readonly LineBytesCache _cache = new(); // for the fixes and fingerprints that ask for a line again
    private long[]? _charStarts;

    public SourceLines(IReadOnlyList<LineSpan> lines, int bomLength, Func<long, int, byte[]> read)
    {
        _lines = lines;
        BomLength = bomLength;
        _read = read;
    }

    private SourceLines(IReadOnlyList<LineSpan> lines, int bomLength, FixSource source)
        : this(lines, bomLength, (offset, length) => Read(source, offset, length)) => _source = source;

    /// <summary>Tests each line's content in order until one matches; the contents are not kept (a scan of a big file holds one line at a time).</summary>
    public delegate bool LinePredicate(int lineNo, ReadOnlySpan<byte> content);

    public int Count => _lines.Count;

    public int BomLength { get; }

    /// <summary>The ending written after inserted lines: the file's first line ending, LF when it has none.</summary>
    public LineTerminator Newline => _lines.Select(l => l.Terminator).FirstOrDefault(t => t != LineTerminator.None) is var t && t != LineTerminator.None ? t : LineTerminator.LineFeed;

    public LineSpan Span(int line) => _lines[line - 1];

    public byte[] Content(int line)
    {
        if (!_cache.TryGet(line, out var bytes))
        {
            var span = _lines[line - 1];
            bytes = _cache.Add(line, _read(span.Offset, span.Length));
        }

        return bytes;
    }

    /// <summary>
    /// Whether a line other than those <paramref name="skip"/> names holds exactly <paramref name="content"/>. The first few
    /// calls read the file from its start until they find one (a copy is usually earlier, and a pass that deletes one
    /// line of a big file should not read all of it); after that, every line is read once and an XxHash64 kept per line
    /// (one table entry per distinct line and a chain link per line), and each call reads only the lines with the same hash and length to compare them
    /// byte for byte. A pass that deletes thousands of copied lines read the file from its start for each.
    /// </summary>
    /// <param name="content">The bytes to look for.</param>
    /// <param name="skip">Lines that do not count (the line itself, lines the same fix deletes).</param>
    /// <returns>Whether another line holds them.</returns>
    public bool HasEqualLine(ReadOnlySpan<byte> content, Func<int, bool> skip)
    {
        ArgumentNullException.ThrowIfNull(skip);
        if (_equalLines is null && _equalLineScans++ < DirectEqualLineScans)
        {
            var length = content.Length;
            var wanted = content.ToArray();
            return FirstLine((n, line) => line.Length == length && !skip(n) && line.SequenceEqual(wanted)) > 0;
        }

        var (lastByHash, previousSame) = _equalLines ??= IndexEqualLines();
        for (var line = lastByHash.GetValueOrDefault(System.IO.Hashing.XxHash64.HashToUInt64(content)); line > 0; line = previousSame[line - 1])
        {
            if (_lines[line - 1].Length == content.Length && !skip(line) && ReadOnce(line).SequenceEqual(content))
            {
                return true;
            }
        }

        return false;
    }

    private (Dictionary<ulong, int> LastByHash, int[] PreviousSame)? _equalLines;
    private int _equalLineScans;

    // Calls answered by a scan from the start before the lines are hashed.
    private const int DirectEqualLineScans = 4;

    // Every line's hash, in one read: the last line of each hash, and for each line the one before it with the same hash
    // (0: none). Only whether another line matches is asked, so the chains may run backwards.
    private (Dictionary<ulong, int>, int[]) IndexEqualLines()
    {
        var lastByHash = new Dictionary<ulong, int>(_lines.Count);
        var previousSame = new int[_lines.Count];
        FirstLine((n, line) =>
        {
            var hash = System.IO.Hashing.XxHash64.HashToUInt64(line);
            previousSame[n - 1] = lastByHash.GetValueOrDefault(hash);
            lastByHash[hash] = n;
            return false;
        });
        return (lastByHash, previousSame);
    }

    // A line's bytes, not cached (Content caches the lines fixes edit).
    private byte[] ReadOnce(int line) => _cache.TryGet(line, out var bytes) ? bytes : _read(_lines[line - 1].Offset, _lines[line - 1].Length);

    /// <summary>The first line (1-based) whose content satisfies <paramref name="predicate"/>, or 0; read line by line, never cached.</summary>
    public int FirstLine(LinePredicate predicate)
    {
        var memory = _source?.Memory;
        byte[] buffer = [];
        var i = -1;
        foreach (var span in _lines) // in order (see CharStarts)
        {
            i++;
            ReadOnlySpan<byte> content;
            if (memory is { } m)
            {
                content = m.Span.Slice((int)span.Offset, span.Length);
            }
            else if (_source is { } file)
            {
                if (buffer.Length < span.Length)
                {
                    buffer = new byte[Math.Max(span.Length, Math.Min(2 * buffer.Length, 1 << 20))];
                }

                file.Read(span.Offset, buffer.AsSpan(0, span.Length));
                content = buffer.AsSpan(0, span.Length);
            }
            else
            {
                content = Content(i + 1);
            }

            if (predicate(i + 1, content))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>
    /// The lines of <paramref name="source"/> as its lint already found them (<see cref="LintedLines"/>), or split anew
    /// (<see cref="Of(FixSource)"/>) when there is no such lint: a fix of 100 MB spent 18 ms splitting the file again.
    /// </summary>
    /// <param name="source">The bytes a fix starts from.</param>
    /// <param name="linted">The lines the lint of exactly these bytes read, or null.</param>
    /// <returns>The lines.</returns>
    public static SourceLines Of(FixSource source, LintedLines? linted)
    {
        ArgumentNullException.ThrowIfNull(source);
        return linted is { } l && l.ByteLength == source.Length ? new SourceLines(l.Lines, l.BomLength, source) : Of(source);
    }

    /// <summary>Splits the bytes a fix starts from into lines exactly as <see cref="Reading.LineReader"/> numbers them: read in order, once, in chunks (a file is not held), its lines read again on demand.</summary>
    public static SourceLines Of(FixSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var lines = new List<LineSpan>();
        var decoder = Encoding.UTF8.GetDecoder(); // a line's characters counted across the chunks it spans
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var bom = 0;
            if (source.Length >= 3)
            {
                source.Read(0, buffer.AsSpan(0, 3));
                bom = buffer.AsSpan(0, 3).SequenceEqual(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            }

            long lineStart = bom;
            var chars = 0L;
            var previousWasCr = false;
            for (long at = bom; at < source.Length;)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, source.Length - at));
                source.Read(at, chunk);
                var from = 0;
                while (from < chunk.Length)
                {
                    var nl = chunk[from..].IndexOf((byte)'\n');
                    if (nl < 0)
                    {
                        chars += decoder.GetCharCount(chunk[from..], flush: false);
                        previousWasCr = chunk[^1] == (byte)'\r';
                        break;
                    }

                    var end = at + from + nl; // the newline
                    var crlf = nl > 0 ? chunk[from + nl - 1] == (byte)'\r' : previousWasCr && end > lineStart;
                    chars += decoder.GetCharCount(chunk.Slice(from, nl), flush: true);
                    var length = end - lineStart - (crlf ? 1 : 0);
                    if (crlf)
                    {
                        chars--; // the CR was counted as content
                    }

                    lines.Add(new LineSpan(lineStart, checked((int)length), crlf ? LineTerminator.CarriageReturnLineFeed : LineTerminator.LineFeed, checked((int)chars)));
                    lineStart = end + 1;
                    chars = 0;
                    previousWasCr = false;
                    from += nl + 1;
                }

                at += chunk.Length;
            }

            if (lineStart < source.Length)
            {
                chars += decoder.GetCharCount([], flush: true);
                lines.Add(new LineSpan(lineStart, checked((int)(source.Length - lineStart)), LineTerminator.None, checked((int)chars)));
            }

            return new SourceLines(lines, bom, source);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Read(FixSource source, long offset, int length)
    {
        var bytes = new byte[length];
        source.Read(offset, bytes);
        return bytes;
    }

    /// <summary>Splits bytes held in memory into lines exactly as <see cref="Reading.LineReader"/> numbers them.</summary>
    public static SourceLines Of(byte[] bytes) => Of(FixSource.Of(bytes));

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
            var i = 0;
            foreach (var span in _lines) // in order: a streamed lint's table reads a line by its position at up to 63 additions
            {
                starts[i++] = chars;
                chars = chars < 0 || span.Chars < 0 ? -1 : chars + span.Chars + LineSpan.TerminatorLength(span.Terminator);
            }

            starts[_lines.Count] = chars;
            _charStarts = starts;
        }

        return _charStarts;
    }
}

/// <summary>
/// The lines a lint read (<see cref="Hosting.LintEngine"/>'s index of a JSON Lines file), handed to the fixer so that
/// a pass over the same bytes need not split them again. Only for a lint that measured every line (none too long to
/// read), so each line's character count is known, as <see cref="SourceLines.Of(FixSource)"/> would count it.
/// </summary>
/// <param name="Lines">Every line, in order.</param>
/// <param name="BomLength">The byte order mark's length (3 or 0).</param>
/// <param name="ByteLength">The length of the bytes that were linted.</param>
internal sealed record LintedLines(IReadOnlyList<LineSpan> Lines, int BomLength, long ByteLength);
