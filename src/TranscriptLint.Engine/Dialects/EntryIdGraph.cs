using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// The uuid graph of a transcript as arrays over entry positions: which entry has an id (the first copy), and each
/// entry's children in file order. It replaces two dictionaries keyed by id (about 43 bytes an entry each, and
/// every id kept as a key) with three int arrays and an open-addressing table whose keys are the entries' own ids:
/// about 20 bytes an entry, for the whole of a long session.
/// </summary>
internal sealed class EntryIdGraph
{
    private readonly IEntryFacts _entries;
    private readonly SegmentedArray<ulong> _slots;     // open addressing: the id's hash tag (high half) and entry position + 1 (low half); 0 for empty
    private readonly SegmentedArray<int> _firstChild;  // by parent position: first child's position + 1
    private readonly SegmentedArray<int> _nextSibling; // by child position: the next child of the same parent, position + 1
    private readonly SegmentedArray<int> _parent;      // by position: the parent's position + 1, 0 when it has none or it is missing
    private readonly Dictionary<EntryId, List<int>>? _orphans; // children of ids no entry has (dangling parents)

    public EntryIdGraph(IEntryFacts entries, SegmentedArray<bool> laterCopy)
    {
        _entries = entries;
        // At most three quarters full: probes stay within a cache line or two, and a tag that differs costs no entry read.
        var size = 16;
        while (size < entries.Count + (entries.Count / 3))
        {
            size <<= 1;
        }

        _slots = new SegmentedArray<ulong>(size);
        // Ids go in a batch at a time: the slot each insert will probe first is read for the whole batch before any
        // insert, so their cache misses (the table is megabytes, each probe lands anywhere in it) overlap instead of
        // each insert waiting for its own. The inserts are the same, in the same order.
        var ids = new EntryId[InsertBatch];
        var hashes = new ulong[InsertBatch];
        for (var start = 0; start < entries.Count; start += InsertBatch)
        {
            var count = Math.Min(InsertBatch, entries.Count - start);
            for (var k = 0; k < count; k++)
            {
                ids[k] = entries.UuidIdAt(start + k);
                hashes[k] = ids[k].HasValue ? Hash(ids[k]) : 0;
                Touch(hashes[k]);
            }

            for (var k = 0; k < count; k++)
            {
                if (ids[k].HasValue && !TryAdd(ids[k], hashes[k], start + k))
                {
                    laterCopy[start + k] = true; // duplicates: the earliest copy wins (formats.md §7.6)
                }
            }
        }

        // Each entry's parent is found once and kept by position, so walking up the graph (the resume chain, TL2002)
        // hashes nothing. Children are then linked last to first, so each parent's list reads in file order.
        _firstChild = new SegmentedArray<int>(entries.Count);
        _nextSibling = new SegmentedArray<int>(entries.Count);
        _parent = new SegmentedArray<int>(entries.Count);
        FindParents(entries, laterCopy);
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var p = _parent[i] - 1;
            if (p >= 0)
            {
                _nextSibling[i] = _firstChild[p];
                _firstChild[p] = i + 1;
                continue;
            }

            var parent = entries.ParentIdAt(i);
            if (!parent.HasValue)
            {
                continue;
            }

            _orphans ??= [];
            if (!_orphans.TryGetValue(parent, out var list))
            {
                _orphans[parent] = list = [];
            }

            list.Add(i);
        }

