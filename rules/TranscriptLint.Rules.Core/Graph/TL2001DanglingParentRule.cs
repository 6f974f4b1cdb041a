using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Graph;

/// <summary>TL2001: <c>parentUuid</c> names a uuid that is not in the file.</summary>
public sealed class TL2001DanglingParentRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.DanglingParent,
        "dangling-parent",
        "Parent uuid is not in the file",
        "Entry {0} names parent {1}, which is not in this file; a resume stops here and loses everything before it",
        RuleCategories.Graph,
        Severity.Warning,
        "A resume walks parentUuid links back from the last entry. When a parent was never written (a lost line, a retry that re-parented onto a missing node), the walk stops there and the model sees only the tail of the session. Compact boundaries and compaction-helper transcripts legitimately point outside the file.",
        FixAvailability.Sometimes,
        [],
        ["resume"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        // The first line that held something but no entry (torn, NULs): a missing parent may be on it.
        var firstUnreadable = int.MaxValue;
        start.RegisterLineAction(line =>
        {
            if (!line.IsValidJson && !line.IsBlank)
            {
                firstUnreadable = Math.Min(firstUnreadable, line.Line.Number);
            }
        });
        start.RegisterConversationAction(ctx => Check(ctx, firstUnreadable));
    });

    private static void Check(ConversationContext ctx, int firstUnreadable)
    {
        var conversation = ctx.Conversation;
        if (!conversation.HasParentGraph || conversation.Entries.Any(IsCompactionHelper))
        {
            return; // agent-acompact-* transcripts point into the main session file by design
        }

        foreach (var entry in conversation.Entries)
        {
            if (entry.ParentUuid is { } parent && entry.Subtype != "compact_boundary" && conversation.FindByUuid(parent) is null)
            {
                // When an unreadable line precedes the entry, the missing parent may be on it (TL1001/TL1002 can
                // recover it): guessing a parent now could link past the real one, so offer no fix until then.
                var nearest = firstUnreadable < entry.Line.Number ? null : GraphEdits.NearestEarlierMessage(conversation, entry);
                var fix = nearest is { Uuid: { } newParent }
                    ? new Fix($"Re-parent onto the nearest earlier message (line {nearest.Line.Number})", Applicability.Unsafe, [new SetParent(entry.Ref, newParent)])
                    : null;
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry, "/parentUuid"), fix, entry.Uuid ?? "(no uuid)", parent));
            }
        }
    }

    private static bool IsCompactionHelper(Entry e) => e.AgentId?.StartsWith("acompact", StringComparison.Ordinal) == true;
}
