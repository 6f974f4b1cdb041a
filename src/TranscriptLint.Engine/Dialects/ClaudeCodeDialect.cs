using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// Claude Code session JSONL (<c>~/.claude/projects/&lt;cwd&gt;/&lt;session&gt;.jsonl</c>): heterogeneous lines,
/// a uuid/parentUuid DAG, one content block per assistant line (lines of one response share <c>message.id</c>),
/// tool results as separate user lines. See reference/formats.md §1.
/// </summary>
public sealed class ClaudeCodeDialect : IDialect
{
    /// <summary>The dialect name.</summary>
    public const string DialectName = "claude-code";

    private static readonly Dictionary<string, EntryKind> Kinds = new(StringComparer.Ordinal)
    {
        ["user"] = EntryKind.User,
        ["assistant"] = EntryKind.Assistant,
        ["system"] = EntryKind.System,
        ["summary"] = EntryKind.Summary,
        ["file-history-snapshot"] = EntryKind.Metadata,
        ["queue-operation"] = EntryKind.Metadata,
        ["progress"] = EntryKind.Progress,
        ["attachment"] = EntryKind.Attachment,
        ["ai-title"] = EntryKind.Metadata,
        ["last-prompt"] = EntryKind.Metadata,
    };

    /// <inheritdoc/>
    public string Name => DialectName;

    /// <inheritdoc/>
    public string? ParentPointer => "/parentUuid";

    // Claude Code 2.1.112 and later answer (or drop) a call without a result before every request; 2.0.x did not, and
    // every other reader of the file does not (docs/formats/claude-code.md, read from its code and run).
    public DialectTraits Traits { get; } = new() { HasParentGraph = true, HasEntryEnvelope = true, SendsPreviousMessageId = true, AnswersUnansweredCalls = UnansweredCallRepair.Anywhere };

    /// <inheritdoc/>
    public bool Matches(JsonElement root)
    {
        var type = root.Str("type"u8);
        if (type is null || root.Prop("payload"u8) is not null)
        {
            return false;
        }

        return Kinds.ContainsKey(type) || root.Prop("uuid"u8) is not null || root.Prop("sessionId"u8) is not null
            || root.Prop("leafUuid"u8) is not null || root.Prop("messageId"u8) is not null;
    }

    /// <inheritdoc/>
    public Entry ReadEntry(JsonElement root, TranscriptLine line)
    {
        var envelope = Envelope.Read(root);
        var type = envelope.Type;
        var kind = type is not null && Kinds.TryGetValue(type, out var k) ? k : EntryKind.Unknown;
        var msg = MessageFields.Read(envelope.Message);
        var (content, model, messageId) = (msg.Content, msg.Model, msg.Id);
        var blocks = ReadBlocks(content);

        var synthetic = SyntheticReason.None;
        if (kind == EntryKind.Assistant)
        {
            if (model == "<synthetic>")
            {
                synthetic |= SyntheticReason.SyntheticModel;
            }

            if (envelope.IsApiErrorMessage)
            {
                synthetic |= SyntheticReason.ApiErrorFlag;
            }

            // Text alone is weak evidence (a model may write "API Error: …"); a provider response has a msg_ id.
            if (messageId?.StartsWith("msg_", StringComparison.Ordinal) != true && IsApiErrorText(content))
            {
                synthetic |= SyntheticReason.ApiErrorText;
            }
        }

        return new Entry
        {
            Line = line,
            Kind = kind,
            TypeName = type,
            Subtype = envelope.Subtype,
            UuidId = envelope.Uuid,
            ParentId = envelope.ParentUuid,
            HasParentField = envelope.HasParentField,
            SessionId = envelope.SessionId,
            Role = msg.Role,
            MessageId = messageId,
            Model = model,
            Timestamp = envelope.Timestamp,
            PackedTimestampBits = envelope.PackedTimestamp, // after Timestamp, which packs (or clears) too
            IsMeta = envelope.IsMeta,
            Synthetic = synthetic,
            HasContent = content is { ValueKind: not JsonValueKind.Null },
            Blocks = blocks,
            ClaudeCode = envelope.Facts(),
        };
    }

    /// <summary>
    /// The message's fields, read in one pass over its properties as the envelope's are (four lookups by name would each
    /// scan them from the end). A name written twice keeps its last value, as a lookup does.
    /// </summary>
    private struct MessageFields
    {
        public JsonElement? Content;
        public string? Role;
        public string? Model;
        public string? Id;

