using TranscriptLint.Engine.Dialects;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// The conversation index over rows (decision 0004, step 2): every answer comes from <see cref="EntryRows"/> and the
/// resume chain built over them by position, with no entry object kept. An entry object is made only when a rule asks
/// for one (<see cref="EntryHandle.ToEntry"/>, for a fix's edits): its line is read and parsed again, once.
/// </summary>
internal sealed class RowIndex(EntryRows rows, ClaudeCodeChain chain, Func<TranscriptLine, Entry?> readEntry) : ConversationIndex
{
    private Dictionary<int, Entry>? _made; // entries made again for a rule, by position: one object per entry
    private Dictionary<int, int[]>? _canonicalEntries;
    private Dictionary<int, int[]>? _canonicalBlocks;

    public override int Count => rows.Count;

    public override bool HasParentGraph => true;

    public override string? SessionId => chain.SessionId;

    public override int MessageCount => chain.MessageCount;

    internal override int ResumeLeafPosition => chain.LeafPosition;

    internal override EntryKind KindAt(int position) => rows.KindAt(position);

    internal override TranscriptLine LineAt(int position) => rows.LineAt(position);

    internal override string? TypeNameAt(int position) => rows.ShapeAt(position).TypeName;

    internal override string? RoleAt(int position) => rows.ShapeAt(position).Role;

    internal override string? SessionIdAt(int position) => rows.SessionIdAt(position);

    internal override bool IsSyntheticAt(int position) => rows.ShapeAt(position).Synthetic != SyntheticReason.None;

    internal override bool HasUuidAt(int position) => rows.UuidIdAt(position).HasValue;

    internal override string? UuidAt(int position) => rows.UuidIdAt(position).Text;

    internal override string? ParentUuidAt(int position) => rows.ParentIdAt(position).Text;

    internal override SyntheticReason SyntheticAt(int position) => rows.ShapeAt(position).Synthetic;

    internal override string? MessageIdAt(int position) => rows.MessageIdAt(position);

    internal override string? ModelAt(int position) => rows.ShapeAt(position).Model;

    internal override string? SubtypeAt(int position) => rows.ShapeAt(position).Subtype;

    internal override ClaudeCodeFacts? ClaudeCodeAt(int position) => rows.ShapeAt(position).ClaudeCode;

    internal override Entry EntryAt(int position)
    {
        _made ??= [];
        if (!_made.TryGetValue(position, out var entry))
        {
            var line = rows.LineAt(position);
            _made[position] = entry = readEntry(line) ?? throw new InvalidOperationException($"Line {line.Number} could not be read again.");
        }

        return entry;
    }

    // An entry object a rule holds: the one made again for its line, or (from an entry action) the line's own. With no
    // object kept to compare by reference, an entry of another file must differ in its line's place, its kind or its id.
    internal override int PositionOfEntry(Entry entry) =>
        rows.PositionOfLine(entry.Line.Number) is var p and >= 0 && rows.LineAt(p) == entry.Line && rows.KindAt(p) == entry.Kind && rows.UuidIdAt(p) == entry.UuidId ? p : -1;

    internal override int ResultAnchorPositionOf(int position, string toolId) => position;

    internal override int ChainEntryCount => chain.ChainLength;

    internal override int ChainEntryPosition(int i) => chain.ChainAt(i);

    internal override IReadOnlyList<EntryHandle> ChildrenAt(int position)
    {
        var children = chain.ChildrenAt(position);
        if (children.Count == 0)
        {
            return [];
        }

        var handles = new EntryHandle[children.Count];
        for (var i = 0; i < handles.Length; i++)
        {
            handles[i] = NewEntry(children[i]);
        }

        return handles;
    }

    internal override int ChainChildPositionOf(int position) => chain.ChainChildAt(position);

    internal override int ParentPositionOf(int position) => chain.ParentAt(position);

    internal override int FirstCopyPositionOf(int position) => chain.FirstCopyAt(position);

    internal override bool IsCanonicalAt(int position) => chain.IsCanonicalAt(position);

    internal override bool IsInResumeContextAt(int position) => chain.MessageOfAt(position) >= 0;

