using System.Globalization;
using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// Codex CLI rollout JSONL (<c>$CODEX_HOME/sessions/…/rollout-*.jsonl</c>): <c>{timestamp, type, payload}</c> lines.
/// Model-visible items are <c>response_item</c>s; calls and outputs pair by <c>call_id</c>. See formats.md §2.
/// </summary>
public sealed class CodexDialect : IDialect
{
    /// <summary>The dialect name.</summary>
    public const string DialectName = "codex";

    private static readonly HashSet<string> LineTypes = new(StringComparer.Ordinal)
    {
        "session_meta", "turn_context", "response_item", "event_msg", "compacted", "inter_agent_communication", "world_state",
    };

    /// <inheritdoc/>
    public string Name => DialectName;

    /// <inheritdoc/>
    public string? ParentPointer => null;

    /// <inheritdoc/>
    public bool Matches(JsonElement root) =>
        root.Prop("payload") is not null && root.Str("type") is { } t && LineTypes.Contains(t);

    /// <inheritdoc/>
    public Entry ReadEntry(JsonElement root, TranscriptLine line)
    {
        var type = root.Str("type");
        var payload = root.Prop("payload") ?? default;
        var itemType = payload.Str("type");
        var kind = EntryKind.Metadata;
        string? role = null;
        IReadOnlyList<ContentBlock> blocks = [];
        if (type == "response_item")
        {
            switch (itemType)
            {
                case "message":
                    role = payload.Str("role");
                    kind = role switch { "user" => EntryKind.User, "assistant" => EntryKind.Assistant, _ => EntryKind.Instruction };
                    blocks = ReadContent(payload.Prop("content"));
                    break;
                case "reasoning":
                    kind = EntryKind.Assistant;
                    role = "assistant";
                    blocks = [new ContentBlock { Kind = BlockKind.RedactedThinking, TypeName = "reasoning", Index = -1, JsonPointer = "/payload" }];
                    break;
                case "function_call" or "custom_tool_call" or "local_shell_call" or "tool_search_call":
                    kind = EntryKind.Assistant;
                    role = "assistant";
                    blocks = [Call(payload, itemType)];
                    break;
                case "function_call_output" or "custom_tool_call_output" or "tool_search_output":
                    kind = EntryKind.Tool;
                    role = "tool";
                    var (len, ws, trailing) = JsonFacts.TextShape(payload.Prop("output") is { ValueKind: JsonValueKind.Object } o ? o.Prop("content") : payload.Prop("output"));
                    blocks = [new ContentBlock { Kind = BlockKind.ToolResult, TypeName = itemType, Index = -1, JsonPointer = "/payload", ToolId = payload.Str("call_id"), TextLength = len, IsWhitespaceOnly = ws, HasTrailingWhitespace = trailing, ByteSize = len }];
                    break;
            }
        }

        return new Entry
        {
            Line = line,
            Kind = kind,
            TypeName = itemType is null ? type : type + "/" + itemType,
            Subtype = itemType,
            Role = role,
            SessionId = type == "session_meta" ? payload.Str("id") ?? payload.Str("session_id") : null,
            Timestamp = root.Str("timestamp"),
            HasContent = kind is EntryKind.User or EntryKind.Assistant or EntryKind.Tool,
            Blocks = blocks,
        };
    }

    private static ContentBlock Call(JsonElement payload, string itemType)
    {
        // Codex stores function arguments as a JSON string; an object encoded in it is a well-formed input.
        var input = itemType == "local_shell_call" ? payload.Prop("action") : payload.Prop("arguments") ?? payload.Prop("input");
        var inputKind = input?.ValueKind ?? JsonValueKind.Undefined;
        if (input is { ValueKind: JsonValueKind.String } s && itemType == "function_call")
        {
            try
            {
                using var doc = JsonDocument.Parse(s.GetString()!);
                inputKind = doc.RootElement.ValueKind;
            }
            catch (JsonException)
            {
            }
        }

        return new ContentBlock
        {
            Kind = BlockKind.ToolCall,
            TypeName = itemType,
            Index = -1,
            JsonPointer = "/payload",
            ToolId = payload.Str("call_id"),
            ToolName = payload.Str("name") ?? (itemType == "local_shell_call" ? "local_shell" : null),
            InputKind = itemType == "function_call" ? inputKind : JsonValueKind.Object,
        };
    }

    private static IReadOnlyList<ContentBlock> ReadContent(JsonElement? content)
    {
        if (content is not { ValueKind: JsonValueKind.Array } arr)
        {
            return ClaudeCodeDialect.ReadBlocks(content);
        }

        var list = new List<ContentBlock>();
        var i = 0;
        foreach (var b in arr.EnumerateArray())
        {
            var type = b.Str("type") ?? "";
            var pointer = "/payload/content/" + i.ToString(CultureInfo.InvariantCulture);
            if (type is "input_text" or "output_text" or "text")
            {
                list.Add(JsonFacts.TextBlock(b.Prop("text"), type, i, pointer));
            }
            else
            {
                list.Add(new ContentBlock { Kind = type.Contains("image", StringComparison.Ordinal) ? BlockKind.Image : BlockKind.Other, TypeName = type, Index = i, JsonPointer = pointer });
            }

            i++;
        }

        return list;
    }

    /// <inheritdoc/>
    public Conversation BuildConversation(IReadOnlyList<Entry> entries)
    {
        // A compaction replaces the history before it: a resume sends only what follows the last one.
        var last = -1;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].TypeName == "compacted" || entries[i].Subtype == "compaction")
            {
                last = i;
            }
        }

        return new LinearConversation(entries, last + 1, outputsFollowCalls: true, entries.Select(e => e.SessionId).FirstOrDefault(s => s is not null));
    }

    /// <inheritdoc/>
    public string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours) =>
        NewEntryWriter.Render(entry, Name, (w, result) =>
        {
            // Codex's own repair for a call without output: an "aborted" output right after the call.
            var callType = anchor.Prop("payload")?.Str("type");
            w.WriteStartObject();
            if (anchor.Str("timestamp") is { } ts)
            {
                w.WriteString("timestamp", ts);
            }

            w.WriteString("type", "response_item");
            w.WriteStartObject("payload");
            w.WriteString("type", callType == "custom_tool_call" ? "custom_tool_call_output" : "function_call_output");
            w.WriteString("call_id", result.ToolCallId);
            w.WriteString("output", "aborted");
            w.WriteEndObject();
            w.WriteEndObject();
        });
}