        foreach (var list in _orphans?.Values ?? Enumerable.Empty<List<int>>())
        {
            list.Reverse(); // collected last to first
        }
    }

    /// <summary>The position of the first entry with this id, or -1.</summary>
    public int Find(EntryId id) => id.HasValue ? PositionIn(_slots[SlotOf(id, Hash(id))]) : -1;

    /// <summary>The position of the entry at <paramref name="position"/>'s parent (the first copy of its parent id), or -1.</summary>
    public int ParentAt(int position) => _parent[position] - 1;

    /// <summary>The positions of the entries whose parent id is <paramref name="id"/>, in file order.</summary>
    public IReadOnlyList<int> ChildrenOf(EntryId id)
    {
        var p = Find(id);
        if (p < 0)
        {
            return _orphans is not null && id.HasValue && _orphans.TryGetValue(id, out var orphans) ? orphans : [];
        }

        return ChildrenAt(p);
    }

    /// <summary>The positions of the children of the entry at <paramref name="position"/>, a first copy of its id, in file order.</summary>
    public IReadOnlyList<int> ChildrenAt(int position)
    {
        var first = _firstChild[position];
        if (first == 0)
        {
            return [];
        }

        if (_nextSibling[first - 1] == 0)
        {
            return [first - 1];
        }

        var children = new List<int>();
        for (var c = first; c != 0; c = _nextSibling[c - 1])
        {
            children.Add(c - 1);
        }

        return children;
    }

    /// <summary>The first child of the entry at <paramref name="position"/> (a first copy), or -1: with <see cref="NextSiblingAt"/>, a walk that allocates nothing.</summary>
    public int FirstChildAt(int position) => _firstChild[position] - 1;

    /// <summary>The next child of the same parent after the child at <paramref name="position"/>, or -1.</summary>
    public int NextSiblingAt(int position) => _nextSibling[position] - 1;

    private const int InsertBatch = 16;

    // Sets _parent for every entry whose parent id some entry has. A parent a few lines back is found there; the others
    // are looked up in the table a batch at a time, their first slots read ahead as the inserts' were.
    private void FindParents(IEntryFacts entries, SegmentedArray<bool> laterCopy)
    {
        var pending = new (int Position, EntryId Parent, ulong Hash)[InsertBatch];
        var count = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var parent = entries.ParentIdAt(i);
            if (!parent.HasValue)
            {
                continue;
            }

            var p = NearbyFirstCopy(parent, i, laterCopy);
            if (p >= 0)
            {
                _parent[i] = p + 1;
                continue;
            }

            var hash = Hash(parent);
            Touch(hash);
            pending[count++] = (i, parent, hash);
            if (count == pending.Length)
            {
                Resolve(pending);
                count = 0;
            }
        }

        Resolve(pending.AsSpan(0, count));

        void Resolve(ReadOnlySpan<(int Position, EntryId Parent, ulong Hash)> batch)
        {
            foreach (var (position, parent, hash) in batch)
            {
                _parent[position] = PositionIn(_slots[SlotOf(parent, hash)]) + 1; // 0: no entry has that id
            }
        }
    }

    // Reads the slot a probe for this hash starts at, so its cache line is fetched before the probe needs it (a volatile
    // read: the JIT keeps it though its value is unused).
    private void Touch(ulong hash) => _ = Volatile.Read(ref _slots[FirstSlot(hash)]);

    private int FirstSlot(ulong hash) => (int)hash & (_slots.Length - 1);

    private bool TryAdd(EntryId id, ulong hash, int position)
    {
        var s = SlotOf(id, hash);
        if (_slots[s] != 0)
        {
            return false; // an earlier entry has this id
        }

        _slots[s] = (hash & TagMask) | (uint)(position + 1);
        return true;
    }

    // Most lines answer the line just before them (86 % of a long real session; progress and parallel tool lines most of
    // the rest, a few lines back): a look at the last few entries, which are in cache, before hashing. Only a first copy
    // answers, as Find would.
    private int NearbyFirstCopy(EntryId parent, int position, SegmentedArray<bool> laterCopy)
    {
        for (var j = position - 1; j >= 0 && j >= position - NearbyLines; j--)
        {
            if (!laterCopy[j] && _entries.UuidIdAt(j) == parent)
            {
                return j;
            }
        }

        return -1;
    }

    private const int NearbyLines = 4;

    // The slot holding the entry with this id, or the empty slot where it would go (linear probing; the table is at
    // most three quarters full, so an empty slot is always reached). An entry is read only when its tag matches.
    private int SlotOf(EntryId id, ulong hash)
    {
        var mask = _slots.Length - 1;
        var tag = hash & TagMask;
        var s = FirstSlot(hash);
        while (_slots[s] is var slot and not 0 && ((slot & TagMask) != tag || _entries.UuidIdAt(PositionIn(slot)) != id))
        {
            s = (s + 1) & mask;
        }

        return s;
    }

    private static int PositionIn(ulong slot) => (int)(uint)slot - 1;

    private const ulong TagMask = 0xFFFF_FFFF_0000_0000;

    // A seed per process: transcripts are untrusted input, and ids chosen to collide under a fixed hash would make every
    // probe long. The layout changes from run to run; what is found does not.
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64();

    // 64 bits of the id, well mixed (a uuid's version and variant bits are fixed): the low bits pick the slot, the high
    // bits are the tag. The seed goes in before the halves meet, so colliding ids cannot be chosen without it.
    private static ulong Hash(EntryId id) => id.TextOnly is { } text
        ? Mix((ulong)(uint)StringComparer.Ordinal.GetHashCode(text) ^ Seed)
        : Mix(Mix(id.High ^ Seed) ^ id.Low);

    // MurmurHash3's 64-bit finaliser: every input bit moves about half the output bits.
    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        return h ^ (h >> 33);
    }
}
