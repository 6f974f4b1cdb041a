using TranscriptLint.Engine.Dialects;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// The conversation index over the entries the host kept and the conversation built from them (decision 0004, step
/// 1): every answer is the <see cref="Conversation"/>'s, by position. A rule written against handles reads the same
/// facts here as it will from rows.
/// </summary>
internal sealed class KeptEntryIndex : ConversationIndex
{
    private readonly Conversation _conversation;
    private readonly IReadOnlyList<Entry> _entries;
    private readonly IReadOnlyList<Message> _chain;
    private readonly IPositionalConversation? _positional; // answers by position, with no entry looked up again
    private EntryOrdinals? _ordinals; // made at the first answer that is an entry: most index actions read only positions
    private List<Entry>? _made;
    private Dictionary<Entry, int>? _madeAt;
    private Dictionary<int, IReadOnlyList<MessageBlock>>? _canonicalBlocks;
    private Dictionary<int, IReadOnlyList<Entry>>? _canonicalEntries;

    public KeptEntryIndex(Conversation conversation)
    {
        _conversation = conversation;
        _entries = conversation.Entries;
        _chain = conversation.ResumeChain;
        _positional = conversation as IPositionalConversation;
    }

    public override int Count => _entries.Count;

    public override bool HasParentGraph => _conversation.HasParentGraph;

    public override string? SessionId => _conversation.SessionId;

    public override int MessageCount => _chain.Count;

    internal override int ResumeLeafPosition => PositionOf(_conversation.ResumeLeaf);

    internal override EntryKind KindAt(int position) => At(position).Kind;

    internal override TranscriptLine LineAt(int position) => At(position).Line;

    internal override string? TypeNameAt(int position) => At(position).TypeName;

    internal override string? RoleAt(int position) => At(position).Role;

    internal override string? SessionIdAt(int position) => At(position).SessionId;

    internal override bool IsSyntheticAt(int position) => At(position).IsSynthetic;

    internal override bool HasUuidAt(int position) => At(position).UuidId.HasValue;

    internal override string? UuidAt(int position) => At(position).Uuid;

    internal override Entry EntryAt(int position) => At(position);

    internal override int ParentPositionOf(int position) =>
        PositionalFor(position)?.ParentPositionAt(position) ?? PositionOf(_conversation.ParentOf(At(position)));

    internal override int FirstCopyPositionOf(int position) =>
        PositionalFor(position)?.FirstCopyPositionAt(position) ?? (At(position).Uuid is { } uuid ? PositionOf(_conversation.FindByUuid(uuid)) : -1);

    internal override bool IsCanonicalAt(int position) => PositionalFor(position)?.IsCanonicalAt(position) ?? _conversation.IsCanonical(At(position));

    internal override bool IsInResumeContextAt(int position) =>
        PositionalFor(position)?.IsInResumeContextAt(position) ?? _conversation.IsInResumeContext(At(position));

    internal override MessageRole MessageRoleAt(int number) => _chain[number].Role;

    internal override int MessageEntryCount(int number) => _chain[number].Entries.Count;

    internal override int MessageEntryPosition(int number, int i) => PositionOf(_chain[number].Entries[i]);

    internal override string? ParentUuidAt(int position) => At(position).ParentUuid;

    internal override SyntheticReason SyntheticAt(int position) => At(position).Synthetic;

    internal override string? MessageIdAt(int position) => At(position).MessageId;

    internal override string? ModelAt(int position) => At(position).Model;

    internal override string? SubtypeAt(int position) => At(position).Subtype;

    internal override ClaudeCodeFacts? ClaudeCodeAt(int position) => At(position).ClaudeCode;

    internal override int ResultAnchorPositionOf(int position, string toolId) => PositionOf(_conversation.ResultAnchorOf(At(position), toolId));

    internal override int ChainEntryCount => _conversation.ChainEntries.Count;

    internal override int ChainEntryPosition(int i) => PositionOf(_conversation.ChainEntries[i]);

