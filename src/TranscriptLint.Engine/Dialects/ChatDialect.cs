using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// One chat message per line: OpenAI Chat Completions <c>messages</c> and Microsoft Amplifier
/// <c>transcript.jsonl</c> (<c>{role, content, tool_calls?, tool_call_id?}</c>). Results are <c>role:"tool"</c>
/// messages that must directly follow the assistant message holding the calls. See formats.md §3 and §5.
/// </summary>
public sealed class ChatDialect : IDialect
{
    /// <summary>The dialect name.</summary>
    public const string DialectName = "chat";

    /// <inheritdoc/>
    public string Name => DialectName;

    /// <inheritdoc/>
    public string? ParentPointer => null;

    /// <inheritdoc/>
    public bool Matches(JsonElement root) =>
        root.Str("role"u8) is { } role && role is "system" or "developer" or "user" or "assistant" or "tool" or "function"
        && root.Prop("payload"u8) is null && root.Prop("parentUuid"u8) is null;

    /// <inheritdoc/>
    public Entry ReadEntry(JsonElement root, TranscriptLine line)
    {
        var role = root.Str("role"u8);
        var kind = role switch
        {
            "user" => EntryKind.User,
            "assistant" => EntryKind.Assistant,
            "tool" or "function" => EntryKind.Tool,
            "system" or "developer" => EntryKind.Instruction,
            _ => EntryKind.Unknown,
        };
        var blocks = new List<ContentBlock>();
        var content = root.Prop("content"u8);
        if (kind == EntryKind.Tool)
        {
            var (len, ws, trailing) = JsonFacts.TextShape(content);
            blocks.Add(new ContentBlock { Kind = BlockKind.ToolResult, TypeName = "tool", Index = -1, JsonPointer = "/content", ToolId = root.Str("tool_call_id"u8), TextLength = len, IsWhitespaceOnly = ws, HasTrailingWhitespace = trailing, ByteSize = len });
        }
        else
        {
            blocks.AddRange(ReadContent(content));
        }

        if (root.Prop("tool_calls"u8) is { ValueKind: JsonValueKind.Array } calls)
        {
            var i = 0;
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.Prop("function"u8);
                var args = function?.Prop("arguments"u8) ?? call.Prop("arguments"u8);
                blocks.Add(new ContentBlock
                {
                    Kind = BlockKind.ToolCall,
                    TypeName = "tool_calls",
                    Index = i,
                    JsonPointer = JsonFacts.Pointer("/tool_calls", i),
                    ToolId = call.Str("id"u8),
                    ToolName = function?.Str("name"u8) ?? call.Str("tool"u8) ?? call.Str("name"u8),
                    // OpenAI encodes arguments as a JSON string; Amplifier as an object. Both are well formed.
                    InputKind = args is { ValueKind: JsonValueKind.String } ? JsonValueKind.Object : args?.ValueKind ?? JsonValueKind.Undefined,
                });
                i++;
            }
        }

        return new Entry
        {
            Line = line,
            Kind = kind,
            TypeName = role,
            Role = role,
            Timestamp = root.Prop("metadata"u8)?.Str("timestamp"u8),
            HasContent = content is { ValueKind: not JsonValueKind.Null } || blocks.Count > 0,
            Blocks = blocks,
        };
    }

    private static IEnumerable<ContentBlock> ReadContent(JsonElement? content)
    {
        if (content is { ValueKind: JsonValueKind.String })
        {
            yield return JsonFacts.TextBlock(content, "string", -1, "/content");
            yield break;
        }

        if (content is not { ValueKind: JsonValueKind.Array } arr)
        {
            yield break;
        }

        var i = 0;
        foreach (var b in arr.EnumerateArray())
        {
            var pointer = JsonFacts.Pointer("/content", i);
            var type = b.Str("type"u8) ?? "";
            yield return type switch
            {
                "text" => JsonFacts.TextBlock(b.Prop("text"u8), type, i, pointer),
                "thinking" => new ContentBlock { Kind = BlockKind.Thinking, TypeName = type, Index = i, JsonPointer = pointer, SignatureLength = b.Str("signature"u8)?.Length ?? -1 },
                "redacted_thinking" => new ContentBlock { Kind = BlockKind.RedactedThinking, TypeName = type, Index = i, JsonPointer = pointer },
                "tool_call" => new ContentBlock { Kind = BlockKind.ToolCall, TypeName = type, Index = i, JsonPointer = pointer, ToolId = b.Str("id"u8), ToolName = b.Str("name"u8), InputKind = b.Prop("input"u8)?.ValueKind ?? JsonValueKind.Undefined },
                "tool_result" => new ContentBlock { Kind = BlockKind.ToolResult, TypeName = type, Index = i, JsonPointer = pointer, ToolId = b.Str("tool_call_id"u8) ?? b.Str("tool_use_id"u8) },
                "image" or "image_url" => new ContentBlock { Kind = BlockKind.Image, TypeName = type, Index = i, JsonPointer = pointer },
                _ => new ContentBlock { Kind = BlockKind.Other, TypeName = type, Index = i, JsonPointer = pointer },
            };
            i++;
        }
    }


    /// <inheritdoc/>
    public Conversation BuildConversation(IReadOnlyList<Entry> entries) =>
        new LinearConversation(entries, entries, outputsFollowCalls: false, null, linePerMessage: true);

    /// <inheritdoc/>
    public string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours) =>
        NewEntryWriter.Render(entry, Name, (w, result) =>
        {
            w.WriteStartObject();
            w.WriteString("role", "tool");
            w.WriteString("tool_call_id", result.ToolCallId);
            w.WriteString("content", result.Text);
            w.WriteEndObject();
        },
        (w, text) =>
        {
            w.WriteStartObject();
            w.WriteString("role", "assistant");
            w.WriteString("content", text.Text);
            w.WriteEndObject();
        });
}
