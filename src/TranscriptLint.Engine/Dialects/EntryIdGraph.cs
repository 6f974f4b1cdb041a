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
    private readonly IReadOnlyList<Entry> _entries;
    private readonly int[] _slots;       // open addressing: entry position + 1, 0 for empty
    private readonly int[] _firstChild;  // by parent position: first child's position + 1
    private readonly int[] _nextSibling; // by child position: the next child of the same parent, position + 1
    private readonly Dictionary<EntryId, List<int>>? _orphans; // children of ids no entry has (dangling parents)

    public EntryIdGraph(IReadOnlyList<Entry> entries, bool[] laterCopy)
    {
        _entries = entries;
        var size = 16;
        while (size < entries.Count * 2)
        {
            size <<= 1;
        }

        _slots = new int[size];
        for (var i = 0; i < entries.Count; i++)
        {
            var id = entries[i].UuidId;
            if (id.HasValue && !TryAdd(id, i))
            {
                laterCopy[i] = true; // duplicates: the earliest copy wins (formats.md §7.6)
            }
        }

        // Children are linked last to first, so each parent's list reads in file order.
        _firstChild = new int[entries.Count];
        _nextSibling = new int[entries.Count];
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var parent = entries[i].ParentId;
            if (!parent.HasValue)
            {
                continue;
            }

            var p = Find(parent);
            if (p >= 0)
            {
                _nextSibling[i] = _firstChild[p];
                _firstChild[p] = i + 1;
            }
            else
            {
                _orphans ??= [];
                if (!_orphans.TryGetValue(parent, out var list))
                {
                    _orphans[parent] = list = [];
                }

                list.Add(i);
            }
        }

        foreach (var list in _orphans?.Values ?? Enumerable.Empty<List<int>>())
        {
            list.Reverse(); // collected last to first
        }
    }

    /// <summary>The position of the first entry with this id, or -1.</summary>
    public int Find(EntryId id) => id.HasValue ? _slots[SlotOf(id)] - 1 : -1;

    /// <summary>The entries whose parent id is <paramref name="id"/>, in file order.</summary>
    public IReadOnlyList<Entry> ChildrenOf(EntryId id)
    {
        var p = Find(id);
        if (p < 0)
        {
            return _orphans is not null && id.HasValue && _orphans.TryGetValue(id, out var orphans) ? [.. orphans.Select(i => _entries[i])] : [];
        }

        var first = _firstChild[p];
        if (first == 0)
        {
            return [];
        }

        if (_nextSibling[first - 1] == 0)
        {
            return [_entries[first - 1]];
        }

        var children = new List<Entry>();
        for (var c = first; c != 0; c = _nextSibling[c - 1])
        {
            children.Add(_entries[c - 1]);
        }

        return children;
    }

    private bool TryAdd(EntryId id, int position)
    {
        var s = SlotOf(id);
        if (_slots[s] != 0)
        {
            return false; // an earlier entry has this id
        }

        _slots[s] = position + 1;
        return true;
    }

    // The slot holding the entry with this id, or the empty slot where it would go (linear probing; the table is at
    // most half full, so an empty slot is always reached).
    private int SlotOf(EntryId id)
    {
        var mask = _slots.Length - 1;
        var s = id.GetHashCode() & mask;
        while (_slots[s] != 0 && _entries[_slots[s] - 1].UuidId != id)
        {
            s = (s + 1) & mask;
        }

        return s;
    }
}
