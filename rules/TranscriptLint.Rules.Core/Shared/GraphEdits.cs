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
    public static List<FixEdit> Splice(Conversation conversation, Entry entry)
    {
        var edits = new List<FixEdit> { new DeleteEntry(entry.Ref) };
        if (entry.Uuid is not { } uuid || !conversation.HasParentGraph)
        {
            return edits;
        }

        var children = conversation.ChildrenOf(uuid).Where(c => !ReferenceEquals(c, entry)).ToList();
        if (children.Count == 0)
        {
            return edits;
        }

        var newParent = entry.ParentUuid;
        if (newParent is not null && conversation.FindByUuid(newParent) is null)
        {
            newParent = NearestEarlierMessage(conversation, entry)?.Uuid ?? newParent;
        }

        edits.AddRange(children.Select(child => new SetParent(child.Ref, newParent)));
        return edits;
    }

    /// <summary>The last user/assistant entry with a uuid written before <paramref name="entry"/>.</summary>
    public static Entry? NearestEarlierMessage(Conversation conversation, Entry entry)
    {
        Entry? found = null;
        foreach (var e in conversation.Entries)
        {
            if (e.Line.Number >= entry.Line.Number)
            {
                break;
            }

            if (e.Kind is EntryKind.User or EntryKind.Assistant && e.Uuid is not null && e.ParentUuid != entry.Uuid)
            {
                found = e;
            }
        }

        return found;
    }
}
