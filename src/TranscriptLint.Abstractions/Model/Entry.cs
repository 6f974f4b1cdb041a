namespace TranscriptLint.Model;

/// <summary>What an entry (one parsed line) is, normalised across formats.</summary>
public enum EntryKind
{
    /// <summary>A type the dialect does not know; passed through untouched.</summary>
    Unknown = 0,

    /// <summary>A user message (prompts and tool results).</summary>
    User,

    /// <summary>An assistant message (or one block of a split response).</summary>
    Assistant,

    /// <summary>A system line (<c>compact_boundary</c>, <c>local_command</c>, …).</summary>
    System,

    /// <summary>A session summary/title line.</summary>
    Summary,

    /// <summary>A file-history snapshot (metadata, no uuid).</summary>
    [Obsolete("Claude Code metadata: read as EntryKind.Metadata with TypeName \"file-history-snapshot\". Removed in contract 2.0.")]
    FileHistorySnapshot,

    /// <summary>A queue operation (metadata, no uuid).</summary>
    [Obsolete("Claude Code metadata: read as EntryKind.Metadata with TypeName \"queue-operation\". Removed in contract 2.0.")]
    QueueOperation,

    /// <summary>A progress line (hooks, bash output, subagent progress).</summary>
    Progress,

    /// <summary>An attachment line (hook results, queued commands).</summary>
    Attachment,

    /// <summary>An AI-generated title.</summary>
    [Obsolete("Claude Code metadata: read as EntryKind.Metadata with TypeName \"ai-title\". Removed in contract 2.0.")]
    AiTitle,

    /// <summary>The last prompt marker.</summary>
    [Obsolete("Claude Code metadata: read as EntryKind.Metadata with TypeName \"last-prompt\". Removed in contract 2.0.")]
    LastPrompt,

    /// <summary>A tool message in formats where results are separate messages (OpenAI <c>role:"tool"</c>).</summary>
    Tool,

    /// <summary>A developer/system instruction message in chat formats.</summary>
    Instruction,

    /// <summary>
    /// Harness metadata that a resume does not send (Codex <c>session_meta</c>, <c>event_msg</c>; Claude Code
    /// <c>file-history-snapshot</c>, <c>queue-operation</c>, <c>ai-title</c>, <c>last-prompt</c>…); <see cref="Entry.TypeName"/> says which.
    /// </summary>
    Metadata,
}

/// <summary>Why an entry is considered made by the harness rather than returned by the model.</summary>
[Flags]
public enum SyntheticReason
{
    /// <summary>A real entry.</summary>
    None = 0,

    /// <summary><c>message.model</c> is <c>&lt;synthetic&gt;</c>.</summary>
    SyntheticModel = 1,

    /// <summary><c>isApiErrorMessage: true</c>.</summary>
    ApiErrorFlag = 2,

    /// <summary>The text is an API-error or rate-limit notice written by the harness.</summary>
    ApiErrorText = 4,
}

/// <summary>
/// One parsed transcript line: the compact facts the engine indexes. It holds ids, flags and block facts,
/// never the full text, so memory grows with the number of entries and not with their content.
/// </summary>
public sealed class Entry
{
    // An entry is kept for every line of a file until its conversation rules have run, so its own size is the index's
    // size: the facts many entries share (kind, type, role, model, session, flags) are one shared EntryShape, a
    // canonical uuid and parent uuid are 16 bytes each (not 94-byte strings), and what is rarely set lives in
    // EntryTexts, absent for most lines. 104 bytes an entry, where the plain properties took 250 with the uuid.
    private EntryShape _shape = EntryShape.Empty;
    private ulong _uuidHigh, _uuidLow, _parentHigh, _parentLow;
    private long _packedTimestamp;

    // The blocks, and the rare texts when there are any: one field, so the usual entry carries no empty reference.
    // Either the blocks list, the one block of a kept entry (see KeepCompact), or an EntryTexts that holds one of those.
    private object _rest = Array.Empty<ContentBlock>();

    /// <summary>The physical line this entry came from.</summary>
    public required TranscriptLine Line { get; init; }

    /// <summary>The normalised kind.</summary>
    public required EntryKind Kind
    {
        get => _shape.Kind;
        init => Own().Kind = value;
    }

    /// <summary>The <c>type</c> discriminator as written (e.g. <c>user</c>, <c>response_item</c>).</summary>
    public string? TypeName
    {
        get => _shape.TypeName;
        init => Own().TypeName = value;
    }

    /// <summary>The <c>subtype</c> of system lines (e.g. <c>compact_boundary</c>).</summary>
    public string? Subtype
    {
        get => _shape.Subtype;
        init => Own().Subtype = value;
    }

