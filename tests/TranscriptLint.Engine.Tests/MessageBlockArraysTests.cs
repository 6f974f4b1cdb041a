using TranscriptLint.Engine.Dialects;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>How the conversations lay out a message's blocks: every block in entry order, and tool results first.</summary>
public sealed class MessageBlockArraysTests
{
    private static Entry EntryWith(int line, params BlockKind[] kinds) => new()
    {
        Line = new TranscriptLine(line, 0, 1, LineTerminator.LineFeed, 1),
        Kind = EntryKind.User,
        Blocks = [.. kinds.Select((k, i) => new ContentBlock { Kind = k, TypeName = k.ToString(), Index = i, JsonPointer = $"/content/{i}" })],
    };

    private static string Shape(IEnumerable<MessageBlock> blocks) =>
        string.Join(" ", blocks.Select(b => $"{b.Entry.Line.Number}.{b.Block.Index}{(b.Block.Kind == BlockKind.ToolResult ? "r" : "")}"));

    [Fact]
    public void All_lists_every_block_entry_by_entry()
    {
        MessageBlockArrays.All([]).ShouldBeEmpty();
        MessageBlockArrays.All([EntryWith(1)]).ShouldBeEmpty();
        Shape(MessageBlockArrays.All([EntryWith(3, BlockKind.Text, BlockKind.ToolResult), EntryWith(1, BlockKind.Image)])).ShouldBe("3.0 3.1r 1.0");
    }

    [Theory]
    [InlineData(new[] { BlockKind.Text, BlockKind.ToolResult, BlockKind.Text, BlockKind.ToolResult }, "1.1r 1.3r 1.0 1.2")]
    [InlineData(new[] { BlockKind.ToolResult, BlockKind.Text, BlockKind.ToolResult }, "1.0r 1.2r 1.1")]
    [InlineData(new[] { BlockKind.Text, BlockKind.Image, BlockKind.ToolResult }, "1.2r 1.0 1.1")]
    public void Results_first_is_a_stable_partition(BlockKind[] kinds, string expected)
    {
        var all = MessageBlockArrays.All([EntryWith(1, kinds)]);
        var blocks = MessageBlockArrays.ResultsFirst(all);

        Shape(blocks).ShouldBe(expected);
        blocks.TakeWhile(b => b.Block.Kind == BlockKind.ToolResult).Count().ShouldBe(kinds.Count(k => k == BlockKind.ToolResult));
        Shape(all).ShouldBe(string.Join(" ", kinds.Select((k, i) => $"1.{i}{(k == BlockKind.ToolResult ? "r" : "")}"))); // the input is left as it was
    }

    [Theory]
    [InlineData(new[] { BlockKind.ToolResult, BlockKind.ToolResult, BlockKind.Text })]
    [InlineData(new[] { BlockKind.Text, BlockKind.Image })]
    [InlineData(new[] { BlockKind.ToolResult })]
    public void Blocks_already_in_that_order_are_returned_as_they_are(BlockKind[] kinds)
    {
        var all = MessageBlockArrays.All([EntryWith(1, kinds)]);
        MessageBlockArrays.ResultsFirst(all).ShouldBeSameAs(all);
    }
}
