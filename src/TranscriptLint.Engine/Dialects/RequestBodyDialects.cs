using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>Which API a saved request body (or bare array of messages) was written for.</summary>
internal enum RequestBodyApi
{
    None,
    AnthropicMessages,
    OpenAIChat,
}

/// <summary>
/// Tells an Anthropic Messages request body from an OpenAI Chat Completions one. Both are
/// <c>{model, messages:[{role, content}]}</c>; they differ in roles (OpenAI has <c>system</c>/<c>developer</c>/
/// <c>tool</c> inside <c>messages</c>, Anthropic rejects them), in where tool calls live (OpenAI
/// <c>tool_calls</c>, Anthropic <c>tool_use</c> blocks) and in top-level fields (Anthropic <c>system</c>,
/// <c>anthropic_version</c>; OpenAI <c>max_completion_tokens</c>, <c>response_format</c>…). See formats.md §3, §4.
/// </summary>
internal static class RequestBodyShape
{
    private static readonly string[] OpenAIRoles = ["system", "developer", "tool", "function"];
    private static readonly string[] OpenAIPartTypes = ["image_url", "input_audio", "file", "refusal"];
    private static readonly string[] AnthropicBlockTypes = ["tool_use", "tool_result", "thinking", "redacted_thinking", "document", "server_tool_use", "image", "search_result"];
    private static readonly string[] OpenAITopLevel = ["max_completion_tokens", "response_format", "n", "frequency_penalty", "presence_penalty", "logprobs", "top_logprobs", "parallel_tool_calls", "stream_options", "reasoning_effort", "logit_bias", "seed", "store", "modalities"];
    private static readonly string[] AnthropicTopLevel = ["system", "anthropic_version", "thinking", "stop_sequences", "top_k", "anthropic_beta", "container", "mcp_servers"];

    /// <summary>The messages array of a body, or the root itself when it is a bare array of messages.</summary>
    public static JsonElement? Messages(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => root,
        JsonValueKind.Object when root.Prop("messages"u8) is { ValueKind: JsonValueKind.Array } m => m,
        _ => null,
    };

    public static RequestBodyApi Classify(JsonElement root)
    {
        if (Messages(root) is not { } messages)
        {
            return RequestBodyApi.None;
        }

        // A Gemini CLI session also has "messages", of records with "type" and no "role".
        var count = 0;
        int openai = 0, anthropic = 0;
        foreach (var m in messages.EnumerateArray())
        {
            if (m.Str("role"u8) is not { } role)
            {
                return RequestBodyApi.None;
            }

            count++;
            if (OpenAIRoles.Contains(role) || m.Prop("tool_calls"u8) is not null || m.Prop("tool_call_id"u8) is not null || m.Prop("function_call"u8) is not null)
            {
                openai++;
            }

            if (m.Prop("content"u8) is { ValueKind: JsonValueKind.Array } parts)
            {
                foreach (var p in parts.EnumerateArray())
                {
                    var type = p.Str("type"u8);
                    if (type is null)
                    {
                        continue;
                    }

                    if (OpenAIPartTypes.Contains(type))
                    {
                        openai++;
                    }
                    else if (AnthropicBlockTypes.Contains(type))
                    {
                        anthropic++;
                    }
                }
            }
        }

        if (root.ValueKind == JsonValueKind.Object)
        {
            if (count == 0 && root.Prop("model"u8) is null)
            {
                return RequestBodyApi.None; // {"messages": []} alone says nothing
            }

            foreach (var p in root.EnumerateObject())
            {
                if (OpenAITopLevel.Contains(p.Name))
                {
                    openai++;
                }
                else if (AnthropicTopLevel.Contains(p.Name))
                {
                    anthropic++;
                }
            }
        }
        else if (count == 0)
        {
            return RequestBodyApi.None; // "[]" is not a transcript
        }

        if (openai != anthropic)
        {
            return openai > anthropic ? RequestBodyApi.OpenAIChat : RequestBodyApi.AnthropicMessages;
        }

        // Plain user/assistant text either way: Anthropic requires max_tokens; a bare array is taken as Anthropic's.
        return root.ValueKind == JsonValueKind.Array || root.Prop("max_tokens"u8) is not null ? RequestBodyApi.AnthropicMessages : RequestBodyApi.OpenAIChat;
    }

    public static string EntriesPointer(JsonElement root) => root.ValueKind == JsonValueKind.Array ? "" : "/messages";

    /// <summary>A copy of <paramref name="e"/> keyed by <paramref name="uuid"/> (request bodies have no ids: the element's pointer).</summary>
    public static Entry WithUuid(Entry e, string uuid) => new()
    {
        Line = e.Line,
        Kind = e.Kind,
        TypeName = e.TypeName,
        Subtype = e.Subtype,
        Uuid = uuid,
        ParentUuid = e.ParentUuid,
        HasParentField = e.HasParentField,
        SessionId = e.SessionId,
        Role = e.Role,
        MessageId = e.MessageId,
        Model = e.Model,
        Timestamp = e.Timestamp,
        IsMeta = e.IsMeta,
        Synthetic = e.Synthetic,
        HasContent = e.HasContent,
        Blocks = e.Blocks,
        ClaudeCode = e.ClaudeCode,
    };

