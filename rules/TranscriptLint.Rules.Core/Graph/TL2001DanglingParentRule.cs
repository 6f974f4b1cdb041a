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
        "Entry {0} names parent {1}, which is not in this file; {2}",
        RuleCategories.Graph,
        Severity.Warning,
        "A resume walks parentUuid links back from the last entry. When a parent was never written (a lost line, a retry that re-parented onto a missing node), Claude Code 2.1.112 and later continue from the row written closest before it within 5 seconds, if there is one; otherwise, and in older versions, the walk stops there and the model sees only the tail of the session. Compact boundaries, compaction-helper transcripts, the first entry of a file that continues an earlier one (nothing precedes it to lose) and PreCompact progress rows parented on the uuid their compact boundary names as logicalParentUuid legitimately point outside the file. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
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

    // Whether the walk from the resume leaf reaches the entry: it is the chain's first entry, or one of its
    // descendants is on the chain.
    private static bool OnResumeWalk(Conversation conversation, Entry entry)
    {
        if (conversation.IsInResumeContext(entry))
        {
            return true;
        }

        var pending = new Stack<Entry>([entry]);
        var seen = new HashSet<Entry>(ReferenceEqualityComparer.Instance);
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            if (!seen.Add(e))
            {
                continue;
            }

            foreach (var child in conversation.ChildrenOf(e))
            {
                if (conversation.IsInResumeContext(child))
                {
                    return true;
                }

                pending.Push(child);
            }
        }

        return false;
    }

    // Each chain entry's predecessor: where the resume walk continues after an entry whose parent is missing. Made once
    // per file, when the first dangling parent is found (a scan of the chain per finding was quadratic in a file where
    // every line dangles).
    private static Dictionary<Entry, Entry> PreviousOnChain(Conversation conversation)
    {
        var chain = conversation.ChainEntries;
        var previous = new Dictionary<Entry, Entry>(chain.Count, ReferenceEqualityComparer.Instance);
        for (var i = 1; i < chain.Count; i++)
        {
            previous[chain[i]] = chain[i - 1];
        }

        return previous;
    }

    private static void Check(ConversationContext ctx, int firstUnreadable)
    {
        var conversation = ctx.Conversation;
        if (!conversation.HasParentGraph || conversation.Entries.Any(IsCompactionHelper))
        {
            return; // agent-acompact-* transcripts point into the main session file by design
        }

        var entries = conversation.Entries;
        var firstGraphEntry = entries.FirstOrDefault(e => e.Uuid is not null);
        Dictionary<Entry, Entry>? previousOnChain = null;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (conversation.ParentOf(entry) is null && entry.ParentUuid is { } parent && entry.Subtype != "compact_boundary"
                && !ReferenceEquals(entry, firstGraphEntry) && !IsPreCompactionProgress(entries, i, parent))
            {
                // When an unreadable line precedes the entry, the missing parent may be on it (TL1001/TL1002 can
                // recover it): guessing a parent now could link past the real one, so offer no fix until then.
                var nearest = firstUnreadable < entry.Line.Number ? null : GraphEdits.NearestEarlierMessage(conversation, entry);
                var fix = nearest is { Uuid: { } newParent }
                    ? new Fix($"Re-parent onto the nearest earlier message (line {nearest.Line.Number})", Applicability.Unsafe, [new SetParent(entry.Ref, newParent)])
                    : null;
                // Off the resume chain (a trailing hook row, a line before the last compaction) the walk does not
                // pass through it: nothing is lost today, only what would later continue from it.
                // Claude Code 2.1.112 and later walk on from the row written just before it (within 5 s), which the
                // resume chain models; older versions stop (docs/formats/claude-code.md).
                previousOnChain ??= PreviousOnChain(conversation);
                var effect = previousOnChain.GetValueOrDefault(entry) is { } joined
                    ? $"Claude Code 2.1.112 and later resume through line {joined.Line.Number}, written within 5 s before it, but older versions stop here and lose everything before it"
                    : OnResumeWalk(conversation, entry) ? "a resume stops here and loses everything before it" : "it is off the resume chain, so a resume loses nothing now, but one continued from it would start there";
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry, "/parentUuid"), fix, entry.Uuid ?? "(no uuid)", parent, effect));
            }
        }
    }

    /// <summary>
    /// A progress row (a PreCompact hook) written just before a compact boundary, parented on the uuid the
    /// boundary names as its logicalParentUuid: Claude Code restarts the chain at the boundary, nothing descends
    /// from the row, so the missing parent loses nothing.
    /// </summary>
    private static bool IsPreCompactionProgress(IReadOnlyList<Entry> entries, int index, string parent)
    {
        if (entries[index].Kind != EntryKind.Progress)
        {
            return false;
        }

        for (var j = index + 1; j < entries.Count; j++)
        {
            var next = entries[j];
            if (next.Subtype == "compact_boundary")
            {
                return next.ClaudeCode?.LogicalParentUuid == parent;
            }

            if (next.Kind != EntryKind.Progress && next.Uuid is not null)
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsCompactionHelper(Entry e) => e.ClaudeCode?.AgentId?.StartsWith("acompact", StringComparison.Ordinal) == true;
}
