using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// The Claude Code conversation view over kept entries: the object model (<see cref="Message"/>s holding their
/// <see cref="Entry"/>s) made from the resume chain <see cref="ClaudeCodeChain"/> builds by position.
/// </summary>
internal sealed class ClaudeCodeConversation : Conversation, IPositionalConversation
{
    private readonly IReadOnlyList<Entry> _entries;
    private readonly ClaudeCodeChain _chain;
    // Per-entry facts by the entry's position in _entries (EntryOrdinals): an array slot costs 8 bytes where a
    // dictionary keyed by entry cost about 30, for every line of a long session.
    private readonly EntryOrdinals _ordinals;
    private readonly List<Entry> _chainEntries;
    private readonly List<Message> _messages;

    public ClaudeCodeConversation(IReadOnlyList<Entry> entries)
    {
        _entries = entries;
        _ordinals = new EntryOrdinals(entries);
        _chain = new ClaudeCodeChain(new EntryListFacts(entries));
        _chainEntries = new List<Entry>(_chain.ChainLength);
        for (var i = 0; i < _chain.ChainLength; i++)
        {
            _chainEntries.Add(entries[_chain.ChainAt(i)]);
        }

        _messages = new List<Message>(_chain.MessageCount);
        for (var m = 0; m < _chain.MessageCount; m++)
        {
            _messages.Add(MakeMessage(m));
        }

        SessionId = _chain.SessionId;
        ResumeLeaf = EntryAt(_chain.LeafPosition);
    }

    public override IReadOnlyList<Entry> Entries => _entries;

    public override IReadOnlyList<Message> ResumeChain => _messages;

    public override IReadOnlyList<Entry> ChainEntries => _chainEntries;

    public override Entry? ResumeLeaf { get; }

    public override bool HasParentGraph => true;

    public override string? SessionId { get; }

    public override Entry? FindByUuid(string uuid) => EntryAt(_chain.Graph.Find(EntryId.From(uuid)));

    // Asked of every entry by the graph rules: the parent the graph found for it, by position (no hashing, no string).
    public override Entry? ParentOf(Entry entry) => _ordinals.Of(entry) is var i and >= 0 ? EntryAt(_chain.ParentAt(i)) : EntryAt(_chain.Graph.Find(entry.ParentId));

    // Rules ask this of every entry (CanonicalEntries): an array read instead of a uuid lookup.
    public override bool IsCanonical(Entry entry) => _ordinals.Of(entry) is var i and >= 0 ? _chain.IsCanonicalAt(i) : base.IsCanonical(entry);

    // Every entry of the list by its position: what IsCanonical answers for each, with no position found again.
    internal override IEnumerable<Entry> CanonicalEntriesInOrder()
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (_chain.IsCanonicalAt(i))
            {
                yield return _entries[i];
            }
        }
    }

    public int ParentPositionAt(int position) => _chain.ParentAt(position);

    public int FirstCopyPositionAt(int position) => _chain.FirstCopyAt(position);

    public bool IsCanonicalAt(int position) => _chain.IsCanonicalAt(position);

    public bool IsInResumeContextAt(int position) => _chain.MessageOfAt(position) >= 0;

    public override IReadOnlyList<Entry> ChildrenOf(string uuid) => EntriesAt(_chain.Graph.ChildrenOf(EntryId.From(uuid)));

    // Graph walks (TL2001, chain splices, re-attaching) step down by entry with no uuid string: a first copy's children
    // are linked to its own position, a later copy's to its first copy's.
    public override IReadOnlyList<Entry> ChildrenOf(Entry entry) => _ordinals.Of(entry) is var i and >= 0
        ? EntriesAt(_chain.ChildrenAt(i))
        : entry.UuidId.HasValue ? EntriesAt(_chain.Graph.ChildrenOf(entry.UuidId)) : [];

    public override bool IsInResumeContext(Entry entry) => MessageOf(entry) is not null;

    public override Message? MessageOf(Entry entry) => _ordinals.Of(entry) is var i and >= 0 && _chain.MessageOfAt(i) is var m and >= 0 ? _messages[m] : null;

    public override Entry? ChainChildOf(Entry entry) => _ordinals.Of(entry) is var i and >= 0 ? EntryAt(_chain.ChainChildAt(i)) : null;

    private Entry? EntryAt(int position) => position >= 0 ? _entries[position] : null;

    private IReadOnlyList<Entry> EntriesAt(IReadOnlyList<int> positions)
    {
        if (positions.Count == 0)
        {
            return [];
        }

        var entries = new Entry[positions.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = _entries[positions[i]];
        }

        return entries;
    }

    // Plain loops into arrays, not LINQ or lists: this runs once a message, and its iterators, closures and list
    // wrappers were a fifth of what linting a session allocated.
    private Message MakeMessage(int m)
    {
        var entries = new Entry[_chain.EntryCountOf(m)];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = _entries[_chain.EntryOf(m, i)];
        }

        var blocks = _chain.BlockCountOf(m) == 0 ? [] : new MessageBlock[_chain.BlockCountOf(m)];
        for (var i = 0; i < blocks.Length; i++)
        {
            var (position, ordinal) = _chain.BlockOf(m, i);
            var entry = _entries[position];
            blocks[i] = new MessageBlock(entry, entry.BlockAt(ordinal));
        }

        var recovered = _chain.RecoveredCountOf(m) == 0 ? [] : new Entry[_chain.RecoveredCountOf(m)];
        for (var i = 0; i < recovered.Length; i++)
        {
            recovered[i] = _entries[_chain.RecoveredOf(m, i)];
        }

        return new Message
        {
            Index = m,
            Role = _chain.RoleOf(m),
            Entries = entries,
            Blocks = blocks,
            RecoveredEntries = recovered,
            DuplicateEntries = _chain.HasDuplicates(m) ? [.. entries.Where(e => !IsCanonical(e))] : [],
        };
    }
}
