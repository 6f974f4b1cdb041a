using System.Globalization;
using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// GitHub Copilot CLI <c>~/.copilot/session-state/&lt;id&gt;/events.jsonl</c>: one event per line,
/// <c>{type, data, id, timestamp, parentId}</c>. The conversation is what the CLI's resume replays into its history, in
/// file order (<c>processEventForState</c> in the CLI's bundled <c>app.js</c>, 1.0.60-1.0.63): <c>user.message</c> (it
/// sends <c>transformedContent</c> when there is one, and attachments), <c>assistant.message</c> (calls in
/// <c>data.toolRequests[].toolCallId</c>; not when <c>ephemeral</c>) and <c>tool.execution_complete</c> (the result,
/// same <c>toolCallId</c>; a user's own shell command, <c>isUserRequested</c>, is not a result). A sub-agent's events
/// (<c>agentId</c> on the event, or <c>data.parentToolCallId</c>) and every other event (hooks, turn markers, session
/// info) are metadata. docs/formats/copilot-cli.md has the evidence.
/// </summary>
public sealed class CopilotCliDialect : IDialect
{
    /// <summary>The dialect name.</summary>
    public const string DialectName = "copilot-cli";

    // Event type prefixes of the session-events schema; a line of any other shape is not this format.
    private static readonly string[] TypePrefixes =
    [
        "session.", "user.", "assistant.", "tool.", "hook.", "system.", "subagent.", "skill.", "permission.", "external_tool.",
        "command.", "elicitation.", "exit_plan_mode.", "pending_messages.", "abort",
    ];

    /// <inheritdoc/>
    public string Name => DialectName;

    /// <inheritdoc/>
    /// <remarks>
    /// Every event has its own id and millisecond timestamp, so a repeated line is one write made twice (nothing in the
    /// CLI dedupes events by id). The CLI sends tool results as <c>role:"tool"</c> messages, whatever model it talks to.
    /// Its default resume (and every <c>abort</c>) answers every call left without a result, wherever it is, with "The
    /// execution of this tool, or a previous tool was interrupted." in memory; only a resume through the SDK with
    /// <c>continuePendingWork</c> answers the last turn's alone (github/copilot-cli#3183). Its fixes are no longer held
    /// for review: how it rebuilds the request is read from its own code (docs/formats/copilot-cli.md).
    /// </remarks>
    public DialectTraits Traits { get; } = new()
    {
        RepeatedLineIsDuplicateWrite = true,
        ToolOutputsStayOwnItems = true,
        AnswersUnansweredCalls = UnansweredCallRepair.Anywhere,
    };

    /// <inheritdoc/>
    public string? ParentPointer => null;

    /// <inheritdoc/>
    public bool Matches(JsonElement root) =>
        root.Prop("data"u8) is { ValueKind: JsonValueKind.Object }
        && root.Str("type"u8) is { } type && Array.Exists(TypePrefixes, p => type.StartsWith(p, StringComparison.Ordinal))
        && root.Prop("id"u8) is not null && root.Prop("payload"u8) is null && root.Prop("uuid"u8) is null;

    /// <inheritdoc/>
    public Entry ReadEntry(JsonElement root, TranscriptLine line)
    {
        var type = root.Str("type"u8);
        var data = root.Prop("data"u8) ?? default;
        // What the resume leaves out of the history: a sub-agent's events, an ephemeral message, and a shell command the
        // user ran (sent as a user message holding its output, not as a result).
        var fromSubagent = data.Str("parentToolCallId"u8) is not null || root.Str("agentId"u8) is not null;
        var kind = fromSubagent ? EntryKind.Metadata : type switch
        {
            "user.message" => EntryKind.User,
            "assistant.message" when root.Prop("ephemeral"u8) is not { ValueKind: JsonValueKind.True } => EntryKind.Assistant,
            "tool.execution_complete" when data.Prop("isUserRequested"u8) is not { ValueKind: JsonValueKind.True } => EntryKind.Tool,
            "system.message" => EntryKind.Instruction,
            _ => EntryKind.Metadata,
        };
        var blocks = kind switch
        {
            EntryKind.User => ReadPrompt(data),
            EntryKind.Assistant => [.. ReadText(data), .. ReadToolRequests(data)],
            EntryKind.Tool => [ReadResult(data)],
            _ when type == ExecutionStart && data.Str("toolCallId"u8) is { } started => [StartedBlock(started)],
            _ => [],
        };
        return new Entry
        {
            Line = line,
            Kind = kind,
            TypeName = type,
            Role = kind switch { EntryKind.User => "user", EntryKind.Assistant => "assistant", EntryKind.Tool => "tool", _ => null },
            MessageId = data.Str("messageId"u8),
            Model = data.Str("model"u8),
            SessionId = type == "session.start" ? data.Str("sessionId"u8) : null,
            Timestamp = root.Str("timestamp"u8),
            HasContent = kind != EntryKind.Metadata && blocks.Count > 0,
            Blocks = blocks,
        };
    }

