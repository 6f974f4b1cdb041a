using System.Globalization;
using System.Runtime.CompilerServices;
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

    public DialectTraits Traits { get; } = new() { RepeatedLineIsDuplicateWrite = true, ReasoningItemsAreUnordered = true, ToolOutputsStayOwnItems = true, AnswersUnansweredCalls = UnansweredCallRepair.Anywhere, RefusesInvalidUtf8 = true };

    /// <inheritdoc/>
    public string? ParentPointer => null;

    /// <inheritdoc/>
    public bool Matches(JsonElement root) =>
        root.Prop("payload"u8) is not null && root.Str("type"u8) is { } t && LineTypes.Contains(t);

    /// <inheritdoc/>
    public Entry ReadEntry(JsonElement root, TranscriptLine line)
    {
        var type = root.Str("type"u8);
        var payload = root.Prop("payload"u8) ?? default;
        var timestamp = root.Str("timestamp"u8);
        if (type == "response_item")
        {
            return ReadItem(payload, "/payload", line, timestamp, "response_item");
        }

        if (type == "compacted")
        {
            return ReadCompacted(payload, line, timestamp);
        }

        var itemType = payload.Str("type"u8);
        var entry = new Entry
        {
            Line = line,
            Kind = EntryKind.Metadata,
            TypeName = itemType is null ? type : type + "/" + itemType,
            Subtype = itemType,
            SessionId = type == "session_meta" ? payload.Str("id"u8) ?? payload.Str("session_id"u8) : null,
            Timestamp = timestamp,
        };
        if (type == "event_msg" && itemType == "thread_rolled_back" && payload.Prop("num_turns"u8) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var turns))
        {
            RolledBackTurns.AddOrUpdate(entry, new StrongBox<int>(Math.Max(0, turns)));
        }

        return entry;
    }

    /// <summary>
    /// The items a <c>compacted</c> row puts in place of the history before it, as entries of that row (their
    /// pointers lead into <c>/payload/replacement_history</c>). Codex's resume replaces its history with them
    /// (codex-rs <c>reconstruct_history_from_rollout</c>: <c>history.replace(replacement_history)</c>).
    /// </summary>
    internal static IReadOnlyList<Entry>? ReplacementOf(Entry compacted) =>
        Replacements.TryGetValue(compacted, out var items) ? items : null;

    private static readonly ConditionalWeakTable<Entry, IReadOnlyList<Entry>> Replacements = [];

    private static Entry ReadCompacted(JsonElement payload, TranscriptLine line, string? timestamp)
    {
        if (payload.Prop("replacement_history"u8) is { ValueKind: JsonValueKind.Array } history)
        {
            var compacted = new Entry { Line = line, Kind = EntryKind.Metadata, TypeName = "compacted", Subtype = "replacement_history", Timestamp = timestamp };
            var items = new List<Entry>();
            var i = 0;
            foreach (var item in history.EnumerateArray())
            {
                items.Add(ReadItem(item, "/payload/replacement_history/" + i.ToString(CultureInfo.InvariantCulture), line, timestamp, "compacted"));
                i++;
            }

            Replacements.AddOrUpdate(compacted, items);
            return compacted;
        }

        // Older rollouts: Codex rebuilds the history from the earlier user messages plus this summary, sent as a
        // user message (codex-rs compact::build_compacted_history).
        return new Entry
        {
            Line = line,
            Kind = EntryKind.User,
            TypeName = "compacted",
            Subtype = "summary",
            Role = "user",
            Timestamp = timestamp,
            HasContent = true,
            Blocks = [JsonFacts.TextBlock(payload.Prop("message"u8), "compacted", -1, "/payload/message")],
        };
    }

    /// <summary>Reads one ResponseItem (a <c>response_item</c> payload or an element of a replacement history).</summary>
    private static Entry ReadItem(JsonElement payload, string pointer, TranscriptLine line, string? timestamp, string lineType)
    {
        var itemType = payload.Str("type"u8);
        var kind = EntryKind.Metadata;
        string? role = null;
        IReadOnlyList<ContentBlock> blocks = [];
        switch (itemType)
        {
            case "message":
                role = payload.Str("role"u8);
                kind = role switch { "user" => EntryKind.User, "assistant" => EntryKind.Assistant, _ => EntryKind.Instruction };
                blocks = ReadContent(payload.Prop("content"u8), pointer + "/content");
                break;
            case "reasoning":
                kind = EntryKind.Assistant;
                role = "assistant";
                blocks = [new ContentBlock { Kind = BlockKind.RedactedThinking, TypeName = "reasoning", Index = -1, JsonPointer = pointer }];
                break;
            case "function_call" or "custom_tool_call" or "local_shell_call" or "tool_search_call":
                kind = EntryKind.Assistant;
                role = "assistant";
                blocks = [Call(payload, itemType, pointer)];
                break;
            case "function_call_output" or "custom_tool_call_output" or "tool_search_output":
                kind = EntryKind.Tool;
                role = "tool";
                var (len, ws, trailing) = JsonFacts.TextShape(payload.Prop("output"u8) is { ValueKind: JsonValueKind.Object } o ? o.Prop("content"u8) : payload.Prop("output"u8));
                blocks = [new ContentBlock { Kind = BlockKind.ToolResult, TypeName = itemType, Index = -1, JsonPointer = pointer, ToolId = payload.Str("call_id"u8), TextLength = len, IsWhitespaceOnly = ws, HasTrailingWhitespace = trailing, ByteSize = len }];
                break;
        }

        return new Entry
        {
            Line = line,
            Kind = kind,
            TypeName = itemType is null ? lineType : lineType + "/" + itemType,
            Subtype = itemType,
            Role = role,
            Timestamp = timestamp,
            HasContent = kind is EntryKind.User or EntryKind.Assistant or EntryKind.Tool,
            Blocks = blocks,
        };
    }

    private static ContentBlock Call(JsonElement payload, string itemType, string pointer)
    {
        // Codex stores function arguments as a JSON string; an object encoded in it is a well-formed input.
        var input = itemType == "local_shell_call" ? payload.Prop("action"u8) : payload.Prop("arguments"u8) ?? payload.Prop("input"u8);
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
            JsonPointer = pointer,
            ToolId = payload.Str("call_id"u8),
            ToolName = payload.Str("name"u8) ?? (itemType == "local_shell_call" ? "local_shell" : null),
            InputKind = itemType == "function_call" ? inputKind : JsonValueKind.Object,
        };
    }

    private static IReadOnlyList<ContentBlock> ReadContent(JsonElement? content, string contentPointer)
    {
        if (content is not { ValueKind: JsonValueKind.Array } arr)
        {
            return content is { ValueKind: JsonValueKind.String } ? [JsonFacts.TextBlock(content, "string", -1, contentPointer)] : [];
        }

        var list = new List<ContentBlock>();
        var i = 0;
        foreach (var b in arr.EnumerateArray())
        {
            var type = b.Str("type"u8) ?? "";
            var pointer = JsonFacts.Pointer(contentPointer, i);
            if (type is "input_text" or "output_text" or "text")
            {
                list.Add(JsonFacts.TextBlock(b.Prop("text"u8), type, i, pointer));
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
    public Conversation BuildConversation(IReadOnlyList<Entry> entries) =>
        new LinearConversation(entries, ResumeHistory(entries), outputsFollowCalls: true, entries.Select(e => e.SessionId).FirstOrDefault(s => s is not null));

    /// <summary>
    /// The items a resume sends, rebuilt the way Codex rebuilds them (codex-rs <c>reconstruct_history_from_rollout</c>):
    /// every response item in file order; a <c>compacted</c> row replaces everything before it with its
    /// <c>replacement_history</c> (or, in older rollouts, with the earlier user messages and its summary);
    /// <c>thread_rolled_back</c> drops the last N user turns. <c>session_meta</c>, <c>turn_context</c> and other
    /// events (<c>turn_aborted</c> included) do not change the history.
    /// </summary>
    internal static List<Entry> ResumeHistory(IReadOnlyList<Entry> entries)
    {
        var history = new List<Entry>();
        foreach (var e in entries)
        {
            if (e.TypeName == "compacted")
            {
                if (ReplacementOf(e) is { } replacement)
                {
                    history = [.. replacement];
                }
                else
                {
                    history = [.. history.Where(h => h.Kind == EntryKind.User), e];
                }
            }
            else if (e.TypeName == "event_msg/thread_rolled_back")
            {
                DropLastUserTurns(history, RolledBackTurns.TryGetValue(e, out var n) ? n.Value : 1);
            }
            else if (e.TypeName?.StartsWith("response_item", StringComparison.Ordinal) == true)
            {
                history.Add(e);
            }
        }

        return history;
    }

    private static readonly ConditionalWeakTable<Entry, StrongBox<int>> RolledBackTurns = [];

    private static void DropLastUserTurns(List<Entry> history, int turns)
    {
        for (var t = 0; t < turns; t++)
        {
            var last = history.FindLastIndex(h => h.Kind == EntryKind.User);
            if (last < 0)
            {
                history.Clear();
                return;
            }

            history.RemoveRange(last, history.Count - last);
        }
    }

    /// <inheritdoc/>
    public string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours) =>
        NewEntryWriter.Render(entry, Name, (w, result) =>
        {
            // Codex's own repair for a call without output: an "aborted" output right after the call.
            var callType = anchor.Prop("payload"u8)?.Str("type"u8);
            w.WriteStartObject();
            if (anchor.Str("timestamp"u8) is { } ts)
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