        public static MessageFields Read(JsonElement? message)
        {
            var m = default(MessageFields);
            if (message is not { ValueKind: JsonValueKind.Object } msg)
            {
                return m;
            }

            foreach (var p in msg.EnumerateObject())
            {
                var name = JsonFacts.NameBytes(p);

                switch (name.Length)
                {
                    case 2 when name.SequenceEqual("id"u8): m.Id = JsonFacts.TextOrNull(p.Value); break;
                    case 4 when name.SequenceEqual("role"u8): m.Role = JsonFacts.TextOrNull(p.Value); break;
                    case 5 when name.SequenceEqual("model"u8): m.Model = JsonFacts.TextOrNull(p.Value); break;
                    case 7 when name.SequenceEqual("content"u8): m.Content = p.Value; break;
                    default: break;
                }
            }

            return m;
        }
    }

    /// <summary>
    /// The line's top-level fields, read in one pass over its properties (a dozen lookups by name would each scan them
    /// all). A name written twice keeps its last value, as <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> does.
    /// </summary>
    private struct Envelope
    {
        public string? Type;
        public string? Subtype;
        public EntryId Uuid;
        public EntryId ParentUuid;
        public bool HasParentField;
        public string? SessionId;
        public string? Timestamp; // when not packed
        public long PackedTimestamp;
        public bool IsMeta;
        public bool IsApiErrorMessage;
        public JsonElement? Message;
        public bool IsSidechain;
        public bool IsCompactSummary;
        public string? LogicalParentUuid;
        public string? AgentId;

        public static Envelope Read(JsonElement root)
        {
            var e = default(Envelope);
            if (root.ValueKind != JsonValueKind.Object)
            {
                return e;
            }

            foreach (var p in root.EnumerateObject())
            {
                var name = JsonFacts.NameBytes(p);

                var v = p.Value;
                switch (name.Length)
                {
                    case 4 when name.SequenceEqual("type"u8): e.Type = JsonFacts.TextOrNull(v); break;
                    case 4 when name.SequenceEqual("uuid"u8): e.Uuid = JsonFacts.Id(v); break;
                    case 6 when name.SequenceEqual("isMeta"u8): e.IsMeta = v.ValueKind == JsonValueKind.True; break;
                    case 7 when name.SequenceEqual("subtype"u8): e.Subtype = JsonFacts.TextOrNull(v); break;
                    case 7 when name.SequenceEqual("message"u8): e.Message = v; break;
                    case 7 when name.SequenceEqual("agentId"u8): e.AgentId = JsonFacts.TextOrNull(v); break;
                    case 9 when name.SequenceEqual("sessionId"u8): e.SessionId = JsonFacts.TextOrNull(v); break;
                    case 9 when name.SequenceEqual("timestamp"u8): ReadTimestamp(v, ref e); break;
                    case 10 when name.SequenceEqual("parentUuid"u8): e.ParentUuid = JsonFacts.Id(v); e.HasParentField = true; break;
                    case 11 when name.SequenceEqual("isSidechain"u8): e.IsSidechain = v.ValueKind == JsonValueKind.True; break;
                    case 16 when name.SequenceEqual("isCompactSummary"u8): e.IsCompactSummary = v.ValueKind == JsonValueKind.True; break;
                    case 17 when name.SequenceEqual("isApiErrorMessage"u8): e.IsApiErrorMessage = v.ValueKind == JsonValueKind.True; break;
                    case 17 when name.SequenceEqual("logicalParentUuid"u8): e.LogicalParentUuid = JsonFacts.TextOrNull(v); break;
                    default: break;
                }
            }

            return e;
        }

        // Unique per line, so never a cache slot: the usual shape is packed from its bytes, anything else kept as text.
        private static void ReadTimestamp(JsonElement v, ref Envelope e)
        {
            e.PackedTimestamp = 0;
            e.Timestamp = null;
            if (v.ValueKind != JsonValueKind.String)
            {
                return;
            }

            var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(v);
            e.PackedTimestamp = TranscriptLint.Model.PackedTimestamp.Pack(raw[1..^1]);
            if (e.PackedTimestamp == 0)
            {
                e.Timestamp = v.GetString();
            }
        }

