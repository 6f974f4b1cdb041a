using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// A message's tool calls and results, as every tool-pairing rule asks them of every message: the blocks of that kind
/// in order, their canonical forms without the blocks of duplicate lines, and nothing made for a message without any.
/// </summary>
public sealed class MessageBlocksTests
{
    private static ContentBlock Block(BlockKind kind, int index, string? toolId = null) =>
        new() { Kind = kind, TypeName = kind.ToString(), Index = index, JsonPointer = $"/message/content/{index}", ToolId = toolId };

    private static Message MessageOf(Entry[] entries, IReadOnlyList<Entry>? duplicates = null) => new()
    {
        Index = 0,
        Role = MessageRole.User,
        Entries = entries,
        Blocks = [.. entries.SelectMany(e => e.Blocks.Select(b => new MessageBlock(e, b)))],
        DuplicateEntries = duplicates ?? [],
    };

    private static Entry EntryWith(int line, params ContentBlock[] blocks) =>
        new() { Line = new TranscriptLine(line, 0, 1, LineTerminator.LineFeed, 1), Kind = EntryKind.User, Blocks = blocks };

    [Fact]
    public void Calls_and_results_are_the_blocks_of_their_kind_in_order()
    {
        var first = EntryWith(1, Block(BlockKind.Text, 0), Block(BlockKind.ToolResult, 1, "b"), Block(BlockKind.ToolCall, 2, "x"));
        var second = EntryWith(2, Block(BlockKind.ToolResult, 0, "a"), Block(BlockKind.ToolCall, 1, "y"));
        var message = MessageOf([first, second], duplicates: [second]);

        message.ToolResults.Select(b => b.Block.ToolId).ShouldBe(["b", "a"]);
        message.ToolCalls.Select(b => b.Block.ToolId).ShouldBe(["x", "y"]);
        message.CanonicalToolResults.Select(b => b.Block.ToolId).ShouldBe(["b"]);
        message.CanonicalToolCalls.Select(b => b.Block.ToolId).ShouldBe(["x"]);
    }

    [Fact]
    public void A_message_without_calls_or_results_answers_with_nothing_made()
    {
        var message = MessageOf([EntryWith(1, Block(BlockKind.Text, 0), Block(BlockKind.Image, 1))]);
        Count(message).ShouldBe(0); // compiles and warms every path before measuring

        var before = GC.GetAllocatedBytesForCurrentThread();
        var seen = Count(message);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        seen.ShouldBe(0);
        allocated.ShouldBe(0L);
    }

    private static int Count(Message message)
    {
        var n = 0;
        foreach (var _ in message.ToolCalls)
        {
            n++;
        }

        foreach (var _ in message.ToolResults)
        {
            n++;
        }

        foreach (var _ in message.CanonicalToolCalls)
        {
            n++;
        }

        foreach (var _ in message.CanonicalToolResults)
        {
            n++;
        }

        return n + (message.IsSynthetic ? 1 : 0);
    }
}
