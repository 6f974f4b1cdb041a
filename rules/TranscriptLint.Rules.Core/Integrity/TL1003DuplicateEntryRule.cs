using System.Security.Cryptography;
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
        "A uuid identifies one node of the conversation graph. Duplicated lines come from re-appended history (editor reopen, resume copying history, compaction rewrites) and make the graph ambiguous. file-history-snapshot.messageId legitimately equals a prompt's uuid and is not counted. Formats whose lines carry no uuid (Codex rollouts, Copilot CLI events) are checked by content instead: a line byte-identical to an earlier one is a duplicated write, except Codex session_meta rows, which Codex writes again on every reopen and ignores on resume. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        [],
        ["corruption"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) =>
        context.RegisterTranscriptStartAction(start =>
        {
            // Per transcript: uuid -> its first entry. Nothing of the line is kept: a repeat is compared with the first
            // copy by reading that again (duplicates are rare; hashing every line to prepare for them was not).
            var seen = new Dictionary<string, Entry>(StringComparer.Ordinal);
            var byHash = new Dictionary<string, (int Line, byte[] Hash)>(StringComparer.Ordinal);
            var byContent = start.Transcript.Traits.RepeatedLineIsDuplicateWrite;
            start.RegisterEntryAction(ctx =>
            {
                if (ctx.Entry.Uuid is not { } uuid)
                {
                    if (byContent)
                    {
                        CheckContent(ctx, byHash);
                    }

                    return;
                }

                if (!seen.TryGetValue(uuid, out var first))
                {
                    seen[uuid] = ctx.Entry;
                    return;
                }

                var identical = ctx.ReadEntryBytes(first) is { } firstBytes && ctx.Bytes.SequenceEqual(firstBytes.Span);
                var fix = new Fix(
                    identical ? "Delete the byte-identical copy" : "Delete the later copy, keeping the earliest",
                    identical ? Applicability.Safe : Applicability.Unsafe,
                    [new DeleteEntry(ctx.Entry.Ref)]);
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(ctx.Entry, "/uuid"), fix, $"Entry {uuid} repeats the uuid", first.Line.Number, identical ? " (byte-identical)" : " with different content"));
            });
        });

    private static void CheckContent(EntryContext ctx, Dictionary<string, (int Line, byte[] Hash)> seen)
    {
        // Codex appends a session_meta row each time a session is reopened and skips them all on resume
        // (codex-rs reconstruct_history_from_rollout ignores RolloutItem::SessionMeta): a copy is normal.
        if (ctx.Entry.TypeName == "session_meta")
        {
            return;
        }

        var hash = SHA256.HashData(ctx.Bytes);
        var key = "sha256:" + Convert.ToHexString(hash);
        if (seen.TryAdd(key, (ctx.Entry.Line.Number, hash)))
        {
            return;
        }

        var fix = new Fix("Delete the byte-identical copy", Applicability.Safe, [new DeleteEntry(ctx.Entry.Ref)]);
        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(ctx.Entry), fix, $"Line {ctx.Entry.Line.Number} repeats the content", seen[key].Line, " byte for byte (a duplicated write)"));
    }
}
