using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core;

/// <summary>
/// An entry's blocks that meet a condition, for <c>foreach</c> without the iterator LINQ's <c>Where</c> allocates on
/// every call: entry actions run on every line, and several rules ask this of each one.
/// </summary>
internal static class BlockFilter
{
    /// <summary>The blocks for which <paramref name="condition"/> holds, in order.</summary>
    /// <param name="blocks">An entry's blocks.</param>
    /// <param name="condition">Pass a lambda that captures nothing, so it is not allocated per call either.</param>
    /// <returns>A struct to <c>foreach</c> over.</returns>
    public static MatchingBlocks Matching(this IReadOnlyList<ContentBlock> blocks, Func<ContentBlock, bool> condition) => new(blocks, condition);
}

/// <summary>The result of <see cref="BlockFilter.Matching"/>.</summary>
internal readonly struct MatchingBlocks(IReadOnlyList<ContentBlock> blocks, Func<ContentBlock, bool> condition)
{
    public Enumerator GetEnumerator() => new(blocks, condition);

    /// <summary>Walks the list by index.</summary>
    public struct Enumerator(IReadOnlyList<ContentBlock> blocks, Func<ContentBlock, bool> condition)
    {
        private int _index = -1;

        public readonly ContentBlock Current => blocks[_index];

        public bool MoveNext()
        {
            while (++_index < blocks.Count)
            {
                if (condition(blocks[_index]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
