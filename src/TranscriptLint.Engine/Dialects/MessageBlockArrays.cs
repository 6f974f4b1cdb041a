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
    public static MessageBlock[] ResultsFirst(MessageBlock[] all) => ResultsFirst(all, IsResult);

    /// <summary>
    /// The same stable partition for blocks in any form (the Claude Code chain names them by position and ordinal).
    /// </summary>
    /// <typeparam name="T">How a block is named.</typeparam>
    /// <param name="all">The blocks, in order.</param>
    /// <param name="isResult">Whether a block is a tool result.</param>
    /// <returns>The partitioned blocks: <paramref name="all"/> itself when it is already so, else a new array.</returns>
    public static T[] ResultsFirst<T>(T[] all, Func<T, bool> isResult)
    {
        var results = 0;
        var partitioned = true;
        for (var i = 0; i < all.Length; i++)
        {
            if (isResult(all[i]))
            {
                partitioned &= results == i;
                results++;
            }
        }

        if (partitioned)
        {
            return all;
        }

        var blocks = new T[all.Length];
        var result = 0;
        var other = results;
        foreach (var b in all)
        {
            blocks[isResult(b) ? result++ : other++] = b;
        }

        return blocks;
    }

    private static readonly Func<MessageBlock, bool> IsResult = static b => b.Block.Kind == BlockKind.ToolResult;
}
