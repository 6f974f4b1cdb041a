namespace TranscriptLint.Model;

/// <summary>
/// The conversation of one transcript as an index: its entries in file order, the parent graph and the resume chain,
/// named by <see cref="EntryHandle"/> and <see cref="MessageHandle"/> values instead of objects. It answers what
/// <see cref="Conversation"/> answers, so a rule written against it reads a host that keeps an <see cref="Entry"/> per
/// line and one that keeps only compact rows alike (decision 0004). Only the host makes one.
/// </summary>
public abstract class ConversationIndex
{
    // Only hosts make indexes: what a handle reads is the host's business (kept entries, or rows).
    internal ConversationIndex()
    {
    }

    /// <summary>How many entries the transcript has (entries the conversation made for its messages come after them; see <see cref="EntryHandle.Position"/>).</summary>
    public abstract int Count { get; }

    /// <summary>The entry at a position, 0-based in file order.</summary>
    /// <param name="position">Below <see cref="Count"/>.</param>
    /// <returns>The entry.</returns>
    public EntryHandle this[int position] =>
        (uint)position < (uint)Count ? new(this, position) : throw new ArgumentOutOfRangeException(nameof(position), position, $"The index has {Count} entries.");

    /// <summary>Whether the format links entries by parent ids (Claude Code) rather than by file order.</summary>
    public abstract bool HasParentGraph { get; }

    /// <summary>The session id most entries carry.</summary>
    public abstract string? SessionId { get; }

    /// <summary>How many messages the resume chain has (the messages a resume would send).</summary>
    public abstract int MessageCount { get; }

    /// <summary>A message of the resume chain.</summary>
    /// <param name="number">0-based, below <see cref="MessageCount"/>.</param>
    /// <returns>The message.</returns>
    public MessageHandle MessageAt(int number) =>
        (uint)number < (uint)MessageCount ? new(this, number) : throw new ArgumentOutOfRangeException(nameof(number), number, $"The resume chain has {MessageCount} messages.");

    /// <summary>How many entries the walk from the chain's root to the leaf passes (progress and system lines included), as <see cref="Conversation.ChainEntries"/>.</summary>
    public int ChainLength => ChainEntryCount;

    /// <summary>One entry of that walk, from the root.</summary>
    /// <param name="i">0-based, below <see cref="ChainLength"/>.</param>
    /// <returns>The entry.</returns>
    public EntryHandle ChainEntryAt(int i) =>
        (uint)i < (uint)ChainEntryCount ? Handle(ChainEntryPosition(i)) : throw new ArgumentOutOfRangeException(nameof(i), i, $"The chain has {ChainEntryCount} entries.");

    /// <summary>The entry a resume continues from, or <see cref="EntryHandle.None"/> when the file has no conversation.</summary>
    public EntryHandle ResumeLeaf => Handle(ResumeLeafPosition);

    /// <summary>The entry <paramref name="entry"/>'s parent id names (its first copy), as <see cref="Conversation.ParentOf(Entry)"/>.</summary>
    /// <param name="entry">An entry of this index.</param>
    /// <returns>The parent, or <see cref="EntryHandle.None"/> for a root, a dangling parent and formats without a graph.</returns>
    public EntryHandle ParentOf(EntryHandle entry) => Handle(ParentPositionOf(Own(entry)));

    /// <summary>
    /// The first entry with <paramref name="entry"/>'s uuid: itself for a first copy, the first copy for a later one
    /// (the entry <see cref="ParentOf"/> answers for a child that names this uuid).
    /// </summary>
    /// <param name="entry">An entry of this index.</param>
    /// <returns>The first copy, or <see cref="EntryHandle.None"/> when the entry has no uuid.</returns>
    public EntryHandle FirstCopyOf(EntryHandle entry) => Handle(FirstCopyPositionOf(Own(entry)));