        // One shared instance for the common main-chain line keeps the per-entry index small.
        public readonly ClaudeCodeFacts Facts()
        {
            if (!IsSidechain && !IsCompactSummary && LogicalParentUuid is null && AgentId is null)
            {
                return ClaudeCodeFacts.None; // tested before allocating: most lines
            }

            // A subagent's lines all carry the same facts: consecutive lines share one instance.
            var last = t_lastFacts;
            if (last is not null && last.IsSidechain == IsSidechain && last.IsCompactSummary == IsCompactSummary
                && string.Equals(last.LogicalParentUuid, LogicalParentUuid, StringComparison.Ordinal) && string.Equals(last.AgentId, AgentId, StringComparison.Ordinal))
            {
                return last;
            }

            return t_lastFacts = new ClaudeCodeFacts { IsSidechain = IsSidechain, IsCompactSummary = IsCompactSummary, LogicalParentUuid = LogicalParentUuid, AgentId = AgentId };
        }

        [ThreadStatic]
        private static ClaudeCodeFacts? t_lastFacts;
    }

    // Harness-written error rows: "API Error: 429 …", "API Error: Server is temporarily limiting requests…",
    // "You've hit your session limit · resets …" (siteboon/claudecodeui#1056; sleep2agi/agent-network#18).
    private static bool IsApiErrorText(JsonElement? content)
    {
        if (content is not { ValueKind: JsonValueKind.Array } arr || arr.GetArrayLength() != 1)
        {
            return false;
        }

        // Only the start of the text is decoded: it may be a huge one.
        return arr[0].Str("type"u8) == "text" && arr[0].Prop("text"u8) is { ValueKind: JsonValueKind.String } text
            && (JsonStringReader.StartsWith(text, "API Error")
                || JsonStringReader.StartsWith(text, "You've hit your session limit")
                || JsonStringReader.StartsWith(text, "You've hit your limit"));
    }

    private const string MessageContent = "/message/content";

    // The pointers of the first blocks of a message's content, made once: every block of every line has one.
    private static readonly string[] BlockPointers = MakeBlockPointers(16);

