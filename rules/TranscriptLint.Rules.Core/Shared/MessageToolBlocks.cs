using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core;

/// <summary>
/// A message's tool calls and results for <c>foreach</c>, without the LINQ iterator that <see cref="Message.ToolCalls"/>
/// and its siblings make on every call: the tool-pairing rules walk every message of the chain, several of them ask
/// each message, and those iterators were about a tenth of what linting 500 tool-heavy sessions allocated.
/// </summary>
internal static class MessageToolBlocks
{
    private static readonly Func<MessageBlock, bool> IsCall = static b => b.Block.Kind == BlockKind.ToolCall;
    private static readonly Func<MessageBlock, bool> IsResult = static b => b.Block.Kind == BlockKind.ToolResult;

    /// <summary>What <see cref="Message.ToolCalls"/> holds, in the same order.</summary>
    public static MatchingBlocks<MessageBlock> Calls(this Message message) => message.Blocks.Matching(IsCall);

    /// <summary>What <see cref="Message.ToolResults"/> holds, in the same order.</summary>
    public static MatchingBlocks<MessageBlock> Results(this Message message) => message.Blocks.Matching(IsResult);

    /// <summary>What <see cref="Message.CanonicalToolCalls"/> holds, in the same order.</summary>
    public static MatchingBlocks<MessageBlock> CanonicalCalls(this Message message) => message.CanonicalBlocks.Matching(IsCall);

    /// <summary>What <see cref="Message.CanonicalToolResults"/> holds, in the same order.</summary>
    public static MatchingBlocks<MessageBlock> CanonicalResults(this Message message) => message.CanonicalBlocks.Matching(IsResult);

    /// <summary>Whether the message holds a tool call.</summary>
    public static bool HasCalls(this Message message) => Has(message.Blocks, BlockKind.ToolCall);

    /// <summary>Whether the message holds a tool result.</summary>
    public static bool HasResults(this Message message) => Has(message.Blocks, BlockKind.ToolResult);

    private static bool Has(IReadOnlyList<MessageBlock> blocks, BlockKind kind)
    {
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i].Block.Kind == kind)
            {
                return true;
            }
        }

        return false;
    }
}