    /// <summary>Whether the entry is the copy of its uuid a resume uses, as <see cref="Conversation.IsCanonical(Entry)"/>.</summary>
    /// <param name="entry">An entry of this index.</param>
    /// <returns>True for entries without a uuid and for the copy of each uuid a resume uses.</returns>
    public bool IsCanonical(EntryHandle entry) => IsCanonicalAt(Own(entry));

    /// <summary>Whether a resume would send the entry (it is on the resume chain or re-attached to it).</summary>
    /// <param name="entry">An entry of this index.</param>
    /// <returns>True when a resume would send it.</returns>
    public bool IsInResumeContext(EntryHandle entry) => IsInResumeContextAt(Own(entry));

    /// <summary>How many content blocks an entry holds.</summary>
    /// <param name="entry">An entry of this index.</param>
    /// <returns>The count of <see cref="Entry.Blocks"/>.</returns>
    public int BlockCountOf(EntryHandle entry) => BlockCountAt(Own(entry));

    /// <summary>One of an entry's content blocks.</summary>
    /// <param name="entry">An entry of this index.</param>
    /// <param name="ordinal">0-based, below <see cref="BlockCountOf"/>.</param>
    /// <returns>The block.</returns>
    public BlockHandle BlockOf(EntryHandle entry, int ordinal)
    {
        var position = Own(entry);
        return (uint)ordinal < (uint)BlockCountAt(position) ? new(this, position, ordinal) : throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, "Past the entry's blocks.");
    }

    /// <summary>The handle of an entry object of this transcript (one an entry action saw, or <see cref="EntryHandle.ToEntry"/> gave).</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>Its handle, or <see cref="EntryHandle.None"/> when it is not one of this transcript's.</returns>
    public EntryHandle HandleOf(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Handle(PositionOfEntry(entry));
    }

    /// <summary>The entries whose parent id is this entry's uuid, in file order, as <see cref="Conversation.ChildrenOf(Entry)"/>.</summary>
    /// <param name="entry">An entry of this index.</param>
    /// <returns>The children (none when it has no uuid).</returns>
    public IReadOnlyList<EntryHandle> ChildrenOf(EntryHandle entry) => ChildrenAt(Own(entry));

    /// <summary>The entry after this one on the parent chain toward the leaf, as <see cref="Conversation.ChainChildOf(Entry)"/>.</summary>
    /// <param name="entry">An entry of this index.</param>
    /// <returns>The next chain entry, or <see cref="EntryHandle.None"/> at the leaf or off the chain.</returns>
    public EntryHandle ChainChildOf(EntryHandle entry) => Handle(ChainChildPositionOf(Own(entry)));

    /// <summary>Where a result written for a call belongs, as <see cref="Conversation.ResultAnchorOf(Entry, string)"/>.</summary>
    /// <param name="callEntry">The entry holding the call.</param>
    /// <param name="toolId">The call id.</param>
    /// <returns>The entry to insert the result after.</returns>
    public EntryHandle ResultAnchorOf(EntryHandle callEntry, string toolId)
    {
        ArgumentNullException.ThrowIfNull(toolId);
        return Handle(ResultAnchorPositionOf(Own(callEntry), toolId));
    }

    // What a backing provides, by position: the host's kept entries (the object model's adapter) or its rows.
    internal abstract int ResumeLeafPosition { get; }

    internal abstract EntryKind KindAt(int position);

    internal abstract TranscriptLine LineAt(int position);

    internal abstract string? TypeNameAt(int position);

    internal abstract string? RoleAt(int position);

    internal abstract string? SessionIdAt(int position);

    internal abstract bool IsSyntheticAt(int position);

    internal abstract bool HasUuidAt(int position);

    internal abstract string? UuidAt(int position);

    internal abstract Entry EntryAt(int position);

    internal abstract string? ParentUuidAt(int position);

    internal abstract SyntheticReason SyntheticAt(int position);

    internal abstract string? MessageIdAt(int position);

    internal abstract string? ModelAt(int position);

    internal abstract string? SubtypeAt(int position);

    internal abstract ClaudeCodeFacts? ClaudeCodeAt(int position);

    internal abstract int ResultAnchorPositionOf(int position, string toolId);

    internal abstract int ChainEntryCount { get; }

    internal abstract int ChainEntryPosition(int i);

    internal abstract int PositionOfEntry(Entry entry);

    internal abstract IReadOnlyList<EntryHandle> ChildrenAt(int position);

    internal abstract int ChainChildPositionOf(int position);

    internal abstract int ParentPositionOf(int position);

    internal abstract int FirstCopyPositionOf(int position);

    internal abstract bool IsCanonicalAt(int position);

    internal abstract bool IsInResumeContextAt(int position);

    internal abstract MessageRole MessageRoleAt(int number);

    internal abstract int MessageEntryCount(int number);

    internal abstract int MessageEntryPosition(int number, int i);

    internal abstract int BlockCountAt(int position);

    internal abstract ContentBlock BlockAt(int position, int ordinal);

    // Each block fact reads the block object unless a backing keeps it as a row of its own.
    internal virtual BlockKind BlockKindAt(int position, int ordinal) => BlockAt(position, ordinal).Kind;

    internal virtual string BlockTypeNameAt(int position, int ordinal) => BlockAt(position, ordinal).TypeName;

    internal virtual int BlockIndexAt(int position, int ordinal) => BlockAt(position, ordinal).Index;

    internal virtual string BlockPointerAt(int position, int ordinal) => BlockAt(position, ordinal).JsonPointer;

    internal virtual string? BlockToolIdAt(int position, int ordinal) => BlockAt(position, ordinal).ToolId;

    internal virtual string? BlockToolNameAt(int position, int ordinal) => BlockAt(position, ordinal).ToolName;

    internal virtual bool BlockIsWhitespaceOnlyAt(int position, int ordinal) => BlockAt(position, ordinal).IsWhitespaceOnly;

    internal virtual bool BlockHasTrailingWhitespaceAt(int position, int ordinal) => BlockAt(position, ordinal).HasTrailingWhitespace;

    internal virtual int BlockTextLengthAt(int position, int ordinal) => BlockAt(position, ordinal).TextLength;

    internal virtual int BlockSignatureLengthAt(int position, int ordinal) => BlockAt(position, ordinal).SignatureLength;

    internal virtual long BlockByteSizeAt(int position, int ordinal) => BlockAt(position, ordinal).ByteSize;

    internal virtual bool BlockIsErrorAt(int position, int ordinal) => BlockAt(position, ordinal).IsError;

    internal virtual System.Text.Json.JsonValueKind BlockInputKindAt(int position, int ordinal) => BlockAt(position, ordinal).InputKind;

    internal bool MessageIsRecovered(int number, EntryHandle entry) => MessageIsRecoveredAt(number, Own(entry));

    internal abstract bool MessageIsRecoveredAt(int number, int position);

    internal abstract int MessageCanonicalEntryCount(int number);

    internal abstract EntryHandle MessageCanonicalEntryAt(int number, int i);

    internal abstract int MessageBlockCount(int number);

    /// <summary>The blocks of a message without those of later copies of a line written twice, as <see cref="Message.CanonicalBlocks"/>.</summary>
    internal abstract int MessageCanonicalBlockCount(int number);

    internal abstract BlockHandle MessageBlockAt(int number, int i, bool canonical);

    internal BlockHandle NewBlock(int position, int ordinal) => new(this, position, ordinal);

    internal EntryHandle NewEntry(int position) => Handle(position);

    internal EntryHandle MessageEntryAt(int number, int i) =>
        (uint)i < (uint)MessageEntryCount(number) ? new(this, MessageEntryPosition(number, i)) : throw new ArgumentOutOfRangeException(nameof(i), i, "Past the message's entries.");

    private EntryHandle Handle(int position) => position >= 0 ? new(this, position) : EntryHandle.None;

    private int Own(EntryHandle entry) => entry.IndexOrNull == this
        ? entry.Position
        : throw new ArgumentException(entry.IsNone ? "EntryHandle.None names no entry." : "The handle names an entry of another transcript's index.", nameof(entry));
}
