namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// An append-only list of plain structs (no references) in chunks of 32,768 items: large objects, which the collector
/// never copies and never scans, so rows kept for every line of a long session cost their bytes and nothing at each
/// collection (decision 0004's spike: 76 % of the floor in large chunks, 72 % in small segments that the collector
/// copies as they age). The first chunk starts small and doubles, so a short file pays for what it holds.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
internal sealed class RowChunks<T>
    where T : unmanaged
{
    private const int Shift = 15;
    private const int Mask = (1 << Shift) - 1;
    private const int FirstSize = 64;

    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    /// <summary>The item at <paramref name="index"/> (below <see cref="Count"/>), to read or write.</summary>
    public ref T this[int index] => ref _chunks[index >> Shift][index & Mask];

    /// <summary>Adds a default item and returns it to be written.</summary>
    public ref T Add()
    {
        var slot = Count & Mask;
        if (Count == 0)
        {
            _chunks.Add(new T[FirstSize]);
        }
        else if (slot == 0)
        {
            _chunks.Add(GC.AllocateUninitializedArray<T>(1 << Shift)); // every slot is written before it is read
        }
        else if (slot == _chunks[0].Length)
        {
            var grown = new T[Math.Min(slot * 2, 1 << Shift)];
            _chunks[0].CopyTo(grown, 0);
            _chunks[0] = grown;
        }

        Count++;
        ref var item = ref _chunks[^1][slot];
        item = default;
        return ref item;
    }
}

/// <summary>A text in a <see cref="TextArena"/>: where it starts and how long it is; <see cref="None"/> for null.</summary>
internal readonly record struct TextRef(int Start, int Length)
{
    public static TextRef None => new(-1, 0);

    public bool IsNone => Start == -1;
}

/// <summary>
/// Short texts (message and tool ids) kept as characters in large chunks, with no string object each: a string is
/// made when one is read. A text longer than a chunk's eighth is kept as its own string (rare: ids are short).
/// </summary>
internal sealed class TextArena
{
    private const int ChunkChars = 1 << 16;
    private const int LongText = ChunkChars / 8;
    private const int FirstChunkLimit = 1 << 15; // 64 KiB of characters: under the large-object threshold

    private readonly List<char[]> _chunks = [];
    private readonly List<string> _long = [];
    private int _used;

    public TextRef Add(string? text)
    {
        if (text is null)
        {
            return TextRef.None;
        }

        if (text.Length > LongText)
        {
            _long.Add(text);
            return new(-2 - (_long.Count - 1), text.Length);
        }

        if (_chunks.Count == 0)
        {
            _chunks.Add(new char[1024]);
        }

        // The first chunk starts small and doubles, below the large-object heap's threshold (a short file's ids, linted
        // beside many others, start no full collection); the chunks after it are full ones.
        while (_used + text.Length > _chunks[^1].Length && _chunks.Count == 1 && _chunks[0].Length < FirstChunkLimit)
        {
            var grown = new char[_chunks[0].Length * 2];
            _chunks[0].AsSpan(0, _used).CopyTo(grown);
            _chunks[0] = grown;
        }

        if (_used + text.Length > _chunks[^1].Length)
        {
            _chunks.Add(new char[ChunkChars]);
            _used = 0;
        }

        var chunk = _chunks.Count - 1;
        text.CopyTo(_chunks[chunk].AsSpan(_used));
        var start = (chunk * ChunkChars) + _used;
        _used += text.Length;
        return new(start, text.Length);
    }

    public ReadOnlySpan<char> Span(TextRef text) => text.Start >= 0
        ? _chunks[text.Start / ChunkChars].AsSpan(text.Start % ChunkChars, text.Length)
        : text.IsNone ? default : _long[-2 - text.Start];

    public string? Get(TextRef text) => text.IsNone ? null : text.Start < -1 ? _long[-2 - text.Start] : new string(Span(text));

    public bool Equal(TextRef a, TextRef b) => a.IsNone || b.IsNone ? a.IsNone == b.IsNone : Span(a).SequenceEqual(Span(b));

    public bool Equal(TextRef a, string? b) => a.IsNone ? b is null : b is not null && Span(a).SequenceEqual(b);
}
