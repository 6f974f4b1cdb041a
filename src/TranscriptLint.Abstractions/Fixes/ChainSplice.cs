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
    public static string ArrayPointerOf(ContentBlock block) => ArrayPointerOf(block.JsonPointer);

    /// <summary>The pointer of the array holding a block named by handle (see <see cref="ArrayPointerOf(ContentBlock)"/>).</summary>
    /// <param name="block">The block.</param>
    /// <returns>A JSON pointer.</returns>
    public static string ArrayPointerOf(BlockHandle block) => ArrayPointerOf(block.JsonPointer);

    /// <summary>
    /// <see cref="SpliceAll(Conversation, IReadOnlyCollection{Entry})"/> on the conversation index: the same edits, for
    /// entries named by handle.
    /// </summary>
    /// <param name="index">The index the entries belong to.</param>
    /// <param name="entries">The entries to delete.</param>
    /// <returns>The delete edits (in line order), then the re-parent edits.</returns>
    public static List<FixEdit> SpliceAll(ConversationIndex index, IReadOnlyCollection<EntryHandle> entries)
    {
        ArgumentNullException.ThrowIfNull(index);
        var deleted = new HashSet<EntryHandle>(entries);
        var edits = new List<FixEdit>();
        foreach (var entry in entries.OrderBy(e => e.Line.Number))
        {
            edits.Add(new DeleteEntry(entry.Ref));
        }

        if (!index.HasParentGraph)
        {
            return edits;
        }

        foreach (var entry in entries.OrderBy(e => e.Line.Number))
        {
            foreach (var child in index.ChildrenOf(entry))
            {
                if (!deleted.Contains(child))
                {
                    edits.Add(new SetParent(child.Ref, SurvivingAncestor(index, entry, deleted)));
                }
            }
        }

        return edits;
    }

    /// <summary>
    /// <see cref="RemoveBlocks(Conversation, IEnumerable{MessageBlock})"/> on the conversation index: the same edits, for
    /// blocks named by handle.
    /// </summary>
    /// <param name="index">The index the blocks belong to.</param>
    /// <param name="blocks">The blocks to remove.</param>
    /// <returns>The splice edits, then the array-element removals.</returns>
    public static List<FixEdit> RemoveBlocks(ConversationIndex index, IEnumerable<BlockHandle> blocks)
    {
        ArgumentNullException.ThrowIfNull(index);
        var emptied = new List<EntryHandle>();
        var edits = new List<FixEdit>();
        foreach (var group in blocks.GroupBy(b => b.Entry))
        {
            var entry = group.Key;
            if (group.Count() >= index.BlockCountOf(entry) || group.Any(b => b.IndexInContent < 0))
            {
                emptied.Add(entry);
            }
            else
            {
                edits.AddRange(group.Select(b => (FixEdit)new RemoveArrayElement(entry.Ref, ArrayPointerOf(b), b.IndexInContent)));
            }
        }

        return [.. SpliceAll(index, emptied), .. edits];
    }

    private static string ArrayPointerOf(string pointer) => pointer.LastIndexOf('/') is var cut and > 0 ? pointer[..cut] : "/message/content";

    // As below, by handle: a parent id names the first copy of its uuid, which ParentOf answers.
    private static string? SurvivingAncestor(ConversationIndex index, EntryHandle entry, HashSet<EntryHandle> deleted)
    {
        var guard = 0;
        var parent = entry.ParentUuid;
        var current = entry;
        while (parent is not null && guard++ < 10_000 && index.ParentOf(current) is { IsNone: false } p && deleted.Contains(p))
        {
            parent = p.ParentUuid;
            current = p;
        }

        return parent;
    }

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
