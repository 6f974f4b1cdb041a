using TranscriptLint.Model;

namespace TranscriptLint.Fixes;

/// <summary>
/// Edits that take entries or blocks out of a conversation without breaking the chain through them: a deleted
/// entry's surviving children are re-parented onto its nearest surviving ancestor. Shared by the built-in rules and
/// the host (decision 0001), and there for plugin fixes that remove content.
/// </summary>
public static class ChainSplice
{
    /// <summary>
    /// Deletes every entry of <paramref name="entries"/> and re-parents each surviving child onto the nearest
    /// ancestor that survives, so the chain through them stays whole.
    /// </summary>
    /// <param name="conversation">The conversation the entries belong to.</param>
    /// <param name="entries">The entries to delete.</param>
    /// <returns>The delete edits (in line order), then the re-parent edits.</returns>
    public static List<FixEdit> SpliceAll(Conversation conversation, IReadOnlyCollection<Entry> entries)
    {
        var deleted = new HashSet<Entry>(entries, ReferenceEqualityComparer.Instance);
        var edits = new List<FixEdit>();
        foreach (var entry in entries.OrderBy(e => e.Line.Number))
        {
            edits.Add(new DeleteEntry(entry.Ref));
        }

        if (!conversation.HasParentGraph)
        {
            return edits;
        }

        foreach (var entry in entries.OrderBy(e => e.Line.Number))
        {
            foreach (var child in conversation.ChildrenOf(entry))
            {
                if (!deleted.Contains(child))
                {
                    edits.Add(new SetParent(child.Ref, SurvivingAncestor(conversation, entry, deleted)));
                }
            }
        }

        return edits;
    }

    /// <summary>
    /// Removes the given blocks: a line left with nothing (or whose content is a single string) is spliced out of the
    /// chain (Claude Code writes one block per assistant line); otherwise the blocks are removed from its array.
    /// </summary>
    /// <param name="conversation">The conversation the blocks belong to.</param>
    /// <param name="blocks">The blocks to remove.</param>
    /// <returns>The splice edits, then the array-element removals.</returns>
    public static List<FixEdit> RemoveBlocks(Conversation conversation, IEnumerable<MessageBlock> blocks)
    {
        var emptied = new List<Entry>();
        var edits = new List<FixEdit>();
        foreach (var group in blocks.GroupBy(b => b.Entry, ReferenceEqualityComparer.Instance))
        {
            var entry = (Entry)group.Key!;
            if (group.Count() >= entry.Blocks.Count || group.Any(b => b.Block.Index < 0))
            {
                emptied.Add(entry);
            }
            else
            {
                edits.AddRange(group.Select(b => (FixEdit)new RemoveArrayElement(entry.Ref, ArrayPointerOf(b.Block), b.Block.Index)));
            }
        }

        return [.. SpliceAll(conversation, emptied), .. edits];
    }

    /// <summary>
    /// The pointer of the array holding a block (<c>/message/content</c> in a Claude Code line, <c>/content</c> in a
    /// request body's message): its own pointer without the last token.
    /// </summary>
    /// <param name="block">The block.</param>
    /// <returns>A JSON pointer.</returns>
    public static string ArrayPointerOf(ContentBlock block) =>
        block.JsonPointer.LastIndexOf('/') is var cut and > 0 ? block.JsonPointer[..cut] : "/message/content";

    private static string? SurvivingAncestor(Conversation conversation, Entry entry, HashSet<Entry> deleted)
    {
        var guard = 0;
        var parent = entry.ParentUuid;
        while (parent is not null && guard++ < 10_000 && conversation.FindByUuid(parent) is { } p && deleted.Contains(p))
        {
            parent = p.ParentUuid;
        }

        return parent;
    }
}