    public static string Compact(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(w);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}

/// <summary>
/// A saved Anthropic Messages API request body (<c>{model, max_tokens, system?, messages:[…]}</c>, usually pretty
/// printed: what proxies log and people paste into bug reports), or a bare JSON array of its messages. The
/// request IS what a resume sends: each element of <c>messages</c> is one entry (keyed by its pointer, e.g.
/// <c>/messages/3</c>), with Claude's content blocks. See formats.md §4 and docs/formats/anthropic-messages.md.
/// </summary>
public sealed class AnthropicMessagesDialect : IDocumentDialect
{
    /// <summary>The dialect name.</summary>
    public const string DialectName = "anthropic-messages";

    /// <inheritdoc/>
    public string Name => DialectName;

    /// <inheritdoc/>
    public string? ParentPointer => null;

    /// <inheritdoc/>
    public bool Matches(JsonElement root) => false; // never one object per line

    /// <inheritdoc/>
    public bool MatchesDocument(JsonElement root) => RequestBodyShape.Classify(root) == RequestBodyApi.AnthropicMessages;

    /// <inheritdoc/>
    public string EntriesPointer(JsonElement root) => RequestBodyShape.EntriesPointer(root);

    /// <inheritdoc/>
    public Entry ReadEntry(JsonElement root, TranscriptLine line) => ReadElement(root, line, "");

    /// <inheritdoc/>
    public Entry ReadElement(JsonElement element, TranscriptLine span, string pointer)
    {
        var role = element.Str("role"u8);
        var content = element.Prop("content"u8);
        return new Entry
        {
            Line = span,
            // The API accepts only "user" and "assistant" here; anything else is not sent as a turn.
            Kind = role switch { "user" => EntryKind.User, "assistant" => EntryKind.Assistant, _ => EntryKind.Unknown },
            TypeName = role,
            Role = role,
            Uuid = pointer,
            HasContent = content is { ValueKind: not JsonValueKind.Null },
            Blocks = ClaudeCodeDialect.ReadBlocks(content, "/content"),
        };
    }

    /// <inheritdoc/>
    public Conversation BuildConversation(IReadOnlyList<Entry> entries) => new LinearConversation(entries, entries, outputsFollowCalls: false, null);

    /// <inheritdoc/>
    public DocumentInsertion RenderInsertion(NewEntry entry, JsonElement anchor) => entry switch
    {
        // A user message holding the result; the API combines it with a user message that follows.
        SyntheticToolResult r => new NewElementAfter(RequestBodyShape.Compact(w =>
        {
            w.WriteStartObject();
            w.WriteString("role", "user");
            w.WriteStartArray("content");
            w.WriteStartObject();
            w.WriteString("type", "tool_result");
            w.WriteString("tool_use_id", r.ToolCallId);
            w.WriteString("content", r.Text);
            w.WriteBoolean("is_error", r.IsError);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        })),
        RawJsonEntry raw => new NewElementAfter(raw.Json),
        _ => throw new NotSupportedException($"The {Name} dialect cannot write a {entry.GetType().Name}."),
    };

    /// <inheritdoc/>
    public string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours) =>
        RenderInsertion(entry, anchor) is NewElementAfter n ? n.Json : throw new NotSupportedException($"The {Name} dialect writes no lines.");
}

/// <summary>
/// A saved OpenAI Chat Completions request body (<c>{model, messages:[…]}</c> with <c>system</c>/<c>developer</c>/
/// <c>tool</c> roles and <c>tool_calls</c>), or a bare array of its messages: the whole-document form of the
/// one-message-per-line <see cref="ChatDialect"/>, read the same way. See formats.md §3 and docs/formats/openai-chat.md.
/// </summary>
public sealed class OpenAIChatBodyDialect : IDocumentDialect
{
    /// <summary>The dialect name.</summary>
    public const string DialectName = "openai-chat";

    private readonly ChatDialect _chat = new();

    /// <inheritdoc/>
    public string Name => DialectName;

    /// <inheritdoc/>
    /// <remarks>A Chat Completions body goes to an OpenAI-compatible API, where <c>tool</c> is a role of its own.</remarks>
    public DialectTraits Traits { get; } = new() { ToolOutputsStayOwnItems = true };

    /// <inheritdoc/>
    public string? ParentPointer => null;

    /// <inheritdoc/>
    public bool Matches(JsonElement root) => false;

    /// <inheritdoc/>
    public bool MatchesDocument(JsonElement root) => RequestBodyShape.Classify(root) == RequestBodyApi.OpenAIChat;

    /// <inheritdoc/>
    public string EntriesPointer(JsonElement root) => RequestBodyShape.EntriesPointer(root);

    /// <inheritdoc/>
    public Entry ReadEntry(JsonElement root, TranscriptLine line) => ReadElement(root, line, "");

    /// <inheritdoc/>
    public Entry ReadElement(JsonElement element, TranscriptLine span, string pointer) =>
        RequestBodyShape.WithUuid(_chat.ReadEntry(element, span), pointer);

    /// <inheritdoc/>
    public Conversation BuildConversation(IReadOnlyList<Entry> entries) => _chat.BuildConversation(entries);

    /// <inheritdoc/>
    public DocumentInsertion RenderInsertion(NewEntry entry, JsonElement anchor) =>
        new NewElementAfter(_chat.RenderNewEntry(entry, anchor, []));

    /// <inheritdoc/>
    public string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours) => _chat.RenderNewEntry(entry, anchor, neighbours);
}