    internal override MessageRole MessageRoleAt(int number) => chain.RoleOf(number);

    internal override int MessageEntryCount(int number) => chain.EntryCountOf(number);

    internal override int MessageEntryPosition(int number, int i) => chain.EntryOf(number, i);

    internal override bool MessageIsRecoveredAt(int number, int position) => chain.IsRecoveredIn(number, position);

    internal override int MessageCanonicalEntryCount(int number) =>
        chain.HasDuplicates(number) ? CanonicalEntries(number).Length : chain.EntryCountOf(number);

    internal override EntryHandle MessageCanonicalEntryAt(int number, int i) =>
        NewEntry(chain.EntryOf(number, chain.HasDuplicates(number) ? CanonicalEntries(number)[i] : i));

    internal override int MessageBlockCount(int number) => chain.BlockCountOf(number);

    internal override int MessageCanonicalBlockCount(int number) =>
        chain.HasDuplicates(number) ? CanonicalBlocks(number).Length : chain.BlockCountOf(number);

    internal override BlockHandle MessageBlockAt(int number, int i, bool canonical)
    {
        var (position, ordinal) = chain.BlockOf(number, canonical && chain.HasDuplicates(number) ? CanonicalBlocks(number)[i] : i);
        return NewBlock(position, ordinal);
    }

    internal override int BlockCountAt(int position) => rows.BlockCountAt(position);

    internal override ContentBlock BlockAt(int position, int ordinal) => EntryAt(position).BlockAt(ordinal);

    internal override BlockKind BlockKindAt(int position, int ordinal) => rows.BlockShapeAt(position, ordinal).Kind;

    internal override string BlockTypeNameAt(int position, int ordinal) => rows.BlockShapeAt(position, ordinal).TypeName;

    internal override int BlockIndexAt(int position, int ordinal) => rows.BlockShapeAt(position, ordinal).Index;

    internal override string BlockPointerAt(int position, int ordinal) => rows.BlockShapeAt(position, ordinal).JsonPointer;

    internal override string? BlockToolIdAt(int position, int ordinal) => rows.BlockToolIdAt(position, ordinal);

    internal override string? BlockToolNameAt(int position, int ordinal) => rows.BlockShapeAt(position, ordinal).ToolName;

    internal override bool BlockIsWhitespaceOnlyAt(int position, int ordinal) => rows.BlockShapeAt(position, ordinal).IsWhitespaceOnly;

    internal override bool BlockHasTrailingWhitespaceAt(int position, int ordinal) => rows.BlockShapeAt(position, ordinal).HasTrailingWhitespace;

    internal override int BlockTextLengthAt(int position, int ordinal) => rows.BlockTextLengthAt(position, ordinal);

    internal override int BlockSignatureLengthAt(int position, int ordinal) => rows.BlockSignatureLengthAt(position, ordinal);

    internal override long BlockByteSizeAt(int position, int ordinal) => rows.BlockByteSizeAt(position, ordinal);

    internal override bool BlockIsErrorAt(int position, int ordinal) => rows.BlockShapeAt(position, ordinal).IsError;

    internal override System.Text.Json.JsonValueKind BlockInputKindAt(int position, int ordinal) => rows.BlockShapeAt(position, ordinal).InputKind;

    // A message that holds a later copy of a line: the numbers (within the message) of its canonical entries, and of
    // its blocks whose entry is canonical, kept once found (rare: most messages answer from the chain's lists).
    private int[] CanonicalEntries(int number) =>
        Canonical(ref _canonicalEntries, number, chain.EntryCountOf(number), i => chain.EntryOf(number, i));

    private int[] CanonicalBlocks(int number) =>
        Canonical(ref _canonicalBlocks, number, chain.BlockCountOf(number), i => chain.BlockOf(number, i).Position);

    private int[] Canonical(ref Dictionary<int, int[]>? cache, int number, int count, Func<int, int> positionOf)
    {
        cache ??= [];
        if (!cache.TryGetValue(number, out var kept))
        {
            cache[number] = kept = [.. Enumerable.Range(0, count).Where(i => chain.IsCanonicalAt(positionOf(i)))];
        }

        return kept;
    }
}
