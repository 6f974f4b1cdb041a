using TranscriptLint.Engine.Dialects;
using TranscriptLint.Fixes;
using TranscriptLint.Model;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests.Dialects;

using TranscriptLint.Tests.Fixing;

/// <summary>
/// GitHub Copilot CLI events.jsonl (docs/formats/copilot-cli.md): detected by content, the conversation read from
/// user.message / assistant.message / tool.execution_complete, sub-agent events left out, every fix Unsafe except a Safe
/// repair of lines that do not parse.
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
    public void A_fix_that_changes_a_record_on_a_Copilot_file_is_offered_as_Unsafe_because_its_resume_logic_is_closed_source()
    {
        var finding = Lint(Fires).Diagnostics.ShouldHaveSingleItem();
        finding.Id.ShouldBe("TL3001");
        finding.Fixes.ShouldHaveSingleItem().Applicability.ShouldBe(Applicability.Unsafe);
        FixerHarness.Fix(File.ReadAllBytes(Fires)).Changed.ShouldBeFalse("plain fix applies Safe fixes only");
    }

    // The CLI refuses a file with a line that does not parse (github/copilot-cli#1864, #2217): repairing only such lines
    // changes no record it reads, so those fixes stay Safe.
    [Fact]
    public void A_torn_last_line_is_deleted_by_plain_fix_and_every_other_byte_is_kept()
    {
        var whole = File.ReadAllBytes(Clean);
        var lastLine = LastLineStart(whole);
        var torn = whole[..(lastLine + 150)]; // the hook.start event cut off mid-object, no newline

        var finding = FixerHarness.Lint(torn).Diagnostics.ShouldHaveSingleItem();
        finding.Id.ShouldBe("TL1001");
        finding.Fixes.ShouldHaveSingleItem().Applicability.ShouldBe(Applicability.Safe);

        var outcome = FixerHarness.Fix(torn);
        outcome.Applied.ShouldHaveSingleItem().RuleId.ShouldBe("TL1001");
        outcome.Fixed.ShouldBe(whole[..lastLine], "only the torn line goes; the file is what it was before that append");
        FixerHarness.Lint(outcome.Fixed).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void A_complete_event_before_a_torn_one_on_the_last_line_is_kept_by_plain_fix()
    {
        var whole = File.ReadAllBytes(Clean);
        var lastLine = LastLineStart(whole);
        var glued = whole[..(lastLine - 1)].Concat(whole[lastLine..(lastLine + 150)]).ToArray(); // turn_end + torn hook.start

        FixerHarness.Lint(glued).Diagnostics.ShouldHaveSingleItem().Fixes.ShouldHaveSingleItem().Applicability.ShouldBe(Applicability.Safe);
        FixerHarness.Fix(glued).Fixed.ShouldBe(whole[..(lastLine - 1)], "the assistant.turn_end event is kept, the torn hook.start dropped");
    }

    [Fact]
    public void Two_complete_events_written_back_to_back_are_split_by_plain_fix()
    {
        var whole = File.ReadAllBytes(Clean);
        var lines = LineStarts(whole);
        var glued = whole.Where((_, i) => i != lines[4] - 1).ToArray(); // lines 4 and 5 glued: the newline between them lost

        var finding = FixerHarness.Lint(glued).Diagnostics.ShouldHaveSingleItem();
        finding.Id.ShouldBe("TL1001");
        finding.Fixes.ShouldHaveSingleItem().Applicability.ShouldBe(Applicability.Safe);
        FixerHarness.Fix(glued).Fixed.ShouldBe(whole);
    }

    [Fact]
    public void A_torn_last_line_is_repaired_while_a_missing_completion_still_needs_review()
    {
        var whole = File.ReadAllBytes(Fires);
        var torn = whole.Concat("{\"type\":\"assistant.turn_end\",\"data\":{\"turnId\":\"1\"},\"id\":\"5b1f"u8.ToArray()).ToArray();

        var findings = FixerHarness.Lint(torn).Diagnostics;
        findings.Select(d => (d.Id, d.Fixes.Single().Applicability)).ShouldBe([("TL3001", Applicability.Unsafe), ("TL1001", Applicability.Safe)]);

        var outcome = FixerHarness.Fix(torn);
        outcome.Fixed.ShouldBe(whole);
        outcome.FinalLint.Diagnostics.ShouldHaveSingleItem().Id.ShouldBe("TL3001");
    }

    [Fact]
    public void A_torn_last_line_too_long_to_read_is_not_known_to_be_unreadable_and_needs_review()
    {
        var whole = File.ReadAllBytes(Clean);
        var tail = "{\"type\":\"assistant.message\",\"data\":{\"content\":\""u8.ToArray().Concat(Enumerable.Repeat((byte)'x', 4096)).ToArray();
        using var stream = new MemoryStream([.. whole, .. tail]);
        var result = new TranscriptLint.Engine.Hosting.LintEngine(FixerHarness.Rules, new TranscriptLint.Engine.Hosting.LintOptions { MaxLineBytes = 2048 }).LintStream(stream, "events.jsonl");

        result.Dialect.ShouldBe(CopilotCliDialect.DialectName);
        var finding = result.Diagnostics.ShouldHaveSingleItem();
        finding.Id.ShouldBe("TL1001");
        finding.Fixes.ShouldHaveSingleItem().Applicability.ShouldBe(Applicability.Unsafe);
    }

    private static int LastLineStart(byte[] bytes) => Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;

    private static List<int> LineStarts(byte[] bytes) =>
        [0, .. bytes.Select((b, i) => (b, i)).Where(x => x.b == (byte)'\n' && x.i + 1 < bytes.Length).Select(x => x.i + 1)];

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
