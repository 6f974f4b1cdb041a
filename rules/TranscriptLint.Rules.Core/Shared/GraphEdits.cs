using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core;

/// <summary>Edits that keep the parent graph connected when an entry goes away.</summary>
internal static class GraphEdits
{
    /// <summary>
    /// Deletes <paramref name="entry"/> and re-parents its children onto its parent, so the chain through it
    /// stays whole (a splice). When the entry's own parent is missing from the file, the children go to the
    /// nearest earlier message instead: re-parenting onto a missing uuid would cut the chain there.
    /// </summary>
    public static List<FixEdit> Splice(ConversationIndex index, EntryHandle entry)
    {
        var edits = ChainSplice.SpliceAll(index, [entry]);
        if (entry.ParentUuid is not null && index.ParentOf(entry).IsNone && NearestEarlierMessage(index, entry) is { IsNone: false } near && near.Uuid is { } rejoin)
        {
            return [.. edits.Select(e => e is SetParent relink ? relink with { NewParentUuid = rejoin } : e)];
        }

        return edits;
    }

    /// <summary>Deletes a harness-made row and re-parents its children onto its parent. Safe for error rows only (TL4001, TL4002).</summary>
    public static Fix SpliceSyntheticRow(ConversationIndex index, EntryHandle entry)
    {
        var isError = (entry.Synthetic & (SyntheticReason.ApiErrorFlag | SyntheticReason.ApiErrorText)) != 0;
        return new Fix("Splice the harness-made row out of the chain", isError ? Applicability.Safe : Applicability.Unsafe, Splice(index, entry));
    }

    /// <summary>The last user/assistant entry with a uuid written before <paramref name="entry"/>.</summary>
    public static EntryHandle NearestEarlierMessage(ConversationIndex index, EntryHandle entry)
    {
        // Entries are in file order: find the entry's place, then walk back to the first message (usually a step or two).
        // Ids are made on read, so a walk over the whole file for every finding would make two strings a line.
        int lo = 0, hi = index.Count;
        var line = entry.Line.Number;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (index[mid].Line.Number < line)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        var uuid = entry.Uuid;
        for (var i = lo - 1; i >= 0; i--)
        {
            var e = index[i];
            if (e.Kind is EntryKind.User or EntryKind.Assistant && e.HasUuid && e.ParentUuid != uuid)
            {
                return e;
            }
        }

        return EntryHandle.None;
    }
}