    // The event the CLI writes when a requested tool starts running; its completion is written after it.
    private const string ExecutionStart = "tool.execution_start";

    // A tool.execution_start keeps its call id (a block of no tool kind: not a call, not a result) so the conversation
    // can say where a result for that call belongs.
    private static ContentBlock StartedBlock(string toolCallId) =>
        new() { Kind = BlockKind.Other, TypeName = ExecutionStart, Index = -1, JsonPointer = "/data", ToolId = toolCallId };

    // What a prompt sends: its transformed text when there is one (the CLI sends that, not what was typed), and each
    // attachment (a file, a selection, an image), so a prompt made only of attachments is not an empty message.
    private static List<ContentBlock> ReadPrompt(JsonElement data)
    {
        var blocks = data.Prop("transformedContent"u8) is { ValueKind: JsonValueKind.String } transformed
            ? [JsonFacts.TextBlock(transformed, "text", -1, "/data/transformedContent")]
            : ReadText(data);
        if (data.Prop("attachments"u8) is { ValueKind: JsonValueKind.Array } attachments)
        {
            var i = 0;
            foreach (var attachment in attachments.EnumerateArray())
            {
                blocks.Add(new ContentBlock
                {
                    Kind = BlockKind.Other,
                    TypeName = attachment.Str("type"u8) ?? "attachment",
                    Index = i,
                    JsonPointer = "/data/attachments/" + i.ToString(CultureInfo.InvariantCulture),
                });
                i++;
            }
        }

        return blocks;
    }

    // An assistant message that only requests tools is written with content ""; that is not an empty text block.
    private static List<ContentBlock> ReadText(JsonElement data) =>
        data.Prop("content"u8) is { ValueKind: JsonValueKind.String } content && content.GetString()!.Length > 0
            ? [JsonFacts.TextBlock(content, "text", -1, "/data/content")]
            : [];

    private static List<ContentBlock> ReadToolRequests(JsonElement data)
    {
        var blocks = new List<ContentBlock>();
        if (data.Prop("toolRequests"u8) is not { ValueKind: JsonValueKind.Array } requests)
        {
            return blocks;
        }

        var i = 0;
        foreach (var request in requests.EnumerateArray())
        {
            blocks.Add(new ContentBlock
            {
                Kind = BlockKind.ToolCall,
                TypeName = "toolRequests",
                Index = i,
                JsonPointer = "/data/toolRequests/" + i.ToString(CultureInfo.InvariantCulture),
                ToolId = request.Str("toolCallId"u8),
                ToolName = request.Str("name"u8),
                InputKind = request.Prop("arguments"u8)?.ValueKind ?? JsonValueKind.Undefined,
            });
            i++;
        }

        return blocks;
    }

    private static ContentBlock ReadResult(JsonElement data)
    {
        var content = data.Prop("result"u8)?.Prop("content"u8) ?? data.Prop("error"u8)?.Prop("message"u8);
        var (length, whitespace, trailing) = JsonFacts.TextShape(content);
        return new ContentBlock
        {
            Kind = BlockKind.ToolResult,
            TypeName = "tool.execution_complete",
            Index = -1,
            JsonPointer = "/data",
            ToolId = data.Str("toolCallId"u8),
            TextLength = length,
            IsWhitespaceOnly = whitespace,
            HasTrailingWhitespace = trailing,
            ByteSize = length,
        };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The CLI writes each completion before the next model request (its results precede the next
    /// <c>assistant.message</c>), so file order is request order; unlike Codex, no output is moved.
    /// </remarks>
    public Conversation BuildConversation(IReadOnlyList<Entry> entries)
    {
        // The last start event of each call (a call started again is answered after its last start).
        var startedAt = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (e.TypeName == ExecutionStart && e.Blocks is [{ TypeName: ExecutionStart, ToolId: { } id }])
            {
                startedAt[id] = e;
            }
        }

        return new LinearConversation(entries, entries, outputsFollowCalls: false, entries.Select(e => e.SessionId).FirstOrDefault(s => s is not null), startedAt: startedAt);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A missing result is written as the completion the CLI writes for a failed tool: <c>success:false</c> with an
    /// <c>error</c>, chained by <c>parentId</c> to the event it follows; its id and timestamp derive from the call.
    /// </remarks>
    public string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours) =>
        NewEntryWriter.Render(entry, Name, (w, result) =>
        {
            w.WriteStartObject();
            w.WriteString("type", "tool.execution_complete");
            w.WriteStartObject("data");
            w.WriteString("toolCallId", result.ToolCallId);
            w.WriteBoolean("success", false);
            w.WriteStartObject("error");
            w.WriteString("message", result.Text);
            w.WriteString("code", "interrupted");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("id", result.DerivedUuid);
            if (anchor.Str("timestamp"u8) is { } timestamp)
            {
                w.WriteString("timestamp", timestamp);
            }

            w.WriteString("parentId", anchor.Str("id"u8));
            w.WriteEndObject();
        });
}
