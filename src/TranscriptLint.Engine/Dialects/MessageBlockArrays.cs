using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// A message's blocks as the conversations build them, once a message: plain loops into arrays, not LINQ. Rules walk
/// every message's blocks, and over a collection-expression wrapper each <c>Where</c> made an iterator and a boxed
/// enumerator; with the builders' own iterators and closures that was a fifth of what linting a session allocated.
/// </summary>
internal static class MessageBlockArrays
{
    /// <summary>Every block of the entries, entry by entry, in block order.</summary>
    public static MessageBlock[] All(IReadOnlyList<Entry> entries)
    {
        var count = 0;
        for (var e = 0; e < entries.Count; e++)
        {
            count += entries[e].BlockCount; // not Blocks: a kept entry's one block would be wrapped in a list each time
        }

        if (count == 0)
        {
            return [];
        }

        var blocks = new MessageBlock[count];
        var at = 0;
        for (var e = 0; e < entries.Count; e++)
        {
            var entry = entries[e];
            for (var i = 0; i < entry.BlockCount; i++)
            {
                blocks[at++] = new MessageBlock(entry, entry.BlockAt(i));
            }
        }

        return blocks;
    }

    /// <summary>
    /// The tool results first, then every other block, each part in the order given (a stable partition); the array
    /// itself when it is already so.
    /// </summary>
    public static MessageBlock[] ResultsFirst(MessageBlock[] all)
    {
        var results = 0;
        var partitioned = true;
        for (var i = 0; i < all.Length; i++)
        {
            if (all[i].Block.Kind == BlockKind.ToolResult)
            {
                partitioned &= results == i;
                results++;
            }
        }

        if (partitioned)
        {
            return all;
        }

        var blocks = new MessageBlock[all.Length];
        var result = 0;
        var other = results;
        foreach (var b in all)
        {
            blocks[b.Block.Kind == BlockKind.ToolResult ? result++ : other++] = b;
        }

        return blocks;
    }
}
