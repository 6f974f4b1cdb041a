namespace TranscriptLint.Model;

/// <summary>
/// One entry of a transcript named by its place in the <see cref="ConversationIndex"/>: the index and a position, no
/// object per entry. Each property reads the index's record of the entry, so a rule can walk a million entries
/// without the host keeping an <see cref="Entry"/> for each. Compare handles with <c>==</c>: two handles are equal when
/// they name the same position of the same index. <c>default</c> is <see cref="None"/>, which names no entry.
/// </summary>
public readonly struct EntryHandle : IEquatable<EntryHandle>
{
    private readonly ConversationIndex? _index;

    internal EntryHandle(ConversationIndex index, int position) => (_index, Position) = (index, position);

    /// <summary>No entry (a root's parent, an empty chain's first entry).</summary>
    public static EntryHandle None => default;

    /// <summary>Whether this handle names no entry.</summary>
    public bool IsNone => _index is null;

    /// <summary>
    /// The entry's 0-based position: below <see cref="ConversationIndex.Count"/> for the transcript's entries, in file
    /// order; at or above it for an entry the conversation made for a message (a Gemini CLI function-response turn, the
    /// items of a Codex <c>compacted</c> row's replacement history), which shares its line with the entry it came from.
    /// </summary>
    public int Position { get; }

    /// <summary>The entry's kind.</summary>
    public EntryKind Kind => Index.KindAt(Position);

    /// <summary>The physical line of the entry.</summary>
    public TranscriptLine Line => Index.LineAt(Position);

    /// <summary>The raw <c>type</c> value, as <see cref="Entry.TypeName"/>.</summary>
    public string? TypeName => Index.TypeNameAt(Position);

    /// <summary>The raw <c>subtype</c> value, as <see cref="Entry.Subtype"/>.</summary>
    public string? Subtype => Index.SubtypeAt(Position);

    /// <summary>Claude Code's own facts about the entry, null on every other format, as <see cref="Entry.ClaudeCode"/>.</summary>
    public ClaudeCodeFacts? ClaudeCode => Index.ClaudeCodeAt(Position);

    /// <summary>The message role (<c>message.role</c>), as <see cref="Entry.Role"/>.</summary>
    public string? Role => Index.RoleAt(Position);

    /// <summary>The session id the entry carries, as <see cref="Entry.SessionId"/>.</summary>
    public string? SessionId => Index.SessionIdAt(Position);

    /// <summary>Whether the entry was written by the harness, not the provider (<see cref="Entry.IsSynthetic"/>).</summary>
    public bool IsSynthetic => Index.IsSyntheticAt(Position);

    /// <summary>Whether the entry has a uuid (or, in formats without uuids, an id the graph links by).</summary>
    public bool HasUuid => Index.HasUuidAt(Position);

    /// <summary>The entry's uuid as a string, made on each read: for locations and messages, not for comparing entries (compare handles).</summary>
    public string? Uuid => Index.UuidAt(Position);

    /// <summary>The parent id as a string, made on each read (see <see cref="Uuid"/>); <see cref="ConversationIndex.ParentOf"/> finds the parent.</summary>
    public string? ParentUuid => Index.ParentUuidAt(Position);

    /// <summary>Why the entry is harness-made, as <see cref="Entry.Synthetic"/>.</summary>
    public SyntheticReason Synthetic => Index.SyntheticAt(Position);

    /// <summary>The provider message id (<c>message.id</c>), as <see cref="Entry.MessageId"/>.</summary>
    public string? MessageId => Index.MessageIdAt(Position);

    /// <summary>The model that produced the entry (<c>message.model</c>), as <see cref="Entry.Model"/>.</summary>
    public string? Model => Index.ModelAt(Position);

    /// <summary>What a fix's edits name the entry by (its line and uuid), as <see cref="Entry.Ref"/>.</summary>
    public EntryRef Ref => new(Line.Number, Uuid);

    /// <summary>
    /// The entry as an object, for what takes one: a fix's edits (<see cref="Entry.Ref"/>), a helper written for the
    /// object model. A host that keeps entries returns the kept one; one that keeps only the index may read the line
    /// again, so ask for it when a finding needs it, not for every entry.
    /// </summary>
    /// <returns>The entry.</returns>
    public Entry ToEntry() => Index.EntryAt(Position);

    internal ConversationIndex? IndexOrNull => _index;

    private ConversationIndex Index => _index ?? throw new InvalidOperationException("EntryHandle.None names no entry.");

    /// <inheritdoc/>
    public bool Equals(EntryHandle other) => ReferenceEquals(_index, other._index) && Position == other.Position;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EntryHandle other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _index is null ? -1 : Position;

    /// <inheritdoc/>
    public override string ToString() => _index is null ? "(none)" : $"entry {Position} (line {Line.Number})";

    /// <summary>Whether two handles name the same entry of the same index.</summary>
    /// <param name="left">A handle.</param>
    /// <param name="right">Another.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(EntryHandle left, EntryHandle right) => left.Equals(right);

    /// <summary>Whether two handles name different entries.</summary>
    /// <param name="left">A handle.</param>
    /// <param name="right">Another.</param>
    /// <returns>True when not equal.</returns>
    public static bool operator !=(EntryHandle left, EntryHandle right) => !left.Equals(right);
}