    /// <summary>The entry's own id (<c>uuid</c>), when the format has one.</summary>
    public string? Uuid
    {
        get => UuidId.Text;
        init => UuidId = EntryId.From(value);
    }

    /// <summary>The parent id (<c>parentUuid</c>); null for roots and formats without a graph.</summary>
    public string? ParentUuid
    {
        get => ParentId.Text;
        init => ParentId = EntryId.From(value);
    }

    // The ids as the index keeps them: the host's conversation graph keys its maps by them, so a graph of every line
    // never makes the strings.
    internal EntryId UuidId
    {
        get => new(_uuidHigh, _uuidLow, (_rest as EntryTexts)?.Uuid);
        init => (_uuidHigh, _uuidLow) = Keep(value, parent: false);
    }

    internal EntryId ParentId
    {
        get => new(_parentHigh, _parentLow, (_rest as EntryTexts)?.ParentUuid);
        init => (_parentHigh, _parentLow) = Keep(value, parent: true);
    }

    /// <summary>Whether the line has a <c>parentUuid</c> field at all (null or not).</summary>
    public bool HasParentField
    {
        get => _shape.HasParentField;
        init => Own().HasParentField = value;
    }

    /// <summary>The <c>logicalParentUuid</c> of compact boundaries.</summary>
    [Obsolete("Claude Code fact: use Entry.ClaudeCode.LogicalParentUuid. Removed in contract 2.0.")]
    public string? LogicalParentUuid
    {
        get => ClaudeCode?.LogicalParentUuid;
        init => ClaudeCode = (ClaudeCode ?? ClaudeCodeFacts.None) with { LogicalParentUuid = value };
    }

    /// <summary>The session id the entry belongs to.</summary>
    public string? SessionId
    {
        get => _shape.SessionId;
        init => Own().SessionId = value;
    }

    /// <summary>The message role (<c>user</c>, <c>assistant</c>, <c>tool</c>…), when the entry is a message.</summary>
    public string? Role
    {
        get => _shape.Role;
        init => Own().Role = value;
    }

    /// <summary>The provider message id (<c>message.id</c>) shared by the lines of one response.</summary>
    public string? MessageId { get; init; }

    /// <summary>The model that produced the entry (<c>message.model</c>).</summary>
    public string? Model
    {
        get => _shape.Model;
        init => Own().Model = value;
    }

    /// <summary>The subagent id (<c>agentId</c>).</summary>
    [Obsolete("Claude Code fact: use Entry.ClaudeCode.AgentId. Removed in contract 2.0.")]
    public string? AgentId
    {
        get => ClaudeCode?.AgentId;
        init => ClaudeCode = (ClaudeCode ?? ClaudeCodeFacts.None) with { AgentId = value };
    }

    /// <summary>
    /// The timestamp packed by a dialect straight from the line's bytes (<see cref="PackedTimestamp.Pack(ReadOnlySpan{byte})"/>),
    /// so the usual shape never becomes a string; set after <see cref="Timestamp"/>, which is then null.
    /// </summary>
    internal long PackedTimestampBits
    {
        get => _packedTimestamp;
        init
        {
            if (value != 0)
            {
                _packedTimestamp = value; // 0 leaves what Timestamp set (an escaped timestamp packs once decoded)
            }
        }
    }

    /// <summary>The ISO-8601 timestamp as written.</summary>
    public string? Timestamp
    {
        // Every line of a session has its own timestamp and few readers ask for it: the usual shape is kept in 8 bytes.
        get => (_rest as EntryTexts)?.Timestamp ?? PackedTimestamp.Unpack(_packedTimestamp);
        init
        {
            _packedTimestamp = PackedTimestamp.Pack(value);
            if (_packedTimestamp == 0 && value is not null)
            {
                Texts().Timestamp = value;
            }
        }
    }

    /// <summary>Whether the entry belongs to a subagent (<c>isSidechain</c>).</summary>
    [Obsolete("Claude Code fact: use Entry.ClaudeCode.IsSidechain. Removed in contract 2.0.")]
    public bool IsSidechain
    {
        get => ClaudeCode?.IsSidechain ?? false;
        init => ClaudeCode = (ClaudeCode ?? ClaudeCodeFacts.None) with { IsSidechain = value };
    }

    /// <summary>Whether the harness injected this user content (<c>isMeta</c>).</summary>
    public bool IsMeta
    {
        get => _shape.IsMeta;
        init => Own().IsMeta = value;
    }

    /// <summary>Whether this is the summary line written after a compaction.</summary>
    [Obsolete("Claude Code fact: use Entry.ClaudeCode.IsCompactSummary. Removed in contract 2.0.")]
    public bool IsCompactSummary
    {
        get => ClaudeCode?.IsCompactSummary ?? false;
        init => ClaudeCode = (ClaudeCode ?? ClaudeCodeFacts.None) with { IsCompactSummary = value };
    }

