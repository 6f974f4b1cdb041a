using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// The facts a conversation builder reads of each entry, by its position in file order (decision 0004, step 2): the
/// uuid graph, the time index, the chain walk and the message builder read only these, so they run alike over the
/// entries a host kept (<see cref="EntryListFacts"/>) and over its compact rows.
/// </summary>
internal interface IEntryFacts
{
    /// <summary>How many entries there are.</summary>
    int Count { get; }

    EntryKind KindAt(int position);

    EntryId UuidIdAt(int position);

    EntryId ParentIdAt(int position);

    bool HasContentAt(int position);

    int LineNumberAt(int position);

    bool IsSidechainAt(int position);

    /// <summary>The timestamp in Unix milliseconds, or null when the entry has none that parses.</summary>
    long? TimeAt(int position);

    /// <summary>The session id; lines of one session share one string, so a run of equal references is one session.</summary>
    string? SessionIdAt(int position);

    bool HasMessageIdAt(int position);

    /// <summary>Whether two entries' <c>message.id</c>s are equal (two absent ones are).</summary>
    bool SameMessageId(int position, int other);

    /// <summary>Whether two entries' message keys (the message id, or the uuid without one) are equal.</summary>
    bool SameMessageKey(int position, int other);

    int BlockCountAt(int position);

    BlockKind BlockKindAt(int position, int ordinal);

    /// <summary>The block's index in the line's content array (-1 for a string content).</summary>
    int BlockIndexAt(int position, int ordinal);
}

/// <summary>The facts of a list of entry objects: what the builders read before rows.</summary>
internal sealed class EntryListFacts(IReadOnlyList<Entry> entries) : IEntryFacts
{
    public IReadOnlyList<Entry> Entries => entries;

    public int Count => entries.Count;

    public EntryKind KindAt(int position) => entries[position].Kind;

    public EntryId UuidIdAt(int position) => entries[position].UuidId;

    public EntryId ParentIdAt(int position) => entries[position].ParentId;

    public bool HasContentAt(int position) => entries[position].HasContent;

    public int LineNumberAt(int position) => entries[position].Line.Number;

    public bool IsSidechainAt(int position) => entries[position].ClaudeCode?.IsSidechain == true;

    public long? TimeAt(int position) => TimeOf(entries[position].PackedTimestampBits, entries[position].PackedTimestampBits == 0 ? entries[position].Timestamp : null);

    public string? SessionIdAt(int position) => entries[position].SessionId;

    public bool HasMessageIdAt(int position) => entries[position].MessageId is not null;

    public bool SameMessageId(int position, int other) => entries[position].MessageId == entries[other].MessageId;

    public bool SameMessageKey(int position, int other) =>
        (entries[position].MessageId ?? entries[position].Uuid) == (entries[other].MessageId ?? entries[other].Uuid);

    public int BlockCountAt(int position) => entries[position].BlockCount;

    public BlockKind BlockKindAt(int position, int ordinal) => entries[position].BlockAt(ordinal).Kind;

    public int BlockIndexAt(int position, int ordinal) => entries[position].BlockAt(ordinal).Index;

    /// <summary>
    /// A timestamp in Unix milliseconds: from its packed form, else parsed from its text (the text kept when it did not
    /// pack, <paramref name="unpacked"/>, or the packed one's).
    /// </summary>
    public static long? TimeOf(long packed, string? unpacked) => PackedTimestamp.ToUnixMilliseconds(packed)
        ?? ClaudeCodeDialect.ParseTimestamp(unpacked ?? PackedTimestamp.Unpack(packed))?.ToUnixTimeMilliseconds();
}
