namespace TranscriptLint.Rules.Core;

/// <summary>
/// A number per line of the file, for rules that note something on many lines and look it up after streaming: an
/// array by line number instead of a dictionary (4 bytes a line, not about 28, and no hashing on every line). It grows
/// in chunks small enough to stay off the large-object heap, so growing copies nothing and leaves no garbage. Values are
/// kept as 32-bit integers: one beyond that range is kept at its bound (a line's size or token count never comes near).
/// </summary>
internal sealed class LineTable
{
    private const int ChunkBits = 10;
    private const int ChunkSize = 1 << ChunkBits; // 1,024 values: 4 KB a chunk, so a short file costs little
    private readonly List<int[]> _chunks = [];

    /// <summary>The value noted for a line, or 0.</summary>
    public long this[int line]
    {
        get
        {
            var chunk = line >> ChunkBits;
            return line < 0 || chunk >= _chunks.Count ? 0 : _chunks[chunk][line & (ChunkSize - 1)];
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(line);
            var chunk = line >> ChunkBits;
            while (_chunks.Count <= chunk)
            {
                _chunks.Add(new int[ChunkSize]);
            }

            _chunks[chunk][line & (ChunkSize - 1)] = (int)Math.Clamp(value, int.MinValue, int.MaxValue);
        }
    }
}
