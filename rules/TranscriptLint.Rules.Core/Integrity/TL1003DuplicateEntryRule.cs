using System.IO.Hashing;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Integrity;

/// <summary>TL1003: an entry's uuid was already seen earlier in the file.</summary>
public sealed class TL1003DuplicateEntryRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.DuplicateEntry,
        "duplicate-entry",
        "Entry uuid appears more than once",
        "{0} of line {1}{2}",
        RuleCategories.Integrity,
        Severity.Warning,
        "A uuid identifies one node of the conversation graph. Duplicated lines come from re-appended history (editor reopen, resume copying history, compaction rewrites) and make the graph ambiguous. file-history-snapshot.messageId legitimately equals a prompt's uuid and is not counted. Formats whose lines carry no uuid (Codex rollouts, Copilot CLI events) are checked by content instead: an item a resume sends (message, call, output, reasoning) byte-identical to an earlier one is a duplicated write; harness rows (Codex session_meta, event_msg, inter_agent_communication_metadata) repeat legitimately and are not compared. In formats whose lines carry neither id nor timestamp (chat transcripts such as Amplifier's), only a line holding a tool call or result is compared: its tool id must be unique, so a byte-identical copy is a duplicated write, while two equal prompts may both be real. A Gemini CLI log is not checked: it records a change to a message by appending the record again under the same id. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        [],
        ["corruption"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) =>
        context.RegisterTranscriptStartAction(start =>
        {
            // Lines without a uuid, in formats where a repeated line is a duplicated write: by content, as they stream.
            // Each line's first entry by a 128-bit hash of its bytes (no hex string, no digest kept per line).
            var byHash = new Dictionary<UInt128, Entry>();
            if (start.Transcript.Traits.RepeatedLineIsDuplicateWrite)
            {
                start.RegisterEntryAction(ctx =>
                {
                    if (ctx.Entry.Uuid is null)
                    {
                        CheckContent(ctx, byHash);
                    }
                });
            }
            else if (!start.Transcript.Traits.RecordsUpdatedByAppending && !start.Transcript.Traits.HasParentGraph)
            {
                // Formats whose lines carry neither id nor timestamp (a chat transcript): two equal prompts ("yes") may
                // both be real, but a line holding a tool call or result carries an id the API requires to be unique,
                // so a byte-identical copy of it is the same write made twice. (Not where every line has a uuid: there
                // the uuid decides, below, and reading Entry.Uuid would make a string per line.)
                start.RegisterEntryAction(ctx =>
                {
                    if (HoldsToolId(ctx.Entry) && ctx.Entry.Uuid is null)
                    {
                        CheckContent(ctx, byHash);
                    }
                });
            }

            // Lines with a uuid: the conversation already knows each uuid's first entry (FindByUuid, IsCanonical), so
            // no map of every uuid is kept here. A repeat is compared with the first copy by reading both again
            // (duplicates are rare).
            if (start.Transcript.Traits.RecordsUpdatedByAppending)
            {
                return; // a repeated id is how such a log records a change (Gemini CLI): the last copy is the record
            }

            start.RegisterIndexAction(ctx =>
            {
                var index = ctx.Index;
                Dictionary<string, EntryHandle>? firsts = null; // only for a conversation that does not index uuids
                for (var i = 0; i < index.Count; i++)
                {
                    var entry = index[i];
                    if (index.IsCanonical(entry) || entry.Uuid is not { } uuid)
                    {
                        continue;
                    }

                    var first = index.FirstCopyOf(entry);
                    if (first.IsNone)
                    {
                        firsts ??= new Dictionary<string, EntryHandle>(StringComparer.Ordinal);
                        if (firsts.TryAdd(uuid, entry))
                        {
                            continue;
                        }

                        first = firsts[uuid];
                    }

                    if (first == entry)
                    {
                        continue;
                    }

                    var identical = ctx.ReadEntryBytes(first) is { } firstBytes && ctx.ReadEntryBytes(entry) is { } bytes && bytes.Span.SequenceEqual(firstBytes.Span);
                    var fix = new Fix(
                        identical ? "Delete the byte-identical copy" : "Delete the later copy, keeping the earliest",
                        identical ? Applicability.Safe : Applicability.Unsafe,
                        [new DeleteEntry(entry.Ref)]);
                    ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry, "/uuid"), fix, $"Entry {uuid} repeats the uuid", first.Line.Number, identical ? " (byte-identical)" : " with different content"));
                }
            });
        });

    private static bool HoldsToolId(Entry entry)
    {
        foreach (var block in entry.Blocks)
        {
            if (block.Kind is BlockKind.ToolCall or BlockKind.ToolResult && block.ToolId is { Length: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckContent(EntryContext ctx, Dictionary<UInt128, Entry> seen)
    {
        // Only a line a resume sends (a message, call, output, reasoning or instruction item) is compared. Harness rows
        // repeat legitimately and a resume skips them: Codex appends session_meta on every reopen, writes one
        // event_msg/agent_reasoning row per summary section (two reasoning items with the same summaries give the same
        // rows in the same millisecond) and an identical inter_agent_communication_metadata row before each agent
        // message, which its rollback and fork count as turn positions; deleting one would move them.
        if (ctx.Entry.Kind == EntryKind.Metadata)
        {
            return;
        }

        // Identity is all that is asked, so a cheap hash finds the candidate; the earlier line is then read again and
        // compared byte for byte, so a hash collision is never reported as a copy.
        var hash = XxHash128.HashToUInt128(ctx.Bytes);
        if (seen.TryAdd(hash, ctx.Entry))
        {
            return;
        }

        var first = seen[hash];
        if (ctx.ReadEntryBytes(first) is { } firstBytes && !firstBytes.Span.SequenceEqual(ctx.Bytes))
        {
            return;
        }

        var fix = new Fix("Delete the byte-identical copy", Applicability.Safe, [new DeleteEntry(ctx.Entry.Ref)]);
        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(ctx.Entry), fix, $"Line {ctx.Entry.Line.Number} repeats the content", first.Line.Number, " byte for byte (a duplicated write)"));
    }
}
