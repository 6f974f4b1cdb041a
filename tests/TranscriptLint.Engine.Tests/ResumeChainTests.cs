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
