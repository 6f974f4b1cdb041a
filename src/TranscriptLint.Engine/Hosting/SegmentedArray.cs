using System.Runtime.CompilerServices;

namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// A fixed-length array of zeroed items kept in segments below the large-object heap's threshold, for the per-entry
/// tables a conversation builds after a file has streamed. Each large array allocated then started a full, blocking
/// collection of the whole index (three in a row for a 1 GB session, about 70 ms each: the large-object budget is
/// small until it has grown); segments are ordinary small allocations.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class SegmentedArray<T>
{
    private static readonly int Shift = SegmentedList<T>.SegmentShift(Unsafe.SizeOf<T>());
    private static readonly int Mask = (1 << Shift) - 1;

    private readonly T[][] _segments;

    /// <summary>Makes an array of <paramref name="length"/> default items.</summary>
    /// <param name="length">The number of items.</param>
    public SegmentedArray(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _segments = new T[(length + Mask) >> Shift][];
        for (var i = 0; i < _segments.Length; i++)
        {
            _segments[i] = new T[Math.Min(1 << Shift, length - (i << Shift))];
        }
    }

    /// <summary>The number of items.</summary>
    public int Length { get; }

    /// <summary>The item at <paramref name="index"/>, to read or write.</summary>
    /// <param name="index">A position from 0 to <see cref="Length"/> - 1.</param>
    public ref T this[int index] => ref _segments[index >> Shift][index & Mask];
}