    /// <summary>
    /// Facts only Claude Code records (subagent sidechains, compaction); null for every other dialect. Dialect-specific
    /// facts live behind such a named extension so the entry itself stays the same for every format.
    /// </summary>
    public ClaudeCodeFacts? ClaudeCode
    {
        get => _shape.ClaudeCode;
        init => Own().ClaudeCode = value;
    }

    /// <summary>Why the entry is harness-made, if it is.</summary>
    public SyntheticReason Synthetic
    {
        get => _shape.Synthetic;
        init => Own().Synthetic = value;
    }

    /// <summary>Whether the message has a <c>content</c> field.</summary>
    public bool HasContent
    {
        get => _shape.HasContent;
        init => Own().HasContent = value;
    }

    /// <summary>The content blocks (a string content is one <see cref="BlockKind.Text"/> block with index -1).</summary>
    public IReadOnlyList<ContentBlock> Blocks
    {
        // A kept entry with one block (most lines) holds the block itself, not a one-element array (32 bytes an entry,
        // 7 MB of a 1 GB session's index); the list is made when it is read, after the line's own rules have run.
        get
        {
            var blocks = StoredBlocks;
            // Only a list or one block is ever stored there (init and KeepCompact): no cast check on the hot path.
            return blocks is ContentBlock one ? new OneBlock(one) : System.Runtime.CompilerServices.Unsafe.As<IReadOnlyList<ContentBlock>>(blocks);
        }

        init
        {
            if (_rest is EntryTexts texts)
            {
                texts.Blocks = value;
            }
            else
            {
                _rest = value;
            }
        }
    }

    /// <summary>How many blocks <see cref="Blocks"/> holds, without making the list a kept entry's one block needs.</summary>
    internal int BlockCount => StoredBlocks is ContentBlock ? 1 : Blocks.Count;

    /// <summary>The block at <paramref name="index"/> of <see cref="Blocks"/>, without making that list either.</summary>
    /// <param name="index">The block's place in <see cref="Blocks"/>.</param>
    /// <returns>The block.</returns>
    internal ContentBlock BlockAt(int index) => StoredBlocks is ContentBlock one && index == 0 ? one : Blocks[index];

    // The blocks as stored: the list, or a kept entry's one block (see KeepCompact), whether or not rare texts are held.
    private object StoredBlocks => _rest is EntryTexts texts ? texts.Blocks : _rest;

    /// <summary>Whether the entry is a user or assistant message that a resume would send.</summary>
    public bool IsConversational => Kind is EntryKind.User or EntryKind.Assistant or EntryKind.Tool;

    /// <summary>Whether the entry is harness-made.</summary>
    public bool IsSynthetic => Synthetic != SyntheticReason.None;

    /// <summary>A reference to this entry for fixes and locations.</summary>
    public EntryRef Ref => new(Line.Number, Uuid);

    /// <inheritdoc/>
    public override string ToString() => $"line {Line.Number} {TypeName} {Uuid}";

    /// <summary>The shared facts, for a host that copies the entry into a row.</summary>
    internal EntryShape Shape => _shape;

    /// <summary>
    /// Shares this entry's shape (and its blocks') with the entries before it that have the same one (the host calls it
    /// on each entry it keeps; an entry built by hand keeps a shape of its own, which behaves the same).
    /// </summary>
    internal void ShareShape()
    {
        _shape = _shape.Share();
        var blocks = Blocks;
        for (var i = 0; i < blocks.Count; i++) // by index: foreach over the interface allocates an enumerator per line
        {
            blocks[i].ShareShape();
        }
    }

    /// <summary>
    /// Keeps a single block without its one-element list (the host calls it once the line's own rules have run; an entry
    /// built by hand keeps its list, which behaves the same).
    /// </summary>
    internal void KeepCompact()
    {
        if (_rest is EntryTexts texts)
        {
            if (texts.Blocks is IReadOnlyList<ContentBlock> { Count: 1 } inTexts)
            {
                texts.Blocks = inTexts[0];
            }
        }
        else if (_rest is IReadOnlyList<ContentBlock> { Count: 1 } one)
        {
            _rest = one[0];
        }
    }

    // The shape being initialised: copied first when it is shared, so setting a property never changes another entry.
    // Only the first setter of an entry finds it shared: the others read one flag, with no call into the shared generic
    // code and no reference written back (each a GC write barrier), about 15 times a line.
    private EntryShape Own() => _shape.IsShared ? _shape = _shape.Writable() : _shape;

