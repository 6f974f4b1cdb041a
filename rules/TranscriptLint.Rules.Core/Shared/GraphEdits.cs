using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core;

/// <summary>Edits that keep the parent graph connected when an entry goes away.</summary>
internal static class GraphEdits
{
    /// <summary>
    /// Deletes <paramref name="entry"/> and re-parents its children onto its parent, so the chain through it
    /// stays whole (a splice).
    /// </summary>
    public static List<FixEdit> Splice(Conversation conversation, Entry entry)
    {
        var edits = new List<FixEdit> { new DeleteEntry(entry.Ref) };
        if (entry.Uuid is { } uuid && conversation.HasParentGraph)
        {
            foreach (var child in conversation.ChildrenOf(uuid))
            {
                if (!ReferenceEquals(child, entry))
                {
                    edits.Add(new SetParent(child.Ref, entry.ParentUuid));
                }
            }
        }

        return edits;
    }
}
