using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core;

/// <summary>
/// An entry's or a message's blocks that meet a condition, for <c>foreach</c> without the iterator LINQ's <c>Where</c>
/// allocates on every call: entry actions run on every line, conversation rules on every message, and several rules ask
/// this of each one.
/// </summary>
internal static class BlockFilter
{
    /// <summary>The blocks for which <paramref name="condition"/> holds, in order.</summary>
    /// <param name="blocks">An entry's blocks (<see cref="ContentBlock"/>) or a message's (<see cref="MessageBlock"/>).</param>
    /// <param name="condition">Pass a lambda that captures nothing, so it is not allocated per call either.</param>
    /// <typeparam name="T">The block type.</typeparam>
    /// <returns>A struct to <c>foreach</c> over.</returns>
    public static MatchingBlocks<T> Matching<T>(this IReadOnlyList<T> blocks, Func<T, bool> condition) => new(blocks, condition);
}

/// <summary>The result of <see cref="BlockFilter.Matching"/>.</summary>
/// <typeparam name="T">The block type.</typeparam>
internal readonly struct MatchingBlocks<T>(IReadOnlyList<T> blocks, Func<T, bool> condition)
{
    public Enumerator GetEnumerator() => new(blocks, condition);

    /// <summary>Walks the list by index.</summary>
    public struct Enumerator(IReadOnlyList<T> blocks, Func<T, bool> condition)
    {
        private int _index = -1;

        public readonly T Current => blocks[_index];

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
