using System.Runtime.CompilerServices;
using System.Text.Json;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// Gemini CLI's session log replayed as its loader replays it (<c>loadConversationRecord</c>): the records a resume
/// loads, from the entries <see cref="GeminiCliJsonlDialect"/> reads, with the facts of its checkpoint and
/// <c>$patch</c> lines kept beside them.
/// </summary>
internal static class GeminiLogReplay
{
    // The records a checkpoint line holds, and what a $patch line does, as read from those lines (entries are the index;
    // these few lines keep their own facts beside it, as a Codex compaction keeps its replacement history).
    internal static readonly ConditionalWeakTable<Entry, IReadOnlyList<Entry>> Checkpoints = [];
    internal static readonly ConditionalWeakTable<Entry, Patch> Patches = [];

    // The messages a metadata line carries itself (a whole legacy record written on one line), added as they come.
    internal static readonly ConditionalWeakTable<Entry, IReadOnlyList<Entry>> HeldRecords = [];

    internal sealed record Patch(IReadOnlyList<string> RemoveIds, IReadOnlyList<string> OrderIds, IReadOnlyList<Update> Updates);

    // One element of $patch.updates: the fields it sets, read both as a user and as a model record (it carries no type;
    // the record it updates says which applies), and the calls it changes.
    internal sealed record Update(string Id, Entry AsUser, Entry AsModel, bool SetsContent, bool SetsThoughts, IReadOnlyList<(string Id, bool SetsResult)> Calls, string? Model);

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
            if (e.TypeName == GeminiCliJsonlDialect.RewindType)
            {
                var at = e.ParentUuid is { } target ? order.IndexOf(target) : -1;
                var from = at >= 0 ? at : 0;
                foreach (var id in order.Skip(from))
                {
                    latest.Remove(id);
                }

                order.RemoveRange(from, order.Count - from);
            }
            else if (e.TypeName == GeminiCliJsonlDialect.MetadataType && HeldRecords.TryGetValue(e, out var held))
            {
                foreach (var record in held)
                {
                    Keep(record);
                }
            }
            else if (e.TypeName == GeminiCliJsonlDialect.SetType && Checkpoints.TryGetValue(e, out var records))
            {
                order.Clear();
                latest.Clear();
                foreach (var record in records)
                {
                    Keep(record);
                }
            }
            else if (e.TypeName == GeminiCliJsonlDialect.PatchType && Patches.TryGetValue(e, out var patch))
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

    /// <summary>What a <c>$patch</c> line does.</summary>
    /// <param name="patch">Its <c>$patch</c> object.</param>
    /// <param name="line">The line.</param>
    /// <returns>The patch.</returns>
    internal static Patch ReadPatch(JsonElement patch, TranscriptLine line) =>
        new(Ids(patch.Prop("removeIds"u8)), Ids(patch.Prop("orderIds"u8)), Updates(patch.Prop("updates"u8), line));

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
            var at = JsonFacts.Pointer("/$patch/updates", i);
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
        var fromPrefix = Prefix(from);
        var content = (update.SetsContent ? from.Blocks : record.Blocks).Where(b => IsUnder(b, update.SetsContent ? fromPrefix : prefix, "/content")).ToList();
        var thoughts = (update.SetsThoughts ? from.Blocks : record.Blocks).Where(b => IsUnder(b, update.SetsThoughts ? fromPrefix : prefix, "/thoughts")).ToList();
        // The calls (and, in every record, their results) under toolCalls: a result the update sets replaces the
        // record's for that call; a call the record does not have is added with its results.
        var replaced = update.Calls.Where(c => c.SetsResult).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var known = record.Blocks.Where(b => b.Kind == BlockKind.ToolCall).Select(b => b.ToolId).ToHashSet(StringComparer.Ordinal);
        var updateCalls = from.Blocks.Where(b => IsUnder(b, fromPrefix, "/toolCalls")).ToList();
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
}
