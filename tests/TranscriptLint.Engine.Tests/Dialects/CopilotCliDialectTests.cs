using TranscriptLint.Engine.Dialects;
using TranscriptLint.Fixes;
using TranscriptLint.Model;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests.Dialects;

using TranscriptLint.Tests.Fixing;

/// <summary>
/// GitHub Copilot CLI events.jsonl (docs/formats/copilot-cli.md): detected by content, the conversation read from
/// user.message / assistant.message / tool.execution_complete, sub-agent events left out, every fix Unsafe.
/// </summary>
public sealed class CopilotCliDialectTests
{
    private static readonly string Fires = Path.Combine(RepoPaths.Fixtures, "copilot-cli", "TL3001", "fires-interrupted-call-before-next-prompt.jsonl");
    private static readonly string Clean = Path.Combine(RepoPaths.Fixtures, "copilot-cli", "TL3001", "clean-subagent-events-and-running-hook.jsonl");

    private static FileLintResult Lint(string path) => FixerHarness.NewEngine().LintFile(path, Path.GetFileName(path));

    [Fact]
    public void Real_Copilot_CLI_files_are_detected_as_copilot_cli()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.RealCorpus, "entire"), "EntityProcess__agentv__*.jsonl")
                     .Where(f => new[] { "__6a__", "__b4__", "__db__" }.Any(f.Contains)))
        {
            Lint(file).Dialect.ShouldBe(CopilotCliDialect.DialectName, file);
        }
    }

    [Fact]
    public void Requests_and_completions_pair_by_toolCallId_and_sub_agent_events_stay_out_of_the_history()
    {
        var dialect = new CopilotCliDialect();
        var result = Lint(Clean);
        result.Diagnostics.ShouldBeEmpty();
        var lines = File.ReadAllLines(Clean);
        var entries = lines.Select((l, i) =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(l);
            return dialect.ReadEntry(doc.RootElement, new TranscriptLine(i + 1, 0, l.Length, LineTerminator.LineFeed, l.Length));
        }).ToList();
        entries[4].Kind.ShouldBe(EntryKind.Metadata, "the sub-agent's own assistant.message carries parentToolCallId");
        entries[5].Kind.ShouldBe(EntryKind.Metadata);
        var chain = dialect.BuildConversation(entries).ResumeChain;
        chain.Select(m => m.Role).ShouldBe([MessageRole.User, MessageRole.Assistant, MessageRole.Tool, MessageRole.Assistant]);
        chain[1].ToolCalls.Single().Block.ToolId.ShouldBe("toolu_01Task");
        chain[2].ToolResults.Single().Block.ToolId.ShouldBe("toolu_01Task");
        dialect.BuildConversation(entries).SessionId.ShouldBe("c3f091b3-1a1f-435f-8acb-6c7520106212");
    }

    [Fact]
    public void An_assistant_message_that_only_requests_tools_has_no_empty_text_block()
    {
        var result = Lint(Fires);
        result.Diagnostics.ShouldNotContain(d => d.Id == "TL4004");
    }

    [Fact]
    public void Every_fix_on_a_Copilot_file_is_offered_as_Unsafe_because_its_resume_logic_is_closed_source()
    {
        var finding = Lint(Fires).Diagnostics.ShouldHaveSingleItem();
        finding.Id.ShouldBe("TL3001");
        finding.Fixes.ShouldHaveSingleItem().Applicability.ShouldBe(Applicability.Unsafe);
        FixerHarness.Fix(File.ReadAllBytes(Fires)).Changed.ShouldBeFalse("plain fix applies Safe fixes only");
    }

    [Fact]
    public void A_missing_completion_is_written_as_the_failed_completion_the_CLI_writes()
    {
        var fixedText = FixerHarness.Text(FixerHarness.Fix(File.ReadAllBytes(Fires), unsafeFixes: true).Fixed);
        var lines = fixedText.Split('\n');
        lines[4].ShouldContain("\"type\":\"tool.execution_start\""); // the call's start event stays before it
        var inserted = lines[5];
        using var doc = System.Text.Json.JsonDocument.Parse(inserted);
        var root = doc.RootElement;
        root.GetProperty("type").GetString().ShouldBe("tool.execution_complete");
        root.GetProperty("data").GetProperty("toolCallId").GetString().ShouldBe("toolu_017K9FJ1ZL8xKMbLfR7Cqsjx");
        root.GetProperty("data").GetProperty("success").GetBoolean().ShouldBeFalse();
        root.GetProperty("data").GetProperty("error").GetProperty("message").GetString().ShouldBe(SyntheticToolResult.InterruptedText);
        // Chained to the start event it follows, as the CLI chains its own completions.
        using var startEvent = System.Text.Json.JsonDocument.Parse(lines[4]);
        root.GetProperty("parentId").GetString().ShouldBe(startEvent.RootElement.GetProperty("id").GetString());
    }
}
