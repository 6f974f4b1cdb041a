using System.Security.Cryptography;
using TranscriptLint.Fixes;

namespace TranscriptLint.Rules.Core.Integrity;

/// <summary>TL1003: an entry's uuid was already seen earlier in the file.</summary>
public sealed class TL1003DuplicateEntryRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.DuplicateEntry,
        "duplicate-entry",
        "Entry uuid appears more than once",
        "Entry {0} repeats the uuid of line {1}{2}",
        RuleCategories.Integrity,
        Severity.Warning,
        "A uuid identifies one node of the conversation graph. Duplicated lines come from re-appended history (editor reopen, resume copying history, compaction rewrites) and make the graph ambiguous. file-history-snapshot.messageId legitimately equals a prompt's uuid and is not counted.",
        FixAvailability.Always,
        [],
        ["corruption"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) =>
        context.RegisterTranscriptStartAction(start =>
        {
            // Per transcript: uuid -> (first line, hash of its bytes). Only ids and hashes are kept, not lines.
            var seen = new Dictionary<string, (int Line, byte[] Hash)>(StringComparer.Ordinal);
            start.RegisterEntryAction(ctx =>
            {
                if (ctx.Entry.Uuid is not { } uuid)
                {
                    return;
                }

                var hash = SHA256.HashData(ctx.Bytes);
                if (!seen.TryGetValue(uuid, out var first))
                {
                    seen[uuid] = (ctx.Entry.Line.Number, hash);
                    return;
                }

                var identical = hash.AsSpan().SequenceEqual(first.Hash);
                var fix = new Fix(
                    identical ? "Delete the byte-identical copy" : "Delete the later copy, keeping the earliest",
                    identical ? Applicability.Safe : Applicability.Unsafe,
                    [new DeleteEntry(ctx.Entry.Ref)]);
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(ctx.Entry, "/uuid"), fix, uuid, first.Line, identical ? " (byte-identical)" : " with different content"));
            });
        });
}