    private static string[] MakeBlockPointers(int count)
    {
        var pointers = new string[count];
        for (var i = 0; i < count; i++)
        {
            pointers[i] = MessageContent + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return pointers;
    }

    internal static IReadOnlyList<ContentBlock> ReadBlocks(JsonElement? content, string contentPointer = MessageContent)
    {
        if (content is not { } c)
        {
            return [];
        }

        if (c.ValueKind == JsonValueKind.String)
        {
            return [JsonFacts.TextBlock(c, "string", -1, contentPointer)];
        }

        if (c.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        // An array of the exact size (most lines hold one block): kept for every line of the file.
        var blocks = new ContentBlock[c.GetArrayLength()];
        var i = 0;
        var usual = string.Equals(contentPointer, MessageContent, StringComparison.Ordinal);
        foreach (var b in c.EnumerateArray())
        {
            blocks[i] = ReadBlock(b, i, usual && i < BlockPointers.Length ? BlockPointers[i] : JsonFacts.Pointer(contentPointer, i));
            i++;
        }

        return blocks;
    }

    private static ContentBlock ReadBlock(JsonElement b, int index, string pointer)
    {
        var type = b.Str("type"u8) ?? "";
        switch (type)
        {
            case "text":
                return JsonFacts.TextBlock(b.Prop("text"u8), type, index, pointer);

            case "thinking":
                {
                    var (len, ws, _) = JsonFacts.TextShape(b.Prop("thinking"u8));
                    var sig = b.Prop("signature"u8);
                    var sigLen = sig is { ValueKind: JsonValueKind.String } s ? JsonFacts.StringLength(s) : sig is null ? -1 : 0;
                    return new ContentBlock { Kind = BlockKind.Thinking, TypeName = type, Index = index, JsonPointer = pointer, TextLength = len, IsWhitespaceOnly = ws, SignatureLength = sigLen, ByteSize = len };
                }

            case "redacted_thinking":
                return new ContentBlock { Kind = BlockKind.RedactedThinking, TypeName = type, Index = index, JsonPointer = pointer };

            case "tool_use":
                return new ContentBlock
                {
                    Kind = BlockKind.ToolCall,
                    TypeName = type,
                    Index = index,
                    JsonPointer = pointer,
                    ToolId = b.Str("id"u8),
                    ToolName = b.Str("name"u8),
                    InputKind = b.Prop("input"u8)?.ValueKind ?? JsonValueKind.Undefined,
                };

            case "tool_result":
                {
                    var (len, ws, trailing) = JsonFacts.TextShape(b.Prop("content"u8));
                    return new ContentBlock
                    {
                        Kind = BlockKind.ToolResult,
                        TypeName = type,
                        Index = index,
                        JsonPointer = pointer,
                        ToolId = b.Str("tool_use_id"u8),
                        IsError = b.Bool("is_error"u8),
                        TextLength = len,
                        IsWhitespaceOnly = ws,
                        HasTrailingWhitespace = trailing,
                        ByteSize = len,
                    };
                }

            case "image":
                {
                    var data = b.Prop("source"u8)?.Prop("data"u8);
                    return new ContentBlock { Kind = BlockKind.Image, TypeName = type, Index = index, JsonPointer = pointer, ByteSize = data is { ValueKind: JsonValueKind.String } d ? JsonFacts.StringLength(d) : 0 };
                }

            case "server_tool_use":
                return new ContentBlock { Kind = BlockKind.ServerToolCall, TypeName = type, Index = index, JsonPointer = pointer, ToolId = b.Str("id"u8), ToolName = b.Str("name"u8) };

            default:
                if (type.EndsWith("_tool_result", StringComparison.Ordinal))
                {
                    return new ContentBlock { Kind = BlockKind.ServerToolResult, TypeName = type, Index = index, JsonPointer = pointer, ToolId = b.Str("tool_use_id"u8) };
                }

                return new ContentBlock { Kind = BlockKind.Other, TypeName = type, Index = index, JsonPointer = pointer };
        }
    }

    /// <inheritdoc/>
    public Conversation BuildConversation(IReadOnlyList<Entry> entries) => new ClaudeCodeConversation(entries);

    // The call's timestamp plus one millisecond, in the same ISO-8601 UTC shape; unchanged when it does not parse.
    private static string JustAfter(string timestamp) =>
        ParseTimestamp(timestamp) is { } t
            ? t.UtcDateTime.AddMilliseconds(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : timestamp;

    /// <summary>A <c>timestamp</c> as written (ISO-8601, UTC when no offset is given), or null when it does not parse.</summary>
    internal static DateTimeOffset? ParseTimestamp(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    // Envelope fields copied from the call's line onto an inserted result, in Claude Code's own order.
    private static readonly string[] EnvelopeFields = ["isSidechain", "userType", "cwd", "sessionId", "version", "gitBranch", "agentId", "slug"];

    /// <inheritdoc/>
    public string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours) =>
        NewEntryWriter.Render(entry, Name, (w, result) =>
        {
            var anchorUuid = anchor.Str("uuid"u8);
            w.WriteStartObject();
            if (anchorUuid is null)
            {
                w.WriteNull("parentUuid");
            }
            else
            {
                w.WriteString("parentUuid", anchorUuid);
            }

            foreach (var field in EnvelopeFields)
            {
                var source = anchor.Prop(field) is not null ? anchor : neighbours.FirstOrDefault(n => n.Prop(field) is not null);
                if (source.ValueKind == JsonValueKind.Object && source.Prop(field) is { } value)
                {
                    w.WritePropertyName(field);
                    value.WriteTo(w);
                }
            }

            w.WriteString("type", "user");
            w.WriteStartObject("message");
            w.WriteString("role", "user");
            w.WriteStartArray("content");
            w.WriteStartObject();
            w.WriteString("tool_use_id", result.ToolCallId);
            w.WriteString("type", "tool_result");
            w.WriteString("content", result.Text);
            w.WriteBoolean("is_error", result.IsError);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("uuid", result.DerivedUuid);
            if (anchor.Str("timestamp"u8) is { } ts)
            {
                w.WriteString("timestamp", result.EndsChain ? JustAfter(ts) : ts);
            }

            w.WriteString("toolUseResult", "Error: " + result.Text);
            if (anchorUuid is not null)
            {
                w.WriteString("sourceToolAssistantUUID", anchorUuid);
            }

            w.WriteEndObject();
        });
}
