namespace TranscriptLint.Model;

/// <summary>
/// One content block of an entry named by its place in the <see cref="ConversationIndex"/>: the entry and the block's
/// ordinal in the entry's blocks (<see cref="Entry.Blocks"/>), no object per block. Each property reads the index's
/// record of the block, as <see cref="ContentBlock"/>'s member of the same name does. <c>default</c> names no block.
/// </summary>
public readonly struct BlockHandle : IEquatable<BlockHandle>
{
    private readonly ConversationIndex? _index;
    private readonly int _entry;

    internal BlockHandle(ConversationIndex index, int entry, int ordinal) => (_index, _entry, Ordinal) = (index, entry, ordinal);

    /// <summary>The entry holding the block.</summary>
    public EntryHandle Entry => new(Index, _entry);

    /// <summary>The block's 0-based place in its entry's blocks.</summary>
    public int Ordinal { get; }

    /// <summary>The block's kind.</summary>
    public BlockKind Kind => Index.BlockKindAt(_entry, Ordinal);

    /// <summary>The raw <c>type</c> value, as <see cref="ContentBlock.TypeName"/>.</summary>
    public string TypeName => Index.BlockTypeNameAt(_entry, Ordinal);

    /// <summary>The block's place in its content array, as <see cref="ContentBlock.Index"/>.</summary>
    public int IndexInContent => Index.BlockIndexAt(_entry, Ordinal);

    /// <summary>The pointer to the block within its line, as <see cref="ContentBlock.JsonPointer"/>.</summary>
    public string JsonPointer => Index.BlockPointerAt(_entry, Ordinal);

    /// <summary>The tool call id of a call or result, as <see cref="ContentBlock.ToolId"/>.</summary>
    public string? ToolId => Index.BlockToolIdAt(_entry, Ordinal);

    /// <summary>The tool name of a call, as <see cref="ContentBlock.ToolName"/>.</summary>
    public string? ToolName => Index.BlockToolNameAt(_entry, Ordinal);

    /// <summary>Whether a text block holds only whitespace, as <see cref="ContentBlock.IsWhitespaceOnly"/>.</summary>
    public bool IsWhitespaceOnly => Index.BlockIsWhitespaceOnlyAt(_entry, Ordinal);

    /// <summary>Whether a text block ends in whitespace, as <see cref="ContentBlock.HasTrailingWhitespace"/>.</summary>
    public bool HasTrailingWhitespace => Index.BlockHasTrailingWhitespaceAt(_entry, Ordinal);

    /// <summary>The text's length in characters, as <see cref="ContentBlock.TextLength"/>.</summary>
    public int TextLength => Index.BlockTextLengthAt(_entry, Ordinal);

    /// <summary>A thinking block's signature length, -1 when it has none, as <see cref="ContentBlock.SignatureLength"/>.</summary>
    public int SignatureLength => Index.BlockSignatureLengthAt(_entry, Ordinal);

    /// <summary>The block's size in bytes of JSON, as <see cref="ContentBlock.ByteSize"/>.</summary>
    public long ByteSize => Index.BlockByteSizeAt(_entry, Ordinal);

    /// <summary>Whether a tool result says the call failed, as <see cref="ContentBlock.IsError"/>.</summary>
    public bool IsError => Index.BlockIsErrorAt(_entry, Ordinal);

    /// <summary>What a tool call's input is, as <see cref="ContentBlock.InputKind"/>.</summary>
    public System.Text.Json.JsonValueKind InputKind => Index.BlockInputKindAt(_entry, Ordinal);

    /// <summary>The block as an object, for a fix's edits or a helper written for the object model (see <see cref="EntryHandle.ToEntry"/>).</summary>
    /// <returns>The block.</returns>
    public ContentBlock ToBlock() => Index.BlockAt(_entry, Ordinal);

    private ConversationIndex Index => _index ?? throw new InvalidOperationException("This BlockHandle names no block.");

    /// <inheritdoc/>
    public bool Equals(BlockHandle other) => ReferenceEquals(_index, other._index) && _entry == other._entry && Ordinal == other.Ordinal;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BlockHandle other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _index is null ? -1 : HashCode.Combine(_entry, Ordinal);

    /// <summary>Whether two handles name the same block of the same index.</summary>
    /// <param name="left">A handle.</param>
    /// <param name="right">Another.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(BlockHandle left, BlockHandle right) => left.Equals(right);

    /// <summary>Whether two handles name different blocks.</summary>
    /// <param name="left">A handle.</param>
    /// <param name="right">Another.</param>
    /// <returns>True when not equal.</returns>
    public static bool operator !=(BlockHandle left, BlockHandle right) => !left.Equals(right);
}