    // An id's packed bits, its text set aside when it is not a packed uuid.
    private (ulong High, ulong Low) Keep(EntryId id, bool parent)
    {
        if (id.TextOnly is { } text)
        {
            if (parent)
            {
                Texts().ParentUuid = text;
            }
            else
            {
                Texts().Uuid = text;
            }
        }

        return (id.High, id.Low);
    }

    // The rare texts: made only when there is one to keep.
    private EntryTexts Texts()
    {
        if (_rest is not EntryTexts texts)
        {
            texts = new EntryTexts { Blocks = _rest };
            _rest = texts;
        }

        return texts;
    }
}

/// <summary>The facts many entries share.</summary>
internal sealed class EntryShape : SharedShape<EntryShape>
{
    public static EntryShape Empty { get; } = Frozen(new());

    public EntryKind Kind { get; set; }

    public string? TypeName { get; set; }

    public string? Subtype { get; set; }

    public string? SessionId { get; set; }

    public string? Role { get; set; }

    public string? Model { get; set; }

    public ClaudeCodeFacts? ClaudeCode { get; set; }

    public SyntheticReason Synthetic { get; set; }

    public bool HasParentField { get; set; }

    public bool IsMeta { get; set; }

    public bool HasContent { get; set; }

    protected override void CopyFrom(EntryShape other) =>
        (Kind, TypeName, Subtype, SessionId, Role, Model, ClaudeCode, Synthetic, HasParentField, IsMeta, HasContent) =
        (other.Kind, other.TypeName, other.Subtype, other.SessionId, other.Role, other.Model, other.ClaudeCode, other.Synthetic, other.HasParentField, other.IsMeta, other.HasContent);

    public override bool Equals(EntryShape? other) =>
        other is not null && Kind == other.Kind && Synthetic == other.Synthetic && HasParentField == other.HasParentField
        && IsMeta == other.IsMeta && HasContent == other.HasContent
        && string.Equals(TypeName, other.TypeName, StringComparison.Ordinal) && string.Equals(Subtype, other.Subtype, StringComparison.Ordinal)
        && string.Equals(SessionId, other.SessionId, StringComparison.Ordinal) && string.Equals(Role, other.Role, StringComparison.Ordinal)
        && string.Equals(Model, other.Model, StringComparison.Ordinal) && Equals(ClaudeCode, other.ClaudeCode);

    public override int GetHashCode() => HashCode.Combine(
        (int)Kind | ((int)Synthetic << 8) | (HasParentField ? 1 << 16 : 0) | (IsMeta ? 1 << 17 : 0) | (HasContent ? 1 << 18 : 0),
        Identity(TypeName), Identity(Subtype), Identity(SessionId), Identity(Role), Identity(Model), Identity(ClaudeCode));
}

/// <summary>What few entries have: ids that are not canonical uuids, a timestamp in an unusual shape.</summary>
internal sealed class EntryTexts
{
    // What Entry._rest held before a text was kept: the blocks list or one block.
    public required object Blocks { get; set; }

    public string? Uuid { get; set; }

    public string? ParentUuid { get; set; }

    public string? Timestamp { get; set; }
}

/// <summary>What a Claude Code line records beyond the dialect-neutral <see cref="Entry"/>.</summary>
public sealed record ClaudeCodeFacts
{
    /// <summary>No Claude Code facts set (a main-chain entry).</summary>
    public static ClaudeCodeFacts None { get; } = new();

    /// <summary>Whether the entry belongs to a subagent (<c>isSidechain</c>).</summary>
    public bool IsSidechain { get; init; }

    /// <summary>Whether this is the summary line written after a compaction (<c>isCompactSummary</c>).</summary>
    public bool IsCompactSummary { get; init; }

    /// <summary>The <c>logicalParentUuid</c> of compact boundaries: the entry the chain continues from.</summary>
    public string? LogicalParentUuid { get; init; }

    /// <summary>The subagent id (<c>agentId</c>); compaction helpers have ids starting <c>acompact</c>.</summary>
    public string? AgentId { get; init; }
}

/// <summary>A stable reference to an entry: its line in the linted file and its uuid when it has one.</summary>
/// <param name="Line">1-based line number in the file as it was linted.</param>
/// <param name="Uuid">The entry's uuid, when known; fixers check it still matches.</param>
public readonly record struct EntryRef(int Line, string? Uuid);

/// <summary>The one block of a kept entry, as the list <see cref="Entry.Blocks"/> returns.</summary>
internal sealed class OneBlock(ContentBlock block) : IReadOnlyList<ContentBlock>
{
    public int Count => 1;

    public ContentBlock this[int index] => index == 0 ? block : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<ContentBlock> GetEnumerator()
    {
        yield return block;
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
