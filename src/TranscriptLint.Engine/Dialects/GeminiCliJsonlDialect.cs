using System.Runtime.InteropServices;
using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// A Gemini CLI session log as written since April 2026 (gemini-cli PR #23749,
/// <c>~/.gemini/tmp/&lt;project&gt;/chats/session-*.jsonl</c>): a metadata line
/// <c>{sessionId, projectHash, startTime, lastUpdated, …}</c>, then one record per line, appended. A message record
/// (<c>{id, timestamp, type, content, toolCalls?, thoughts?, tokens?, model?}</c>, the legacy document's
/// <c>messages[]</c> element) is appended again whole each time it changes (its calls, their results, its tokens):
/// the last copy of an id stands where the first one was. <c>{"$set": {…}}</c> updates the metadata (a
/// <c>messages</c> array there, a checkpoint, replaces the conversation), <c>{"$rewindTo": id}</c> drops that message
/// and every one after it, and <c>{"$patch": {updates, removeIds, orderIds}}</c> (builds from autumn 2026) changes,
/// removes and reorders records. Gemini CLI's loader (<c>loadConversationRecord</c> in packages/core/src/services/chatRecordingService.ts)
/// replays the lines in that way and skips a line that does not parse; the conversation view is that replay, then the
/// history <c>convertSessionToClientHistory</c> rebuilds from it, as for the legacy document. See
/// docs/formats/gemini-cli.md.
/// </summary>
public sealed class GeminiCliJsonlDialect : IDialect
{
    /// <summary>The dialect name.</summary>
    public const string DialectName = "gemini-cli-jsonl";

    /// <summary>The <see cref="Entry.TypeName"/> of a <c>{"$rewindTo": id}</c> line; its target is the entry's <see cref="Entry.ParentUuid"/>.</summary>
    public const string RewindType = "$rewindTo";

    /// <summary>The <see cref="Entry.TypeName"/> of a <c>{"$set": {…}}</c> metadata update.</summary>
    public const string SetType = "$set";

    /// <summary>The <see cref="Entry.Subtype"/> of a <c>$set</c> that carries <c>messages</c> (the conversation starts again from them).</summary>
    public const string CheckpointSubtype = "checkpoint";

    /// <summary>The <see cref="Entry.TypeName"/> of the session's metadata line.</summary>
    public const string MetadataType = "metadata";

    /// <summary>The <see cref="Entry.TypeName"/> of a <c>{"$patch": {…}}</c> line (builds from autumn 2026).</summary>
    public const string PatchType = "$patch";

    private static readonly string[] RecordTypes = ["user", "gemini", "info", "error", "warning"];

    /// <inheritdoc/>
    public string Name => DialectName;

    /// <inheritdoc/>
    public string? ParentPointer => null;

    /// <inheritdoc/>
    public string IdProperty => "id";

    /// <inheritdoc/>
    /// <remarks>
    /// A record also stands for the function-response turn rebuilt from it (key <c>&lt;id&gt;_response</c>); a line
    /// without an id is a checkpoint of the whole conversation, whose entries are not its own.
    /// </remarks>
    public string? NotTheLineOf(int lineNo, string? recordId, string key) =>
        recordId is null ? $"line {lineNo} is a checkpoint of the whole conversation, not entry {key}'s own line; a fix inside it is not written"
        : GeminiCliDialect.IsKeyOf(recordId, key) ? null
        : $"stale fix: line {lineNo} no longer holds entry {key}";

    /// <inheritdoc/>
    public DialectTraits Traits { get; } = new() { RecordsUpdatedByAppending = true };

    /// <inheritdoc/>
    /// <remarks>
    /// The metadata line (<c>sessionId</c> and <c>projectHash</c>, what the loader requires), a <c>$set</c> or
    /// <c>$rewindTo</c> line, or a message record: a string <c>id</c> and a Gemini record <c>type</c>, with none of
    /// the fields a Claude Code (<c>uuid</c>, <c>message</c>), Codex (<c>payload</c>) or Copilot CLI (<c>data</c>) line
    /// has, so a file whose metadata line was lost is still read as what it is.
    /// </remarks>
    public bool Matches(JsonElement root)
    {
        if (root.Prop("uuid"u8) is not null || root.Prop("message"u8) is not null || root.Prop("payload"u8) is not null
            || root.Prop("data"u8) is not null || root.Prop("role"u8) is not null)
        {
            return false;
        }

        if (root.Str("sessionId"u8) is not null && root.Str("projectHash"u8) is not null)
        {
            return root.Prop("type"u8) is null;
        }

        if (root.Prop("$set"u8) is { ValueKind: JsonValueKind.Object } || root.Prop("$patch"u8) is { ValueKind: JsonValueKind.Object } || root.Str("$rewindTo"u8) is not null)
        {
            return true;
        }

        return root.Str("id"u8) is not null && root.Str("type"u8) is { } type && Array.IndexOf(RecordTypes, type) >= 0
            && root.Prop("content"u8) is not null;
    }