    // An entry object the rule holds: a file entry's place, or a made one's if the index has numbered it.
    internal override int PositionOfEntry(Entry entry) =>
        (_ordinals ??= new EntryOrdinals(_entries)).Of(entry) is var found and >= 0 ? found
        : _madeAt is not null && _madeAt.TryGetValue(entry, out var made) ? made
        : -1;

    internal override IReadOnlyList<EntryHandle> ChildrenAt(int position)
    {
        var children = _conversation.ChildrenOf(At(position));
        if (children.Count == 0)
        {
            return [];
        }

        var handles = new EntryHandle[children.Count];
        for (var i = 0; i < handles.Length; i++)
        {
            handles[i] = NewEntry(PositionOf(children[i]));
        }

        return handles;
    }

    internal override int ChainChildPositionOf(int position) => PositionOf(_conversation.ChainChildOf(At(position)));

    internal override int BlockCountAt(int position) => At(position).BlockCount;

    internal override ContentBlock BlockAt(int position, int ordinal) => At(position).BlockAt(ordinal);

    internal override int MessageCanonicalBlockCount(int number) => CanonicalBlocks(number).Count;

    internal override bool MessageIsRecoveredAt(int number, int position) => _chain[number].RecoveredEntries.Contains(At(position), ReferenceEqualityComparer.Instance);

    internal override int MessageCanonicalEntryCount(int number) => CanonicalEntries(number).Count;

    internal override EntryHandle MessageCanonicalEntryAt(int number, int i) => NewEntry(PositionOf(CanonicalEntries(number)[i]));

    private IReadOnlyList<Entry> CanonicalEntries(int number) =>
        Canonical(ref _canonicalEntries, number, static m => m.Entries, static m => m.CanonicalEntries);

    internal override int MessageBlockCount(int number) => _chain[number].Blocks.Count;

    internal override BlockHandle MessageBlockAt(int number, int i, bool canonical)
    {
        var (entry, block) = canonical ? CanonicalBlocks(number)[i] : _chain[number].Blocks[i];
        for (var ordinal = 0; ordinal < entry.BlockCount; ordinal++)
        {
            if (ReferenceEquals(entry.BlockAt(ordinal), block))
            {
                return NewBlock(PositionOf(entry), ordinal);
            }
        }

        throw new InvalidOperationException($"Message {number} of the resume chain holds a block that is not one of its entry's.");
    }

    private IReadOnlyList<MessageBlock> CanonicalBlocks(int number) =>
        Canonical(ref _canonicalBlocks, number, static m => m.Blocks, static m => m.CanonicalBlocks);

    // A message's canonical entries or blocks are all of them unless it holds a later copy of a line; then the view
    // makes a new list on every read, so the index keeps the one it made.
    private IReadOnlyList<T> Canonical<T>(ref Dictionary<int, IReadOnlyList<T>>? cache, int number, Func<Message, IReadOnlyList<T>> all, Func<Message, IReadOnlyList<T>> canonical)
    {
        var message = _chain[number];
        if (message.DuplicateEntries.Count == 0)
        {
            return all(message);
        }

        cache ??= [];
        if (!cache.TryGetValue(number, out var list))
        {
            cache[number] = list = canonical(message);
        }

        return list;
    }

    // The positional answers cover the file's entries only.
    private IPositionalConversation? PositionalFor(int position) => position < _entries.Count ? _positional : null;

    // A file entry by its place in the list; an entry the conversation made, after them.
    private Entry At(int position) => position < _entries.Count ? _entries[position] : _made![position - _entries.Count];

    private int PositionOf(Entry? entry)
    {
        if (entry is null)
        {
            return -1;
        }

        if ((_ordinals ??= new EntryOrdinals(_entries)).Of(entry) is var found and >= 0)
        {
            return found;
        }

        // An entry the conversation made for a message (a Gemini CLI function-response turn, a Codex compacted row's
        // replacement history): numbered after the file's entries, in the order they are first met.
        _made ??= [];
        _madeAt ??= new(ReferenceEqualityComparer.Instance);
        if (!_madeAt.TryGetValue(entry, out var made))
        {
            _madeAt[entry] = made = _entries.Count + _made.Count;
            _made.Add(entry);
        }

        return made;
    }
}
