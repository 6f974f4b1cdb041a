namespace TranscriptLint.Model;

/// <summary>The normalised kind of a content block, shared by every transcript format.</summary>
public enum BlockKind
{
    /// <summary>A block of a type the dialect does not model.</summary>
    Other = 0,

    /// <summary>Plain text (<c>text</c>, <c>input_text</c>, <c>output_text</c>, or a string content).</summary>
    Text,

    /// <summary>A <c>thinking</c> block with its signature.</summary>
    Thinking,

    /// <summary>A <c>redacted_thinking</c> block.</summary>
    RedactedThinking,

    /// <summary>A tool call (<c>tool_use</c>, OpenAI <c>tool_calls[]</c>, Codex <c>function_call</c>…).</summary>
    ToolCall,

    /// <summary>A tool result (<c>tool_result</c>, a <c>role:"tool"</c> message, Codex <c>*_output</c>…).</summary>
    ToolResult,

    /// <summary>An image.</summary>
    Image,

    /// <summary>A server-side tool call (<c>server_tool_use</c>); answered by the provider, not the client.</summary>
    ServerToolCall,

    /// <summary>A server-side tool result (<c>web_search_tool_result</c>, …).</summary>
    ServerToolResult,
}

/// <summary>
/// A compact view of one content block: its kind, ids and the facts rules need, but not its text, so the
/// conversation index stays small. Rules that need the text read it in an entry action.
/// </summary>
public sealed class ContentBlock
{
    // Kept for every block of a file until its conversation rules have run: the facts blocks share (kind, type, index,
    // pointer, tool name, flags) are one shared BlockShape, so a block costs its ids and sizes (48 bytes, not 80).
    private BlockShape _shape = BlockShape.Empty;

    /// <summary>The normalised kind.</summary>
    public required BlockKind Kind
    {
        get => _shape.Kind;
        init => Own().Kind = value;
    }

    /// <summary>The block's <c>type</c> as written (e.g. <c>tool_use</c>); <c>string</c> for string content.</summary>
    public required string TypeName
    {
        get => _shape.TypeName;
        init => Own().TypeName = value;
    }

    /// <summary>Index in the content array; -1 when the content is a plain string.</summary>
    public required int Index
    {
        get => _shape.Index;
        init => Own().Index = value;
    }

    /// <summary>RFC 6901 JSON pointer to the block inside its line, e.g. <c>/message/content/2</c>.</summary>
    public required string JsonPointer
    {
        get => _shape.JsonPointer;
        init => Own().JsonPointer = value;
    }

    /// <summary>For calls, the call id; for results, the id of the call they answer.</summary>
    public string? ToolId { get; init; }

    /// <summary>For calls, the tool name.</summary>
    public string? ToolName
    {
        get => _shape.ToolName;
        init => Own().ToolName = value;
    }

    /// <summary>For results, whether <c>is_error</c> is true.</summary>
    public bool IsError
    {
        get => _shape.IsError;
        init => Own().IsError = value;
    }

    /// <summary>For calls, the JSON kind of the input/arguments (Object for a well-formed Anthropic call).</summary>
    public System.Text.Json.JsonValueKind InputKind
    {
        get => _shape.InputKind;
        init => Own().InputKind = value;
    }

    /// <summary>Length in UTF-16 code units of the block's text (text and thinking blocks; result text).</summary>
    public int TextLength { get; init; }

    /// <summary>Whether the text is empty or only whitespace.</summary>
    public bool IsWhitespaceOnly
    {
        get => _shape.IsWhitespaceOnly;
        init => Own().IsWhitespaceOnly = value;
    }

    /// <summary>Whether the text ends with whitespace.</summary>
    public bool HasTrailingWhitespace
    {
        get => _shape.HasTrailingWhitespace;
        init => Own().HasTrailingWhitespace = value;
    }

    /// <summary>For thinking blocks: the signature length, or -1 when the field is missing.</summary>
    public int SignatureLength { get; init; } = -1;

    /// <summary>Approximate size in bytes of the block's JSON, for size rules.</summary>
    public long ByteSize { get; init; }

    /// <summary>The shared facts, for a host that copies the block into a row.</summary>
    internal BlockShape Shape => _shape;

    /// <summary>Shares this block's shape with the equal blocks before it (the host calls it on each block it keeps).</summary>
    internal void ShareShape() => _shape = _shape.Share();

    // As Entry's: only the first setter finds the shape shared.
    private BlockShape Own() => _shape.IsShared ? _shape = _shape.Writable() : _shape;
}

/// <summary>The facts many blocks share.</summary>
internal sealed class BlockShape : SharedShape<BlockShape>
{
    public static BlockShape Empty { get; } = Frozen(new());

    public BlockKind Kind { get; set; }

    public string TypeName { get; set; } = "";

    public int Index { get; set; }

    public string JsonPointer { get; set; } = "";

    public string? ToolName { get; set; }

    public bool IsError { get; set; }

    public System.Text.Json.JsonValueKind InputKind { get; set; }

    public bool IsWhitespaceOnly { get; set; }

    public bool HasTrailingWhitespace { get; set; }

    protected override void CopyFrom(BlockShape other) =>
        (Kind, TypeName, Index, JsonPointer, ToolName, IsError, InputKind, IsWhitespaceOnly, HasTrailingWhitespace) =
        (other.Kind, other.TypeName, other.Index, other.JsonPointer, other.ToolName, other.IsError, other.InputKind, other.IsWhitespaceOnly, other.HasTrailingWhitespace);

    public override bool Equals(BlockShape? other) =>
        other is not null && Kind == other.Kind && Index == other.Index && IsError == other.IsError && InputKind == other.InputKind
        && IsWhitespaceOnly == other.IsWhitespaceOnly && HasTrailingWhitespace == other.HasTrailingWhitespace
        && string.Equals(TypeName, other.TypeName, StringComparison.Ordinal) && string.Equals(JsonPointer, other.JsonPointer, StringComparison.Ordinal)
        && string.Equals(ToolName, other.ToolName, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(
        (int)Kind | ((int)InputKind << 8) | (IsError ? 1 << 16 : 0) | (IsWhitespaceOnly ? 1 << 17 : 0) | (HasTrailingWhitespace ? 1 << 18 : 0),
        Index, Identity(TypeName), Identity(JsonPointer), Identity(ToolName));
}
