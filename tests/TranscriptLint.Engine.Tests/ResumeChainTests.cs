using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>The Claude Code conversation view, checked on real transcripts.</summary>
public sealed class ResumeChainTests
{
    private static Conversation Load(string name)
    {
        var path = Path.Combine(RepoPaths.RealCorpus, "claude-code", name);
        var dialect = new ClaudeCodeDialect();
        var entries = new List<Entry>();
        var n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            entries.Add(dialect.ReadEntry(doc.RootElement, new TranscriptLine(n, 0, line.Length, LineTerminator.LineFeed, line.Length)));
        }

        return dialect.BuildConversation(entries);
    }

    private static Conversation Parse(params string[] lines)
    {
        var dialect = new ClaudeCodeDialect();
        var entries = new List<Entry>();
        for (var n = 1; n <= lines.Length; n++)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(lines[n - 1]);
            entries.Add(dialect.ReadEntry(doc.RootElement, new TranscriptLine(n, 0, lines[n - 1].Length, LineTerminator.LineFeed, lines[n - 1].Length)));
        }

        return dialect.BuildConversation(entries);
    }

    private static string Row(string type, int uuid, int? parent, string time, bool sidechain = false)
    {
        var parentJson = parent is { } p ? $"\"00000000-0000-4000-8000-{p:D12}\"" : "null";
        return "{\"parentUuid\":" + parentJson + ",\"isSidechain\":" + (sidechain ? "true" : "false") + ",\"type\":\"" + type
            + $"\",\"uuid\":\"00000000-0000-4000-8000-{uuid:D12}\",\"timestamp\":\"2026-01-01T12:00:{time}Z\",\"sessionId\":\"s\","
            + "\"message\":{\"role\":\"" + type + "\",\"content\":\"" + type + " " + uuid + "\"}}";
    }

    // Lines on the chain, by number.
    private static int[] Chain(Conversation c) => [.. c.ChainEntries.Select(e => e.Line.Number)];

    [Theory]
    [InlineData("04.900", new[] { 1, 3 })] // 4.9 s after lines 1 and 2: joined to line 1
    [InlineData("05.000", new[] { 1, 3 })] // exactly 5 s: still joined
    [InlineData("05.001", new[] { 3 })]       // over 5 s: the walk stops, as before 2.1.112
    public void A_missing_parent_is_replaced_by_the_row_written_within_5_s_before_as_Claude_Code_does(string time, int[] chain)
    {
        // Line 3 names parent 99, which no line has (its tool result line was lost, say).
        var c = Parse(Row("user", 1, null, "00.000"), Row("assistant", 2, 1, "00.000"), Row("user", 3, 99, time));
        // Lines 1 and 2 are equally near (both at 0 s): the first in the file wins, as in Claude Code's scan of its map.
        Chain(c).ShouldBe(chain);
    }

    [Fact]
    public void The_fallback_takes_the_nearest_earlier_row_of_the_same_sidechain_and_of_equal_times_the_first()
    {
        var c = Parse(
            Row("user", 1, null, "00.000"),
            Row("assistant", 2, 1, "01.000"),
            Row("assistant", 3, 1, "01.000"),              // as near as line 2, later in the file
            Row("assistant", 4, 1, "01.500", sidechain: true), // nearer, but a sidechain
            Row("user", 5, 99, "02.000"),
            Row("assistant", 6, 5, "03.000"));
        Chain(c).ShouldBe([1, 2, 5, 6]);
    }

    [Fact]
    public void A_row_written_after_the_entry_is_never_its_fallback_parent()
    {
        // Line 1 is earlier in the file but was written after line 2 (its clock says so): not a candidate.
        var c = Parse(Row("user", 1, null, "03.000"), Row("user", 2, 99, "01.000"), Row("assistant", 3, 2, "01.500"));
        Chain(c).ShouldBe([2, 3]);
    }

    [Fact]
    public void Parallel_results_on_side_branches_are_reattached_to_the_next_user_message()
    {
        // spotter tool_heavy lines 27-33: one response (lines 27-30) with two parallel calls; the result of the
        // call on line 30 (line 32) hangs off line 30, which the leaf's parent chain does not pass through.
        var c = Load("spotter__tool_heavy.jsonl");
        var response = c.MessageOf(c.Entries.Single(e => e.Line.Number == 29)).ShouldNotBeNull();
        response.Role.ShouldBe(MessageRole.Assistant);
        response.Entries.Select(e => e.Line.Number).ShouldBe([27, 28, 29, 30]);
        var results = c.ResumeChain[response.Index + 1];
        results.Role.ShouldBe(MessageRole.User);
        results.Entries.Select(e => e.Line.Number).Order().ShouldBe([32, 33]);
        results.RecoveredEntries.Select(e => e.Line.Number).ShouldBe([32]);
    }

    private const string ThreeCalls = "[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Read\",\"input\":{}},{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"Read\",\"input\":{}},{\"type\":\"tool_use\",\"id\":\"t3\",\"name\":\"Read\",\"input\":{}}]";

    // A row with the given message content (a JSON value), written at second `uuid`.
    private static string BlocksRow(int uuid, int? parent, string type, string content)
    {
        var parentJson = parent is { } p ? $"\"00000000-0000-4000-8000-{p:D12}\"" : "null";
        return "{\"parentUuid\":" + parentJson + ",\"isSidechain\":false,\"type\":\"" + type + $"\",\"uuid\":\"00000000-0000-4000-8000-{uuid:D12}\","
            + $"\"timestamp\":\"2026-01-01T12:00:{uuid:D2}.000Z\",\"sessionId\":\"s\",\"message\":{{\"role\":\"" + type + "\",\"content\":" + content + "}}";
    }

    // Line 1 a prompt, line 2 a response with calls t1, t2 and t3, then the rows given.
    private static Conversation AfterThreeCalls(params string[] rows) =>
        Parse([BlocksRow(1, null, "user", "\"go\""), BlocksRow(2, 1, "assistant", ThreeCalls), .. rows]);

    // One message's blocks as (line, kind, tool id).
    private static (int Line, BlockKind Kind, string? ToolId)[] Shape(Message m) => [.. m.Blocks.Select(b => (b.Entry.Line.Number, b.Block.Kind, b.Block.ToolId))];

    [Fact]
    public void Results_of_user_lines_chained_against_file_order_are_sent_in_file_order()
    {
        // Line 4 answers the first call and line 3 (uuid 9) follows it on the chain, before the answer on line 5: the
        // chain holds 4 then 3, but the results go by line, as the stable sort of the message builder has always sent them.
        var c = AfterThreeCalls(
            BlocksRow(9, 4, "user", "[{\"type\":\"tool_result\",\"tool_use_id\":\"t3\",\"content\":\"c\"},{\"type\":\"tool_result\",\"tool_use_id\":\"t2\",\"content\":\"b\"}]"),
            BlocksRow(4, 2, "user", "[{\"type\":\"text\",\"text\":\"more\"},{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"a\"}]"),
            BlocksRow(10, 9, "assistant", "[{\"type\":\"text\",\"text\":\"done\"}]"));
        Chain(c).ShouldBe([1, 2, 4, 3, 5]);
        var merged = c.ResumeChain[2];
        merged.Entries.Select(e => e.Line.Number).ShouldBe([4, 3]);
        Shape(merged).ShouldBe(
        [
            (3, BlockKind.ToolResult, "t3"),
            (3, BlockKind.ToolResult, "t2"),
            (4, BlockKind.ToolResult, "t1"),
            (4, BlockKind.Text, null),
        ]);
    }

    [Fact]
    public void Merged_user_lines_send_every_result_first_by_line_and_block_then_the_rest_in_chain_order()
    {
        var c = AfterThreeCalls(
            BlocksRow(3, 2, "user", "[{\"type\":\"text\",\"text\":\"note\"},{\"type\":\"tool_result\",\"tool_use_id\":\"t2\",\"content\":\"b\"},{\"type\":\"tool_result\",\"tool_use_id\":\"t3\",\"content\":\"c\"}]"),
            BlocksRow(4, 3, "user", "[{\"type\":\"text\",\"text\":\"more\"},{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"a\"}]"));
        var merged = c.ResumeChain[^1];
        merged.Entries.Select(e => e.Line.Number).ShouldBe([3, 4]);
        Shape(merged).ShouldBe(
        [
            (3, BlockKind.ToolResult, "t2"),
            (3, BlockKind.ToolResult, "t3"),
            (4, BlockKind.ToolResult, "t1"),
            (3, BlockKind.Text, null),
            (4, BlockKind.Text, null),
        ]);
        merged.ToolResults.Select(b => b.Block.ToolId).ShouldBe(["t2", "t3", "t1"]);
        merged.ToolCalls.ShouldBeEmpty();
        c.ResumeChain[1].ToolCalls.Select(b => b.Block.ToolId).ShouldBe(["t1", "t2", "t3"]);
        c.ResumeChain[1].ToolResults.ShouldBeEmpty();
    }

    [Fact]
    public void Lines_of_one_response_separated_by_a_result_are_two_messages()
    {
        // Lines 34 and 37 share message.id but a tool result (36) sits between them on the chain.
        var c = Load("spotter__tool_heavy.jsonl");
        var first = c.MessageOf(c.Entries.Single(e => e.Line.Number == 34))!;
        var second = c.MessageOf(c.Entries.Single(e => e.Line.Number == 37))!;
        second.Index.ShouldBe(first.Index + 2);
    }

    [Fact]
    public void The_chain_alternates_roles_and_starts_with_the_user()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.RealCorpus, "claude-code"), "*.jsonl"))
        {
            var c = Load(Path.GetFileName(file));
            c.ResumeChain.ShouldNotBeEmpty(file);
            for (var i = 1; i < c.ResumeChain.Count; i++)
            {
                c.ResumeChain[i].Role.ShouldNotBe(c.ResumeChain[i - 1].Role, $"{file}: messages {i - 1} and {i}");
            }
        }
    }

    [Fact]
    public void Subagent_file_resumes_from_its_last_sidechain_entry()
    {
        var c = Load("spotter__258c7280__subagents__agent-a881341.jsonl");
        c.ResumeLeaf.ShouldNotBeNull().ClaudeCode.ShouldNotBeNull().IsSidechain.ShouldBeTrue();
        c.ResumeLeaf.Line.Number.ShouldBe(c.Entries.Last(e => e.Kind is EntryKind.User or EntryKind.Assistant).Line.Number);
    }

    [Fact]
    public void Inline_sidechains_do_not_become_the_leaf()
    {
        var c = Load("ccviewer__5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl");
        (c.ResumeLeaf.ShouldNotBeNull().ClaudeCode?.IsSidechain ?? false).ShouldBeFalse();
        c.ChainEntries.ShouldAllBe(e => e.ClaudeCode == null || !e.ClaudeCode.IsSidechain);
    }

    [Fact]
    public void Compact_boundary_is_a_root_of_the_chain()
    {
        var c = Load("spotter__258c7280__compact-window-L1246-1300.trimmed.jsonl");
        c.ChainEntries[0].Subtype.ShouldBe("compact_boundary");
        c.ResumeChain[0].FirstEntry.ClaudeCode.ShouldNotBeNull().IsCompactSummary.ShouldBeTrue();
    }

    [Fact]
    public void Dialect_is_detected_from_the_first_object()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("{\"type\":\"user\",\"uuid\":\"u\",\"message\":{\"role\":\"user\",\"content\":\"hi\"}}");
        DialectRegistry.Detect(doc.RootElement)!.Name.ShouldBe("claude-code");
        using var codex = System.Text.Json.JsonDocument.Parse("{\"timestamp\":\"t\",\"type\":\"session_meta\",\"payload\":{}}");
        DialectRegistry.Detect(codex.RootElement)!.Name.ShouldBe("codex");
        using var other = System.Text.Json.JsonDocument.Parse("{\"event\":\"x\"}");
        DialectRegistry.Detect(other.RootElement).ShouldBeNull(); // no supported format: not a transcript (TL1006), never "jsonl"
        _ = typeof(LintEngine);
    }
}