    /// <inheritdoc/>
    public Entry ReadEntry(JsonElement root, TranscriptLine line)
    {
        // The loader's own order of checks: a rewind, a message (any string id), a metadata update, the metadata.
        if (root.Str("$rewindTo"u8) is { } target)
        {
            return new Entry { Line = line, Kind = EntryKind.Metadata, TypeName = RewindType, ParentUuid = target };
        }

        if (root.Str("id"u8) is not null)
        {
            return GeminiCliDialect.ReadRecord(root, line, "", "");
        }

        if (root.Prop("$set"u8) is { ValueKind: JsonValueKind.Object } set)
        {
            var messages = set.Prop("messages"u8) is { ValueKind: JsonValueKind.Array } m ? m : (JsonElement?)null;
            var entry = new Entry
            {
                Line = line,
                Kind = EntryKind.Metadata,
                TypeName = SetType,
                Subtype = messages is null ? null : CheckpointSubtype,
                SessionId = set.Str("sessionId"u8),
            };
            if (messages is { } list)
            {
                // The conversation starts again from these records (updateMessagesFromHistory: a resume, an abort, a
                // compression); they are read as entries of this line.
                GeminiLogReplay.Checkpoints.AddOrUpdate(entry, Records(list, line, "/$set/messages"));
            }

            return entry;
        }

        if (root.Prop("$patch"u8) is { ValueKind: JsonValueKind.Object } patch)
        {
            var entry = new Entry { Line = line, Kind = EntryKind.Metadata, TypeName = PatchType };
            GeminiLogReplay.Patches.AddOrUpdate(entry, GeminiLogReplay.ReadPatch(patch, line));
            return entry;
        }

        var isMetadata = root.Str("sessionId"u8) is not null && root.Str("projectHash"u8) is not null;
        var metadata = new Entry
        {
            Line = line,
            Kind = isMetadata ? EntryKind.Metadata : EntryKind.Unknown,
            TypeName = isMetadata ? MetadataType : root.Str("type"u8),
            SessionId = root.Str("sessionId"u8),
            Timestamp = root.Str("startTime"u8),
        };
        if (isMetadata && root.Prop("messages"u8) is { ValueKind: JsonValueKind.Array } held)
        {
            // A whole legacy record on one line: the loader adds its messages as if they followed it.
            GeminiLogReplay.HeldRecords.AddOrUpdate(metadata, Records(held, line, "/messages"));
        }

        return metadata;
    }

    // The records of a messages array inside a line, each pointing into it.
    private static List<Entry> Records(JsonElement list, TranscriptLine line, string pointer)
    {
        var records = new List<Entry>();
        var i = 0;
        foreach (var record in list.EnumerateArray())
        {
            if (record.Str("id"u8) is not null)
            {
                var at = JsonFacts.Pointer(pointer, i);
                records.Add(GeminiCliDialect.ReadRecord(record, line, at, at));
            }

            i++;
        }

        return records;
    }

    /// <inheritdoc/>
    public Conversation BuildConversation(IReadOnlyList<Entry> entries) =>
        new GeminiConversation(entries, GeminiLogReplay.Replay(entries), entries.Select(e => e.SessionId).LastOrDefault(s => s is not null));

    /// <inheritdoc/>
    /// <remarks>
    /// A missing result is written the way Gemini CLI records any change to a message: the record is appended again
    /// whole (its last copy is the one a resume loads), with the call's <c>result</c> set to the functionResponse
    /// parts of a cancelled call, <c>[{"functionResponse": {"id", "name", "response": {"error": "…"}}}]</c>. Every
    /// other member keeps its bytes.
    /// </remarks>
    public string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours) =>
        NewEntryWriter.Render(entry, Name, (w, result) =>
        {
            if (anchor.Prop("toolCalls"u8) is not { ValueKind: JsonValueKind.Array } calls
                || !calls.EnumerateArray().Any(c => c.Str("id"u8) == result.ToolCallId))
            {
                throw new NotSupportedException($"call {result.ToolCallId} is not in the record's toolCalls, where Gemini CLI keeps results");
            }

            w.WriteStartObject();
            foreach (var member in anchor.EnumerateObject())
            {
                if (!member.NameEquals("toolCalls"u8))
                {
                    WriteAsWritten(w, member);
                    continue;
                }

                w.WriteStartArray(member.Name);
                foreach (var call in calls.EnumerateArray())
                {
                    if (call.Str("id"u8) != result.ToolCallId)
                    {
                        w.WriteRawValue(JsonMarshal.GetRawUtf8Value(call), skipInputValidation: true);
                        continue;
                    }

                    w.WriteStartObject();
                    foreach (var field in call.EnumerateObject())
                    {
                        if (!field.NameEquals("result"u8))
                        {
                            WriteAsWritten(w, field);
                        }
                    }

                    w.WritePropertyName("result");
                    GeminiCliDialect.WriteErrorResponse(w, result.ToolCallId, call.Str("name"u8), result.Text);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        });

    // A member copied with its value's bytes as Gemini CLI wrote them (JSON.stringify's escaping, not the writer's).
    private static void WriteAsWritten(Utf8JsonWriter w, JsonProperty member)
    {
        w.WritePropertyName(member.Name);
        w.WriteRawValue(JsonMarshal.GetRawUtf8Value(member.Value), skipInputValidation: true);
    }
}
