using System.Globalization;
using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// A Gemini CLI session file (<c>~/.gemini/tmp/&lt;project&gt;/chats/session-*.json</c>): one document
/// <c>{sessionId, projectHash, startTime, lastUpdated, messages:[…]}</c> written with
/// <c>JSON.stringify(conversation, null, 2)</c>. Records are <c>user</c>, <c>gemini</c> (text, <c>thoughts</c>,
/// <c>toolCalls[]</c> each holding its own <c>result</c>) and <c>info</c>/<c>error</c>/<c>warning</c> (never sent).
/// The conversation view is what <c>convertSessionToClientHistory</c> (gemini-cli
/// packages/core/src/utils/sessionUtils.ts) rebuilds on <c>--resume</c>: a gemini record with calls becomes a
/// model turn and a user turn of function responses. See docs/formats/gemini-cli.md.
/// </summary>
public sealed class GeminiCliDialect : IDocumentDialect
{
    /// <summary>The dialect name.</summary>
    public const string DialectName = "gemini-cli";

    /// <inheritdoc/>
    public string Name => DialectName;

    /// <inheritdoc/>
    public string? ParentPointer => null;

    /// <inheritdoc/>
    public bool Matches(JsonElement root) => false;

    /// <inheritdoc/>
    public bool MatchesDocument(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || root.Prop("messages"u8) is not { ValueKind: JsonValueKind.Array } messages
            || (root.Str("sessionId"u8) is null && root.Str("projectHash"u8) is null))
        {
            return false;
        }

