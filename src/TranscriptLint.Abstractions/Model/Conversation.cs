namespace TranscriptLint.Model;

/// <summary>The role of a message as a provider API sees it.</summary>
public enum MessageRole
{
    /// <summary>A user message (prompts and, in Anthropic's shape, tool results).</summary>
    User,

    /// <summary>An assistant message.</summary>
    Assistant,

    /// <summary>An OpenAI-style <c>role:"tool"</c> message carrying one result.</summary>
    Tool,

    /// <summary>A system or developer message.</summary>
    System,
}

/// <summary>One block of a message, with the entry (line) it came from.</summary>
/// <param name="Entry">The entry holding the block.</param>
/// <param name="Block">The block.</param>
public readonly record struct MessageBlock(Entry Entry, ContentBlock Block);

/// <summary>
/// One message of the resume chain as a provider would receive it: split lines merged, consecutive user
/// lines merged (tool results first), recovered parallel results attached. Every block points back to its line.
/// </summary>
public sealed class Message
{
    /// <summary>Position in <see cref="Conversation.ResumeChain"/>, 0-based (the API's <c>messages.N</c>).</summary>
    public required int Index { get; init; }

    /// <summary>The API role.</summary>
    public required MessageRole Role { get; init; }

    /// <summary>The entries (lines) merged into this message, in chain order.</summary>
    public required IReadOnlyList<Entry> Entries { get; init; }

    /// <summary>The blocks in the order the provider would receive them.</summary>
    public required IReadOnlyList<MessageBlock> Blocks { get; init; }

    /// <summary>Entries that are not on the parent chain but were re-attached by parallel-result recovery.</summary>
    public IReadOnlyList<Entry> RecoveredEntries { get; init; } = [];

    /// <summary>The provider message id (<c>message.id</c>) for assistant messages.</summary>
    public string? ProviderMessageId => Role == MessageRole.Assistant ? Entries.Count > 0 ? Entries[^1].MessageId : null : null;

    /// <summary>Whether any line of the message is harness-made.</summary>
    public bool IsSynthetic
    {
        get
        {
            for (var i = 0; i < Entries.Count; i++)
            {
                if (Entries[i].IsSynthetic)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The first entry of the message.</summary>
    public Entry FirstEntry => Entries[0];

    /// <summary>The last entry of the message.</summary>
    public Entry LastEntry => Entries[^1];

    /// <summary>The tool calls in this message.</summary>
    public IEnumerable<MessageBlock> ToolCalls => OfKind(Blocks, BlockKind.ToolCall);

    /// <summary>The tool results in this message.</summary>
    public IEnumerable<MessageBlock> ToolResults => OfKind(Blocks, BlockKind.ToolResult);

    /// <summary>
    /// Later copies of a line written twice (same uuid, TL1003) that recovery re-attached to this message. A resume
    /// sends them, so they stay in <see cref="Entries"/> and <see cref="Blocks"/>; rules that report one defect once
    /// read the <c>Canonical*</c> members, which leave them out.
    /// </summary>
    public IReadOnlyList<Entry> DuplicateEntries { get; init; } = [];

    /// <summary>The entries without <see cref="DuplicateEntries"/>.</summary>
    public IReadOnlyList<Entry> CanonicalEntries => DuplicateEntries.Count == 0 ? Entries : [.. Entries.Where(e => !IsDuplicate(e))];

    /// <summary>The blocks without those of <see cref="DuplicateEntries"/>.</summary>
    public IReadOnlyList<MessageBlock> CanonicalBlocks => DuplicateEntries.Count == 0 ? Blocks : [.. Blocks.Where(b => !IsDuplicate(b.Entry))];

    /// <summary>The tool calls without those of <see cref="DuplicateEntries"/>.</summary>
    public IEnumerable<MessageBlock> CanonicalToolCalls => OfKind(CanonicalBlocks, BlockKind.ToolCall);

    /// <summary>The tool results without those of <see cref="DuplicateEntries"/>.</summary>
    public IEnumerable<MessageBlock> CanonicalToolResults => OfKind(CanonicalBlocks, BlockKind.ToolResult);

    // Rules ask every message of the chain for its calls or results, and most messages hold none: those get the shared
    // empty array, so asking makes no iterator and no enumerator (about a fifth of what linting a session allocated).
    private static IEnumerable<MessageBlock> OfKind(IReadOnlyList<MessageBlock> blocks, BlockKind kind)
    {
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i].Block.Kind == kind)
            {
                return kind == BlockKind.ToolCall ? blocks.Where(static b => b.Block.Kind == BlockKind.ToolCall) : blocks.Where(static b => b.Block.Kind == BlockKind.ToolResult);
            }
        }

        return [];
    }

