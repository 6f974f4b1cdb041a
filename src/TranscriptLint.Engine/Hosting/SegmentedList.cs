using System.Collections;
using System.Runtime.CompilerServices;

namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// An append-only list kept in fixed segments that each stay below the large-object heap's threshold. A file's
/// per-line and per-entry lists grow to hundreds of thousands of items: a <see cref="List{T}"/> would double one
/// array on the large-object heap, and every outgrown copy would stay there until a full collection (about a
/// quarter of the peak memory of a 1 GB session). Full segments are never copied and never reach that heap.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class SegmentedList<T> : IReadOnlyList<T>
{
    // The largest power of two whose segment stays under 64 KiB (the threshold is 85,000 bytes).
    private static readonly int Shift = SegmentShift(Unsafe.SizeOf<T>());
    private static readonly int Mask = (1 << Shift) - 1;

    private const int FirstSize = 16;

    private readonly List<T[]> _segments = [];

    public int Count { get; private set; }

    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"the list holds {Count} items");
            }

            return _segments[index >> Shift][index & Mask];
        }
    }

    public void Add(T item)
    {
        var slot = Count & Mask;
        if (Count == 0)
        {
            _segments.Add(new T[Math.Min(FirstSize, 1 << Shift)]);
        }
        else if (slot == 0)
        {
            _segments.Add(new T[1 << Shift]);
        }
        else if (slot == _segments[0].Length)
        {
            // Only the first segment starts small, and doubles up to a full one: most files are short, and three
            // full segments a file were most of what linting a small file allocated (192 KiB for an 11 KB session).
            var grown = new T[Math.Min(slot * 2, 1 << Shift)];
            _segments[0].CopyTo(grown, 0);
            _segments[0] = grown;
        }

        _segments[^1][slot] = item;
        Count++;
    }

    public IEnumerator<T> GetEnumerator()
    {
        var remaining = Count;
        foreach (var segment in _segments)
        {
            var take = Math.Min(remaining, segment.Length);
            for (var i = 0; i < take; i++)
            {
                yield return segment[i];
            }

            remaining -= take;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The largest segment shift whose segment of <paramref name="itemSize"/>-byte items stays under 64 KiB.</summary>
    internal static int SegmentShift(int itemSize)
    {
        var shift = 4;
        while ((itemSize << (shift + 1)) <= 64 * 1024 && shift < 16)
        {
            shift++;
        }

        return shift;
    }
}
