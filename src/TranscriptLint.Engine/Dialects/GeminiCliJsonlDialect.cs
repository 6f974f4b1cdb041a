using System.Runtime.CompilerServices;
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

    // The records a checkpoint line holds, and what a $patch line does, as read from those lines (entries are the index;
    // these few lines keep their own facts beside it, as a Codex compaction keeps its replacement history).
    private static readonly ConditionalWeakTable<Entry, IReadOnlyList<Entry>> Checkpoints = [];
    private static readonly ConditionalWeakTable<Entry, Patch> Patches = [];

    private sealed record Patch(IReadOnlyList<string> RemoveIds, IReadOnlyList<string> OrderIds, IReadOnlyList<Update> Updates);

    // One element of $patch.updates: the fields it sets, read both as a user and as a model record (it carries no type;
    // the record it updates says which applies), and the calls it changes.
    private sealed record Update(string Id, Entry AsUser, Entry AsModel, bool SetsContent, bool SetsThoughts, IReadOnlyList<(string Id, bool SetsResult)> Calls, string? Model);

    /// <inheritdoc/>
    public string Name => DialectName;

    /// <inheritdoc/>
    public string? ParentPointer => null;

    /// <inheritdoc/>
    public string IdProperty => "id";

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
                var records = new List<Entry>();
                var i = 0;
                foreach (var record in list.EnumerateArray())
                {
                    if (record.Str("id"u8) is not null)
                    {
                        var at = "/$set/messages/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        records.Add(GeminiCliDialect.ReadRecord(record, line, at, at));
                    }

                    i++;
                }

                Checkpoints.AddOrUpdate(entry, records);
            }

            return entry;
        }

        if (root.Prop("$patch"u8) is { ValueKind: JsonValueKind.Object } patch)
        {
            var entry = new Entry { Line = line, Kind = EntryKind.Metadata, TypeName = PatchType };
            Patches.AddOrUpdate(entry, new Patch(Ids(patch.Prop("removeIds"u8)), Ids(patch.Prop("orderIds"u8)), Updates(patch.Prop("updates"u8), line)));
            return entry;
        }

        var isMetadata = root.Str("sessionId"u8) is not null && root.Str("projectHash"u8) is not null;
        return new Entry
        {
            Line = line,
            Kind = isMetadata ? EntryKind.Metadata : EntryKind.Unknown,
            TypeName = isMetadata ? MetadataType : root.Str("type"u8),
            SessionId = root.Str("sessionId"u8),
            Timestamp = root.Str("startTime"u8),
        };
    }

    /// <inheritdoc/>
    public Conversation BuildConversation(IReadOnlyList<Entry> entries) =>
        new GeminiConversation(entries, Replay(entries), entries.Select(e => e.SessionId).LastOrDefault(s => s is not null));

    /// <summary>
    /// The message records a resume loads, in order, as <c>loadConversationRecord</c> replays the log: each id's last
    /// copy at its first copy's place; a <c>$rewindTo</c> drops its target and everything after it (everything when the
    /// target is gone); a checkpoint (<c>$set.messages</c>) starts again from its own records; a <c>$patch</c> merges its
    /// <c>updates</c> into the records they name, removes <c>removeIds</c>, then moves <c>orderIds</c> to the end in that order.
    /// </summary>
    /// <param name="entries">The file's entries, in file order.</param>
    /// <returns>The records the loader keeps.</returns>
    internal static List<Entry> Replay(IReadOnlyList<Entry> entries)
    {
        var order = new List<string>();
        var latest = new Dictionary<string, Entry>(StringComparer.Ordinal);
        void Keep(Entry record)
        {
            if (latest.TryAdd(record.Uuid!, record))
            {
                order.Add(record.Uuid!);
            }
            else
            {
                latest[record.Uuid!] = record;
            }
        }

        foreach (var e in entries)
        {
            if (e.TypeName == RewindType)
            {
                var at = e.ParentUuid is { } target ? order.IndexOf(target) : -1;
                var from = at >= 0 ? at : 0;
                foreach (var id in order.Skip(from))
                {
                    latest.Remove(id);
                }

                order.RemoveRange(from, order.Count - from);
            }
            else if (e.TypeName == SetType && Checkpoints.TryGetValue(e, out var records))
            {
                order.Clear();
                latest.Clear();
                foreach (var record in records)
                {
                    Keep(record);
                }
            }
            else if (e.TypeName == PatchType && Patches.TryGetValue(e, out var patch))
            {
                foreach (var update in patch.Updates)
                {
                    if (latest.TryGetValue(update.Id, out var record))
                    {
                        latest[update.Id] = Merged(record, update);
                    }
                }

                foreach (var id in patch.RemoveIds)
                {
                    if (latest.Remove(id))
                    {
                        order.Remove(id);
                    }
                }

                var moved = patch.OrderIds.Distinct(StringComparer.Ordinal).Where(latest.ContainsKey).ToList();
                order.RemoveAll(moved.Contains);
                order.AddRange(moved);
            }
            else if (e.Kind is not (EntryKind.Metadata or EntryKind.Unknown) && e.Uuid is not null)
            {
                Keep(e);
            }
        }

        return [.. order.Select(id => latest[id])];
    }

    private static List<Update> Updates(JsonElement? array, TranscriptLine line)
    {
        var updates = new List<Update>();
        if (array is not { ValueKind: JsonValueKind.Array } list)
        {
            return updates;
        }

        var i = 0;
        foreach (var u in list.EnumerateArray())
        {
            var at = "/$patch/updates/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            i++;
            if (u.Str("id"u8) is not { } id)
            {
                continue;
            }

            var calls = u.Prop("toolCalls"u8) is { ValueKind: JsonValueKind.Array } c
                ? c.EnumerateArray().Where(x => x.Str("id"u8) is not null).Select(x => (x.Str("id"u8)!, x.Prop("result"u8) is not null)).ToList()
                : [];
            updates.Add(new Update(
                id,
                GeminiCliDialect.ReadRecord(u, line, at, at, "user"),
                GeminiCliDialect.ReadRecord(u, line, at, at, "gemini"),
                u.Prop("content"u8) is not null,
                u.Prop("thoughts"u8) is not null,
                calls,
                u.Str("model"u8)));
        }

        return updates;
    }

    /// <summary>
    /// A record with a <c>$patch</c> update applied, as independent readers of autumn-2026 logs apply it: the fields it
    /// sets replace the record's, and <c>toolCalls</c> merge by call id (a call's <c>result</c> replaced when the update
    /// sets one, a new call added). The record keeps its line (a fix appended after it comes before the patch, which a
    /// resume applies on top); the blocks the update set point into the patch's line.
    /// </summary>
    private static Entry Merged(Entry record, Update update)
    {
        var from = record.Kind == EntryKind.User ? update.AsUser : update.AsModel;
        var prefix = Prefix(record);
        var content = (update.SetsContent ? from.Blocks : record.Blocks).Where(b => IsUnder(b, update.SetsContent ? Prefix(from) : prefix, "/content")).ToList();
        var thoughts = (update.SetsThoughts ? from.Blocks : record.Blocks).Where(b => IsUnder(b, update.SetsThoughts ? Prefix(from) : prefix, "/thoughts")).ToList();
        // The calls (and, in every record, their results) under toolCalls: a result the update sets replaces the
        // record's for that call; a call the record does not have is added with its results.
        var replaced = update.Calls.Where(c => c.SetsResult).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var known = record.Blocks.Where(b => b.Kind == BlockKind.ToolCall).Select(b => b.ToolId).ToHashSet(StringComparer.Ordinal);
        var updateCalls = from.Blocks.Where(b => IsUnder(b, Prefix(from), "/toolCalls")).ToList();
        var calls = record.Blocks.Where(b => IsUnder(b, prefix, "/toolCalls") && !(b.Kind == BlockKind.ToolResult && b.ToolId is { } r && replaced.Contains(r))).ToList();
        calls.AddRange(updateCalls.Where(b => b.Kind == BlockKind.ToolResult && b.ToolId is { } r && replaced.Contains(r) && known.Contains(r)));
        calls.AddRange(updateCalls.Where(b => b.ToolId is { } id && !known.Contains(id)));

        return new Entry
        {
            Line = record.Line,
            Kind = record.Kind,
            TypeName = record.TypeName,
            Subtype = update.SetsContent && record.Kind == EntryKind.User ? from.Subtype : record.Subtype,
            Uuid = record.Uuid,
            Role = record.Role,
            Model = update.Model ?? record.Model,
            Timestamp = record.Timestamp,
            HasContent = content.Count > 0 || calls.Count > 0 || (update.SetsContent ? from.HasContent : record.HasContent),
            Blocks = [.. thoughts, .. content, .. calls],
        };
    }

    // The pointer of a record inside its line ("" for a record that is its line); blocks are under it.
    private static string Prefix(Entry record) =>
        record.Blocks.Select(b => b.JsonPointer).FirstOrDefault(p => p.StartsWith("/$", StringComparison.Ordinal)) is { } p
            ? p[..NthSlash(p, 4)]
            : "";

    private static int NthSlash(string pointer, int n)
    {
        var at = -1;
        for (var i = 0; i < n; i++)
        {
            at = pointer.IndexOf('/', at + 1);
            if (at < 0)
            {
                return pointer.Length;
            }
        }

        return at;
    }

    private static bool IsUnder(ContentBlock block, string prefix, string field) =>
        block.JsonPointer.StartsWith(prefix + field, StringComparison.Ordinal);

    private static List<string> Ids(JsonElement? array) =>
        array is { ValueKind: JsonValueKind.Array } a ? [.. a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)] : [];

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