    private bool IsDuplicate(Entry entry) => DuplicateEntries.Contains(entry, ReferenceEqualityComparer.Instance);
}

/// <summary>
/// The conversation view of one transcript, built once the whole file has streamed past: the entry index,
/// the parent graph and the resume chain (the messages a resume would send).
/// </summary>
public abstract class Conversation
{
    /// <summary>Every parsed entry in file order.</summary>
    public abstract IReadOnlyList<Entry> Entries { get; }

    /// <summary>The messages a resume would send, in order.</summary>
    public abstract IReadOnlyList<Message> ResumeChain { get; }

    /// <summary>The entries walked from the root of the chain to the leaf (progress and system lines included).</summary>
    public abstract IReadOnlyList<Entry> ChainEntries { get; }

    /// <summary>The entry a resume continues from, or null when the file has no conversation.</summary>
    public abstract Entry? ResumeLeaf { get; }

    /// <summary>Whether the transcript format links entries by parent ids (Claude Code) rather than by file order.</summary>
    public abstract bool HasParentGraph { get; }

    /// <summary>Every entry except the copies of a uuid a resume does not use (see <see cref="IsCanonical"/>), in file order.</summary>
    public IEnumerable<Entry> CanonicalEntries => CanonicalEntriesInOrder();

    /// <summary>
    /// <see cref="CanonicalEntries"/>: a view that knows each entry's position overrides this to answer by position,
    /// instead of finding every entry's position again (several rules walk them all).
    /// </summary>
    internal virtual IEnumerable<Entry> CanonicalEntriesInOrder() => Entries.Where(IsCanonical);

    /// <summary>The session id most entries carry.</summary>
    public abstract string? SessionId { get; }

    /// <summary>Finds the first entry with this uuid.</summary>
    /// <param name="uuid">The uuid.</param>
    /// <returns>The entry, or null.</returns>
    public abstract Entry? FindByUuid(string uuid);

    /// <summary>The entry <paramref name="entry"/>'s <c>parentUuid</c> names (its first copy), or null.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The parent, or null for a root, a dangling parent and formats without a graph.</returns>
    public virtual Entry? ParentOf(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.ParentUuid is { } parent ? FindByUuid(parent) : null;
    }

    /// <summary>
    /// Whether <paramref name="entry"/> is the copy of its uuid a resume uses (the earliest; the last where records
    /// are updated by appending them again, <see cref="DialectTraits.RecordsUpdatedByAppending"/>). Rules skip the
    /// other copies so a duplicated line (TL1003) is reported once.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <returns>True for entries without a uuid and for the first copy of each uuid.</returns>
    public virtual bool IsCanonical(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Uuid is not { } id || ReferenceEquals(FindByUuid(id), entry);
    }

    /// <summary>The entries whose parent is <paramref name="uuid"/>, in file order.</summary>
    /// <param name="uuid">The parent uuid.</param>
    /// <returns>The children.</returns>
    public abstract IReadOnlyList<Entry> ChildrenOf(string uuid);

    /// <summary>The entries whose parent is <paramref name="entry"/>'s uuid, in file order (none when it has no uuid).</summary>
    /// <param name="entry">The parent entry.</param>
    /// <returns>The children.</returns>
    /// <remarks>For walks down the graph: a host keeps ids packed, so asking by entry makes no uuid string per step.</remarks>
    public virtual IReadOnlyList<Entry> ChildrenOf(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Uuid is { } uuid ? ChildrenOf(uuid) : [];
    }

    /// <summary>Whether the entry is walked by the resume chain (or re-attached to it).</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>True when a resume would send it.</returns>
    public abstract bool IsInResumeContext(Entry entry);

    /// <summary>The message of the resume chain that holds the entry, or null.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The message, or null.</returns>
    public abstract Message? MessageOf(Entry entry);

    /// <summary>
    /// Where a result written for a call belongs: the entry after which the harness itself writes the call's result.
    /// The call's own entry in most formats; Copilot CLI records a <c>tool.execution_start</c> event after the
    /// request and writes the completion after that. Fixes that insert a missing result anchor it here.
    /// </summary>
    /// <param name="callEntry">The entry holding the call.</param>
    /// <param name="toolId">The call id.</param>
    /// <returns>The entry to insert the result after.</returns>
    public virtual Entry ResultAnchorOf(Entry callEntry, string toolId) => callEntry;

    /// <summary>The entry that follows <paramref name="entry"/> on the parent chain toward the leaf, or null.</summary>
    /// <param name="entry">An entry on the chain.</param>
    /// <returns>The next chain entry, or null at the leaf or off the chain.</returns>
    public abstract Entry? ChainChildOf(Entry entry);
}