        foreach (var m in messages.EnumerateArray())
        {
            if (m.Str("type"u8) is null || m.Prop("role"u8) is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public string EntriesPointer(JsonElement root) => "/messages";

    /// <summary>
    /// The key suffix of the function-response turn rebuilt from a gemini record (Gemini CLI names that turn
    /// <c>${msg.id}_response</c> too); it resolves to the record's own element.
    /// </summary>
    public const string ResponseTurnSuffix = "_response";

    /// <summary>Whether <paramref name="key"/> names the record <paramref name="recordId"/>: its own id, or the key of the function-response turn rebuilt from it.</summary>
    /// <param name="recordId">The record's id, or null when it has none.</param>
    /// <param name="key">The key a fix or an entry uses.</param>
    /// <returns>True when the key is the record's.</returns>
    internal static bool IsKeyOf(string? recordId, string key) => recordId is not null && (key == recordId || key == recordId + ResponseTurnSuffix);

    /// <summary>The <see cref="Entry.Subtype"/> of user input a resume does not send.</summary>
    internal const string IgnoredInput = "ignored-input";

    // sessionUtils.ts isIgnoredUserContent, on partListUnionToString(content).trim().
    private static bool IsIgnoredUserInput(JsonElement? content)
    {
        var text = new System.Text.StringBuilder();
        if (content is { ValueKind: JsonValueKind.String } s)
        {
            text.Append(s.GetString());
        }
        else if (content is { ValueKind: JsonValueKind.Array } parts)
        {
            foreach (var p in parts.EnumerateArray())
            {
                text.Append(p.ValueKind == JsonValueKind.String ? p.GetString() : p.Str("text"u8));
            }
        }
        else if (content is { ValueKind: JsonValueKind.Object } one)
        {
            text.Append(one.Str("text"u8));
        }

        var t = text.ToString().Trim();
        var hasOtherParts = content is { ValueKind: JsonValueKind.Array } a && a.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.Object && p.Prop("text"u8) is null);
        return (t.Length == 0 && !hasOtherParts) || t.StartsWith('/') || t.StartsWith('?')
            || t.StartsWith("<session_context>", StringComparison.Ordinal) || t.StartsWith("<hook_context>", StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    public Entry ReadEntry(JsonElement root, TranscriptLine line) => ReadElement(root, line, "");

    /// <inheritdoc/>
    public Entry ReadElement(JsonElement element, TranscriptLine span, string pointer) => ReadRecord(element, span, pointer, "");

    /// <summary>Reads one message record; its blocks' pointers start with <paramref name="prefix"/> (its place in the line).</summary>
    /// <param name="element">The record.</param>
    /// <param name="span">Where it is.</param>
    /// <param name="fallbackId">Its key when it has no <c>id</c>.</param>
    /// <param name="prefix">The record's pointer inside the line it is on ("" when it is the line).</param>
    /// <param name="typeOverride">The record type to read it as (a partial update carries none), or null for its own.</param>
    /// <returns>The entry.</returns>
    internal static Entry ReadRecord(JsonElement element, TranscriptLine span, string fallbackId, string prefix, string? typeOverride = null)
    {
        var type = typeOverride ?? element.Str("type"u8);
        var kind = type switch
        {
            "user" => EntryKind.User,
            "gemini" => EntryKind.Assistant,
            "info" or "error" or "warning" => EntryKind.System,
            _ => EntryKind.Unknown,
        };
        var blocks = new List<ContentBlock>();
        var content = element.Prop("content"u8);
        if (kind == EntryKind.User)
        {
            blocks.AddRange(Parts(content, prefix + "/content", userContent: true));
        }
        else if (kind == EntryKind.Assistant)
        {
            blocks.AddRange(ModelBlocks(element, content, prefix));
        }

        return new Entry
        {
            Line = span,
            Kind = kind,
            TypeName = type,
            Subtype = kind == EntryKind.System ? type : kind == EntryKind.User && IsIgnoredUserInput(content) ? IgnoredInput : null,
            Uuid = element.Str("id"u8) ?? fallbackId,
            Role = type switch { "user" => "user", "gemini" => "model", _ => null },
            Model = element.Str("model"u8),
            Timestamp = element.Str("timestamp"u8),
            HasContent = content is { ValueKind: not JsonValueKind.Null } || blocks.Count > 0,
            Blocks = blocks,
        };
    }

    // sessionUtils.ts: a "modern" record carries its calls and thoughts as parts of content; a legacy one
    // rebuilds the turn from thoughts (sent as thought parts), content, then toolCalls[] as functionCall parts.
    // The results always come from toolCalls[].result.
    private static IEnumerable<ContentBlock> ModelBlocks(JsonElement record, JsonElement? content, string prefix)
    {
        var parts = Parts(content, prefix + "/content", userContent: false).ToList();
        var modern = parts.Any(p => p.Kind == BlockKind.ToolCall || p.TypeName == "thought");
        if (!modern && record.Prop("thoughts"u8) is { ValueKind: JsonValueKind.Array } thoughts)
        {
            var i = 0;
            foreach (var _ in thoughts.EnumerateArray())
            {
                yield return new ContentBlock { Kind = BlockKind.Other, TypeName = "thought", Index = i, JsonPointer = prefix + "/thoughts/" + N(i) };
                i++;
            }
        }

        foreach (var p in parts)
        {
            yield return p;
        }

        if (record.Prop("toolCalls"u8) is not { ValueKind: JsonValueKind.Array } calls)
        {
            yield break;
        }

        var c = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var pointer = prefix + "/toolCalls/" + N(c);
            var id = call.Str("id"u8);
            if (!modern)
            {
                yield return new ContentBlock
                {
                    Kind = BlockKind.ToolCall,
                    TypeName = "functionCall",
                    Index = c,
                    JsonPointer = pointer,
                    ToolId = id,
                    ToolName = call.Str("name"u8),
                    InputKind = call.Prop("args"u8)?.ValueKind ?? JsonValueKind.Undefined,
                };
            }

            foreach (var r in Results(call.Prop("result"u8), pointer + "/result", id, c))
            {
                yield return r;
            }

            c++;
        }
    }

    // A result is a string (sent as {output}), one Part, or a list of Parts (functionResponse, inlineData…).
    private static IEnumerable<ContentBlock> Results(JsonElement? result, string pointer, string? callId, int callIndex)
    {
        if (result is not { } r || r.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined || (r.ValueKind == JsonValueKind.String && r.GetString()!.Length == 0))
        {
            yield break; // a falsy result is not sent: the call goes unanswered
        }

        if (r.ValueKind == JsonValueKind.String)
        {
            var len = r.GetString()!.Length;
            yield return new ContentBlock { Kind = BlockKind.ToolResult, TypeName = "functionResponse", Index = callIndex, JsonPointer = pointer, ToolId = callId, TextLength = len, ByteSize = len };
            yield break;
        }

        var items = r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToList() : [r];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemPointer = r.ValueKind == JsonValueKind.Array ? pointer + "/" + N(i) : pointer;
            if (item.Prop("functionResponse"u8) is { ValueKind: JsonValueKind.Object } fr)
            {
                var size = fr.Prop("response"u8) is { } resp ? resp.GetRawText().Length : 0;
                yield return new ContentBlock
                {
                    Kind = BlockKind.ToolResult,
                    TypeName = "functionResponse",
                    Index = r.ValueKind == JsonValueKind.Array ? i : callIndex, // its place in the array it is removed from
                    JsonPointer = itemPointer,
                    ToolId = fr.Str("id"u8) ?? callId,
                    ToolName = fr.Str("name"u8),
                    IsError = fr.Prop("response"u8)?.Prop("error"u8) is not null,
                    TextLength = size,
                    ByteSize = size,
                };
            }
        }
    }

    private static IEnumerable<ContentBlock> Parts(JsonElement? content, string pointer, bool userContent)
    {
        if (content is not { } c || c.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (c.ValueKind == JsonValueKind.String)
        {
            // An empty model text is not sent at all ("msg.content ? … : []"); an empty user prompt is skipped.
            if (c.GetString()!.Length > 0 || userContent)
            {
                yield return JsonFacts.TextBlock(c, "text", -1, pointer);
            }

            yield break;
        }

        if (c.ValueKind == JsonValueKind.Object)
        {
            yield return Part(c, -1, pointer);
            yield break;
        }

        if (c.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        var i = 0;
        foreach (var p in c.EnumerateArray())
        {
            var pp = pointer + "/" + N(i);
            yield return p.ValueKind == JsonValueKind.String ? JsonFacts.TextBlock(p, "text", i, pp) : Part(p, i, pp);
            i++;
        }
    }

    private static ContentBlock Part(JsonElement p, int index, string pointer)
    {
        if (p.Bool("thought"u8))
        {
            return new ContentBlock { Kind = BlockKind.Other, TypeName = "thought", Index = index, JsonPointer = pointer };
        }

        if (p.Prop("text"u8) is { ValueKind: JsonValueKind.String } text)
        {
            return JsonFacts.TextBlock(text, "text", index, pointer);
        }

        if (p.Prop("functionCall"u8) is { ValueKind: JsonValueKind.Object } fc)
        {
            return new ContentBlock { Kind = BlockKind.ToolCall, TypeName = "functionCall", Index = index, JsonPointer = pointer, ToolId = fc.Str("id"u8), ToolName = fc.Str("name"u8), InputKind = fc.Prop("args"u8)?.ValueKind ?? JsonValueKind.Undefined };
        }

        if (p.Prop("functionResponse"u8) is { ValueKind: JsonValueKind.Object } fr)
        {
            return new ContentBlock { Kind = BlockKind.ToolResult, TypeName = "functionResponse", Index = index, JsonPointer = pointer, ToolId = fr.Str("id"u8), ToolName = fr.Str("name"u8) };
        }

        if (p.Prop("inlineData"u8) is not null || p.Prop("fileData"u8) is not null)
        {
            return new ContentBlock { Kind = BlockKind.Image, TypeName = "inlineData", Index = index, JsonPointer = pointer };
        }

        return new ContentBlock { Kind = BlockKind.Other, TypeName = "part", Index = index, JsonPointer = pointer };
    }

    /// <inheritdoc/>
    public Conversation BuildConversation(IReadOnlyList<Entry> entries) => new GeminiConversation(entries);

    /// <inheritdoc/>
    public DocumentInsertion RenderInsertion(NewEntry entry, JsonElement anchor)
    {
        // Gemini CLI keeps a call's result on the call itself (toolCalls[i].result), as the functionResponse parts
        // it sends; a cancelled call gets {"error": "..."} (scheduler/state-manager.ts).
        if (entry is not SyntheticToolResult r)
        {
            throw new NotSupportedException($"The {Name} dialect cannot write a {entry.GetType().Name}.");
        }

        var index = -1;
        string? name = null;
        if (anchor.Prop("toolCalls"u8) is { ValueKind: JsonValueKind.Array } calls)
        {
            var i = 0;
            foreach (var call in calls.EnumerateArray())
            {
                if (call.Str("id"u8) == r.ToolCallId)
                {
                    index = i;
                    name = call.Str("name"u8);
                    break;
                }

                i++;
            }
        }

        if (index < 0)
        {
            throw new NotSupportedException($"call {r.ToolCallId} is not in the record's toolCalls, where Gemini CLI keeps results");
        }

        var json = RequestBodyShape.Compact(w => WriteErrorResponse(w, r.ToolCallId, name, r.Text));
        return new AddMember("/toolCalls/" + N(index), "result", json);
    }

    /// <summary>The <c>result</c> Gemini CLI records for a call that failed or was cancelled: its functionResponse parts.</summary>
    /// <param name="w">The writer, at a value.</param>
    /// <param name="callId">The call's id.</param>
    /// <param name="name">The tool's name.</param>
    /// <param name="error">The error text.</param>
    internal static void WriteErrorResponse(Utf8JsonWriter w, string callId, string? name, string error)
    {
        w.WriteStartArray();
        w.WriteStartObject();
        w.WriteStartObject("functionResponse");
        w.WriteString("id", callId);
        w.WriteString("name", name ?? "");
        w.WriteStartObject("response");
        w.WriteString("error", error);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// <inheritdoc/>
    public string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours) =>
        throw new NotSupportedException($"The {Name} dialect writes no lines.");

    private static string N(int i) => i.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The history a Gemini CLI resume sends (sessionUtils.ts convertSessionToClientHistory): info/error/warning
/// records and ignored user input (empty, slash commands, <c>?</c>, injected context) are dropped; a gemini record
/// becomes a model turn (thoughts, text, calls) when it has any part, followed by a user turn of the results its
/// calls hold. Consecutive user turns (the results, then the next prompt) are one turn here: Gemini CLI itself
/// sends them in a row.
/// </summary>
internal sealed class GeminiConversation : Conversation
{
    private readonly IReadOnlyList<Entry> _entries;
    private readonly List<Message> _messages = [];
    private readonly List<Entry> _chain = [];
    private readonly Dictionary<Entry, Message> _messageOf = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Entry, Entry> _next = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, Entry> _byUuid = new(StringComparer.Ordinal);

    /// <summary>Builds the view.</summary>
    /// <param name="entries">Every entry of the file.</param>
    /// <param name="loaded">The records a resume loads, in order (the JSON Lines log's replay), or null for all of them.</param>
    /// <param name="sessionId">The session's id, when the file says.</param>
    public GeminiConversation(IReadOnlyList<Entry> entries, IReadOnlyList<Entry>? loaded = null, string? sessionId = null)
    {
        _entries = entries;
        loaded ??= entries;
        foreach (var e in loaded.Concat(entries.Reverse()))
        {
            if (e.Uuid is { } id)
            {
                _byUuid.TryAdd(id, e); // the copy a resume loads, else an id's last copy (the one that would be loaded)
            }
        }

        SessionId = sessionId;
        var turns = new List<(MessageRole Role, Entry Entry, List<ContentBlock> Blocks)>();
        foreach (var e in loaded)
        {
            if (e.Kind == EntryKind.User && !IsIgnoredUserInput(e))
            {
                turns.Add((MessageRole.User, e, [.. e.Blocks]));
            }
            else if (e.Kind == EntryKind.Assistant)
            {
                var model = e.Blocks.Where(b => b.Kind != BlockKind.ToolResult).ToList();
                if (model.Count == 0)
                {
                    continue; // nothing to send: the record is dropped, results and all
                }

                turns.Add((MessageRole.Assistant, e, model));
                var results = e.Blocks.Where(b => b.Kind == BlockKind.ToolResult).ToList();
                if (results.Count > 0)
                {
                    // The function-response turn is written inside the same record; it gets its own entry view
                    // (same span and key, only the results) so rules see a user turn holding just the results.
                    var responses = new Entry
                    {
                        Line = e.Line,
                        Kind = EntryKind.User,
                        TypeName = e.TypeName,
                        Uuid = e.Uuid + GeminiCliDialect.ResponseTurnSuffix,
                        Role = "user",
                        Timestamp = e.Timestamp,
                        HasContent = true,
                        Blocks = results,
                    };
                    _byUuid.TryAdd(responses.Uuid, responses);
                    turns.Add((MessageRole.User, responses, results));
                }
            }
        }

        var run = new List<(Entry Entry, List<ContentBlock> Blocks)>();
        MessageRole? role = null;
        foreach (var (r, e, blocks) in turns)
        {
            if (role != r || r == MessageRole.Assistant)
            {
                Flush(run, role);
                role = r;
            }

            run.Add((e, blocks));
        }

        Flush(run, role);
        for (var i = 0; i + 1 < _chain.Count; i++)
        {
            _next[_chain[i]] = _chain[i + 1];
        }
    }

    // sessionUtils.ts isIgnoredUserContent: empty, "/" commands, "?" help, injected session/hook context.
    private static bool IsIgnoredUserInput(Entry e) => e.Subtype == GeminiCliDialect.IgnoredInput;

    private void Flush(List<(Entry Entry, List<ContentBlock> Blocks)> run, MessageRole? role)
    {
        if (run.Count == 0 || role is not { } r)
        {
            run.Clear();
            return;
        }

        var entries = run.Select(x => x.Entry).Distinct().ToList();
        var message = new Message
        {
            Index = _messages.Count,
            Role = r,
            Entries = entries,
            Blocks = [.. run.SelectMany(x => x.Blocks.Select(b => new MessageBlock(x.Entry, b)))],
        };
        _messages.Add(message);
        foreach (var e in entries)
        {
            if (_messageOf.TryAdd(e, message))
            {
                _chain.Add(e); // once, at its first message (a search of the chain made long sessions quadratic)
            }
        }

        run.Clear();
    }

    public override IReadOnlyList<Entry> Entries => _entries;

    public override IReadOnlyList<Message> ResumeChain => _messages;

    public override IReadOnlyList<Entry> ChainEntries => _chain;

    public override Entry? ResumeLeaf => _chain.Count > 0 ? _chain[^1] : null;

    public override bool HasParentGraph => false;

    public override string? SessionId { get; }

    public override Entry? FindByUuid(string uuid) => _byUuid.GetValueOrDefault(uuid);

    public override IReadOnlyList<Entry> ChildrenOf(string uuid) => [];

    public override bool IsInResumeContext(Entry entry) => _messageOf.ContainsKey(entry);

    public override Message? MessageOf(Entry entry) => _messageOf.GetValueOrDefault(entry);

    public override Entry? ChainChildOf(Entry entry) => _next.GetValueOrDefault(entry);
}
