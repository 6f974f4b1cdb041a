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
        start.RegisterIndexAction(ctx => Check(ctx, firstUnreadable));
    });

    // Whether the walk from the resume leaf reaches the entry: it is the chain's first entry, or one of its
    // descendants is on the chain.
    private static bool OnResumeWalk(ConversationIndex index, EntryHandle entry)
    {
        if (index.IsInResumeContext(entry))
        {
            return true;
        }

        var pending = new Stack<EntryHandle>([entry]);
        var seen = new HashSet<EntryHandle>();
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            if (!seen.Add(e))
            {
                continue;
            }

            foreach (var child in index.ChildrenOf(e))
            {
                if (index.IsInResumeContext(child))
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
    private static Dictionary<EntryHandle, EntryHandle> PreviousOnChain(ConversationIndex index)
    {
        var previous = new Dictionary<EntryHandle, EntryHandle>(index.ChainLength);
        for (var i = 1; i < index.ChainLength; i++)
        {
            previous[index.ChainEntryAt(i)] = index.ChainEntryAt(i - 1);
        }

        return previous;
    }

    private static void Check(IndexContext ctx, int firstUnreadable)
    {
        var index = ctx.Index;
        if (!index.HasParentGraph || IsCompactionHelper(index))
        {
            return; // agent-acompact-* transcripts point into the main session file by design
        }

        var firstGraphEntry = EntryHandle.None;
        for (var i = 0; i < index.Count && firstGraphEntry.IsNone; i++)
        {
            firstGraphEntry = index[i].HasUuid ? index[i] : EntryHandle.None;
        }

        Dictionary<EntryHandle, EntryHandle>? previousOnChain = null;
        for (var i = 0; i < index.Count; i++)
        {
            var entry = index[i];
            if (index.ParentOf(entry).IsNone && entry.ParentUuid is { } parent && entry.Subtype != "compact_boundary"
                && entry != firstGraphEntry && !IsPreCompactionProgress(index, i, parent))
            {
                // When an unreadable line precedes the entry, the missing parent may be on it (TL1001/TL1002 can
                // recover it): guessing a parent now could link past the real one, so offer no fix until then.
                var nearest = firstUnreadable < entry.Line.Number ? EntryHandle.None : GraphEdits.NearestEarlierMessage(index, entry);
                var fix = !nearest.IsNone && nearest.Uuid is { } newParent
                    ? new Fix($"Re-parent onto the nearest earlier message (line {nearest.Line.Number})", Applicability.Unsafe, [new SetParent(entry.Ref, newParent)])
                    : null;
                // Off the resume chain (a trailing hook row, a line before the last compaction) the walk does not
                // pass through it: nothing is lost today, only what would later continue from it.
                // Claude Code 2.1.112 and later walk on from the row written just before it (within 5 s), which the
                // resume chain models; older versions stop (docs/formats/claude-code.md).
                previousOnChain ??= PreviousOnChain(index);
                var effect = previousOnChain.TryGetValue(entry, out var joined)
                    ? $"Claude Code 2.1.112 and later resume through line {joined.Line.Number}, written within 5 s before it, but older versions stop here and lose everything before it"
                    : OnResumeWalk(index, entry) ? "a resume stops here and loses everything before it" : "it is off the resume chain, so a resume loses nothing now, but one continued from it would start there";
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry, "/parentUuid"), fix, entry.Uuid ?? "(no uuid)", parent, effect));
            }
        }
    }

    /// <summary>
    /// A progress row (a PreCompact hook) written just before a compact boundary, parented on the uuid the
    /// boundary names as its logicalParentUuid: Claude Code restarts the chain at the boundary, nothing descends
    /// from the row, so the missing parent loses nothing.
    /// </summary>
    private static bool IsPreCompactionProgress(ConversationIndex index, int at, string parent)
    {
        if (index[at].Kind != EntryKind.Progress)
        {
            return false;
        }

        for (var j = at + 1; j < index.Count; j++)
        {
            var next = index[j];
            if (next.Subtype == "compact_boundary")
            {
                return next.ClaudeCode?.LogicalParentUuid == parent;
            }

            if (next.Kind != EntryKind.Progress && next.HasUuid)
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsCompactionHelper(ConversationIndex index)
    {
        for (var i = 0; i < index.Count; i++)
        {
            if (index[i].ClaudeCode?.AgentId?.StartsWith("acompact", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }
}
