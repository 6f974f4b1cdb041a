namespace TranscriptLint.Model;

/// <summary>
/// One message of the resume chain (<see cref="ConversationIndex.MessageAt"/>) named by its place in it, as
/// <see cref="Message"/> describes it: split lines merged, consecutive user lines merged, recovered results attached.
/// <c>default</c> names no message.
/// </summary>
public readonly struct MessageHandle : IEquatable<MessageHandle>
{
    private readonly ConversationIndex? _index;

    internal MessageHandle(ConversationIndex index, int number) => (_index, Number) = (index, number);

    /// <summary>The message's 0-based place in the resume chain (the API's <c>messages.N</c>).</summary>
    public int Number { get; }

    /// <summary>The API role.</summary>
    public MessageRole Role => Index.MessageRoleAt(Number);

    /// <summary>How many entries (lines) are merged into the message.</summary>
    public int EntryCount => Index.MessageEntryCount(Number);

    /// <summary>One of the message's entries, in chain order.</summary>
    /// <param name="i">0-based, below <see cref="EntryCount"/>.</param>
    /// <returns>The entry.</returns>
    public EntryHandle EntryAt(int i) => Index.MessageEntryAt(Number, i);

    /// <summary>How many of the message's entries are not later copies of a line written twice, as <see cref="Message.CanonicalEntries"/>.</summary>
    public int CanonicalEntryCount => Index.MessageCanonicalEntryCount(Number);

    /// <summary>One of <see cref="CanonicalEntryCount"/>'s entries, in chain order.</summary>
    /// <param name="i">0-based, below <see cref="CanonicalEntryCount"/>.</param>
    /// <returns>The entry.</returns>
    public EntryHandle CanonicalEntryAt(int i) =>
        (uint)i < (uint)CanonicalEntryCount ? Index.MessageCanonicalEntryAt(Number, i) : throw new ArgumentOutOfRangeException(nameof(i), i, "Past the message's entries.");

    /// <summary>Whether the entry was re-attached to the message by parallel-result recovery (not on the parent chain), as <see cref="Message.RecoveredEntries"/>.</summary>
    /// <param name="entry">An entry of the message's index.</param>
    /// <returns>True for a recovered entry.</returns>
    public bool IsRecovered(EntryHandle entry) => Index.MessageIsRecovered(Number, entry);

    /// <summary>The message's first entry.</summary>
    public EntryHandle FirstEntry => EntryAt(0);

    /// <summary>The message's last entry.</summary>
    public EntryHandle LastEntry => EntryAt(EntryCount - 1);

    /// <summary>The provider message id (<c>message.id</c>) of an assistant message: its last line's, as <see cref="Message.ProviderMessageId"/>.</summary>
    public string? ProviderMessageId => Role == MessageRole.Assistant && EntryCount > 0 ? LastEntry.MessageId : null;

    /// <summary>Whether any line of the message is harness-made, as <see cref="Message.IsSynthetic"/>.</summary>
    public bool IsSynthetic
    {
        get
        {
            for (var i = 0; i < EntryCount; i++)
            {
                if (EntryAt(i).IsSynthetic)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>How many blocks the message holds, in the order the provider would receive them, as <see cref="Message.Blocks"/>.</summary>
    public int BlockCount => Index.MessageBlockCount(Number);

    /// <summary>One of <see cref="BlockCount"/>'s blocks.</summary>
    /// <param name="i">0-based, below <see cref="BlockCount"/>.</param>
    /// <returns>The block.</returns>
    public BlockHandle BlockAt(int i) =>
        (uint)i < (uint)BlockCount ? Index.MessageBlockAt(Number, i, canonical: false) : throw new ArgumentOutOfRangeException(nameof(i), i, "Past the message's blocks.");

    /// <summary>
    /// How many blocks the message holds without those of later copies of a line written twice (TL1003), as
    /// <see cref="Message.CanonicalBlocks"/>: the blocks a rule reporting one defect once walks.
    /// </summary>
    public int CanonicalBlockCount => Index.MessageCanonicalBlockCount(Number);

    /// <summary>One of <see cref="CanonicalBlockCount"/>'s blocks, in the order the provider would receive them.</summary>
    /// <param name="i">0-based, below <see cref="CanonicalBlockCount"/>.</param>
    /// <returns>The block.</returns>
    public BlockHandle CanonicalBlockAt(int i) =>
        (uint)i < (uint)CanonicalBlockCount ? Index.MessageBlockAt(Number, i, canonical: true) : throw new ArgumentOutOfRangeException(nameof(i), i, "Past the message's blocks.");

    private ConversationIndex Index => _index ?? throw new InvalidOperationException("This MessageHandle names no message.");

    /// <inheritdoc/>
    public bool Equals(MessageHandle other) => ReferenceEquals(_index, other._index) && Number == other.Number;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MessageHandle other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _index is null ? -1 : Number;

    /// <summary>Whether two handles name the same message of the same index.</summary>
    /// <param name="left">A handle.</param>
    /// <param name="right">Another.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(MessageHandle left, MessageHandle right) => left.Equals(right);

    /// <summary>Whether two handles name different messages.</summary>
    /// <param name="left">A handle.</param>
    /// <param name="right">Another.</param>
    /// <returns>True when not equal.</returns>
    public static bool operator !=(MessageHandle left, MessageHandle right) => !left.Equals(right);
}
