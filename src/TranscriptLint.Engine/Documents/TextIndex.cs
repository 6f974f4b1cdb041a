using System.Text;

namespace TranscriptLint.Engine.Documents;

/// <summary>
/// Physical lines of a document held in memory: maps a byte offset to a 1-based line and a 1-based UTF-16 column
/// (SARIF's default column unit), the way <see cref="Reading.LineReader"/> numbers lines (a leading BOM belongs
/// to no line's content).
/// </summary>
internal sealed class TextIndex
{
    private readonly byte[] _bytes;
    private readonly int _bomLength;
    private readonly List<int> _starts = [];

    public TextIndex(byte[] bytes, int bomLength)
    {
        _bytes = bytes;
        _bomLength = bomLength;
        _starts.Add(bomLength);
        for (var i = bomLength; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n' && i + 1 < bytes.Length)
            {
                _starts.Add(i + 1);
            }
        }

        if (bytes.Length == bomLength)
        {
            _starts.Clear();
        }
    }

    /// <summary>The number of physical lines.</summary>
    public int LineCount => _starts.Count;

    /// <summary>The 1-based line holding <paramref name="offset"/>.</summary>
    public int LineOf(long offset)
    {
        var i = _starts.BinarySearch((int)Math.Min(offset, int.MaxValue));
        return i >= 0 ? i + 1 : Math.Max(1, ~i);
    }

    /// <summary>The first byte of line <paramref name="line"/>'s content.</summary>
    public int LineStart(int line) => _starts[line - 1];

    /// <summary>The byte just past line <paramref name="line"/>'s content (before its <c>\r\n</c> or <c>\n</c>).</summary>
    public int LineContentEnd(int line)
    {
        var start = _starts[line - 1];
        var end = line < _starts.Count ? _starts[line] - 1 : _bytes.Length;
        if (line == _starts.Count && end > start && _bytes[end - 1] == (byte)'\n')
        {
            end--;
        }

        if (end > start && _bytes[end - 1] == (byte)'\r' && end < _bytes.Length && _bytes[end] == (byte)'\n')
        {
            end--;
        }

        return end;
    }

    /// <summary>The 1-based UTF-16 column of <paramref name="offset"/> on its line.</summary>
    public int ColumnOf(long offset)
    {
        var line = LineOf(offset);
        var start = _starts.Count == 0 ? _bomLength : _starts[line - 1];
        var length = (int)Math.Clamp(offset - start, 0, _bytes.Length - start);
        return Encoding.UTF8.GetCharCount(_bytes, start, length) + 1;
    }

    /// <summary>The UTF-16 length of a line's content.</summary>
    public int CharLength(int line) => Encoding.UTF8.GetCharCount(_bytes, LineStart(line), LineContentEnd(line) - LineStart(line));

    /// <summary>The whitespace that starts line <paramref name="line"/> (its indentation).</summary>
    public ReadOnlySpan<byte> Indentation(int line)
    {
        var start = LineStart(line);
        var i = start;
        while (i < _bytes.Length && _bytes[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return _bytes.AsSpan(start, i - start);
    }
}
