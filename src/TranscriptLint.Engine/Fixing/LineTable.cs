using System.Collections;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// The lines of a streamed file in 8 bytes a line, not a 16-byte <see cref="LineSpan"/> each: a file's lines follow
/// one another, so a line's offset is the offset kept for the first line of its group of 64 plus the lengths of the
/// lines before it in the group. Reading a line costs at most 63 additions; walking the table in order costs one.
/// </summary>
internal sealed class LineTable : IReadOnlyList<LineSpan>
{
    private const int GroupShift = 6;
    private const int GroupMask = (1 << GroupShift) - 1;
    private const int TerminatorShift = 30;
    private const uint CharsMask = (1u << TerminatorShift) - 1; // chars + 1 below this; this value: kept in _bigChars

    private readonly SegmentedList<ulong> _lines = new();    // content length (low half); terminator and chars + 1 (high half)
    private readonly SegmentedList<long> _groupOffsets = new(); // the offset of every 64th line
    private Dictionary<int, long>? _jumps;      // lines that do not start where the one before ended (none from the reader)
    private Dictionary<int, int>? _bigChars;    // lines of a billion UTF-16 units or more
    private long _next;

    public int Count => _lines.Count;

    public LineSpan this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"the table holds {Count} lines");
            }

            var first = index & ~GroupMask;
            var offset = _groupOffsets[index >> GroupShift];
            for (var i = first; i < index; i++)
            {
                offset = NextOffset(i, offset);
            }

            return At(index, StartOf(index, offset));
        }
    }

    public void Add(LineSpan line)
    {
        var index = Count;
        if ((index & GroupMask) == 0)
        {
            _groupOffsets.Add(line.Offset);
        }
        else if (line.Offset != _next)
        {
            (_jumps ??= [])[index] = line.Offset;
        }

        var chars = (uint)(line.Chars + 1);
        if (chars >= CharsMask)
        {
            (_bigChars ??= [])[index] = line.Chars;
            chars = CharsMask;
        }

        _lines.Add((uint)line.Length | ((ulong)(((uint)line.Terminator << TerminatorShift) | chars) << 32));
        _next = line.Next;
    }

    public IEnumerator<LineSpan> GetEnumerator()
    {
        long offset = 0;
        for (var i = 0; i < Count; i++)
        {
            offset = (i & GroupMask) == 0 ? _groupOffsets[i >> GroupShift] : NextOffset(i - 1, offset);
            yield return At(i, StartOf(i, offset));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Where the line after line `index` starts, line `index` starting at `offset`.
    private long NextOffset(int index, long offset)
    {
        var packed = _lines[index];
        return StartOf(index, offset) + (uint)packed + LineSpan.TerminatorLength((LineTerminator)((packed >> 32) >> TerminatorShift));
    }

    private long StartOf(int index, long computed) => _jumps is not null && _jumps.TryGetValue(index, out var jumped) ? jumped : computed;

    private LineSpan At(int index, long offset)
    {
        var packed = _lines[index];
        var high = (uint)(packed >> 32);
        var chars = high & CharsMask;
        return new LineSpan(
            offset,
            (int)(uint)packed,
            (LineTerminator)(high >> TerminatorShift),
            chars == CharsMask ? _bigChars![index] : (int)chars - 1);
    }
}
