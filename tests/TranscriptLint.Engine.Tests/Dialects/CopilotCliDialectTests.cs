using TranscriptLint.Engine.Dialects;
using TranscriptLint.Fixes;
using TranscriptLint.Model;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests.Dialects;

using TranscriptLint.Tests.Fixing;

/// <summary>
/// GitHub Copilot CLI events.jsonl (docs/formats/copilot-cli.md): detected by content, the conversation read from
/// user.message / assistant.message / tool.execution_complete as the CLI's own resume replays them (what it sends,
/// what it leaves out), and fixes whose result that resume reads as intended.
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

    // What the CLI's resume (processEventForState, app.js 1.0.60-1.0.63) sends and leaves out: a prompt's transformed text
    // and its attachments; not an ephemeral message, a sub-agent's event (agentId on the event), or the output of a
    // shell command the user ran (isUserRequested: a user message, not a result).
    [Fact]
    public void The_conversation_is_what_the_resume_replays()
    {
        string[] events =
        [
            """{"type":"session.start","data":{"sessionId":"s1","version":1,"producer":"copilot-agent","copilotVersion":"1.0.64-3","startTime":"2026-06-23T23:33:07.454Z"},"id":"00000000-0000-4000-8000-000000000001","timestamp":"2026-06-23T23:33:07.454Z","parentId":null}""",
            """{"type":"user.message","data":{"content":"","transformedContent":"Run the tests","attachments":[]},"id":"00000000-0000-4000-8000-000000000002","timestamp":"2026-06-23T23:33:08.000Z","parentId":"00000000-0000-4000-8000-000000000001"}""",
            """{"type":"assistant.message","data":{"messageId":"m1","content":"","toolRequests":[{"toolCallId":"toolu_1","name":"bash","arguments":{"command":"npm test"}}]},"id":"00000000-0000-4000-8000-000000000003","timestamp":"2026-06-23T23:33:09.000Z","parentId":"00000000-0000-4000-8000-000000000002"}""",
            """{"type":"tool.execution_complete","data":{"toolCallId":"toolu_1","success":true,"result":{"content":"ok"}},"id":"00000000-0000-4000-8000-000000000004","timestamp":"2026-06-23T23:33:10.000Z","parentId":"00000000-0000-4000-8000-000000000003"}""",
            """{"type":"assistant.message","data":{"messageId":"m9","content":"","toolRequests":[{"toolCallId":"toolu_9","name":"view","arguments":{}}]},"ephemeral":true,"id":"00000000-0000-4000-8000-000000000005","timestamp":"2026-06-23T23:33:11.000Z","parentId":"00000000-0000-4000-8000-000000000004"}""",
            """{"type":"assistant.message","data":{"messageId":"m8","content":"","toolRequests":[{"toolCallId":"toolu_8","name":"grep","arguments":{}}]},"agentId":"explore-1","id":"00000000-0000-4000-8000-000000000006","timestamp":"2026-06-23T23:33:12.000Z","parentId":"00000000-0000-4000-8000-000000000005"}""",
            """{"type":"assistant.message","data":{"messageId":"m2","content":"All tests pass."},"id":"00000000-0000-4000-8000-000000000007","timestamp":"2026-06-23T23:33:13.000Z","parentId":"00000000-0000-4000-8000-000000000006"}""",
            """{"type":"user.message","data":{"content":"","attachments":[{"type":"file","path":"/home/dev/app/a.ts","displayName":"a.ts"}]},"id":"00000000-0000-4000-8000-000000000008","timestamp":"2026-06-23T23:33:14.000Z","parentId":"00000000-0000-4000-8000-000000000007"}""",
            """{"type":"tool.execution_complete","data":{"toolCallId":"shell-1","isUserRequested":true,"success":true,"result":{"content":"v22.1.0"}},"id":"00000000-0000-4000-8000-000000000009","timestamp":"2026-06-23T23:33:15.000Z","parentId":"00000000-0000-4000-8000-000000000008"}""",
            """{"type":"assistant.message","data":{"messageId":"m3","content":"Looked at a.ts."},"id":"00000000-0000-4000-8000-00000000000a","timestamp":"2026-06-23T23:33:16.000Z","parentId":"00000000-0000-4000-8000-000000000009"}""",
        ];
        var result = FixerHarness.Lint(FixerHarness.Utf8(string.Join('\n', events) + "\n"));

        result.Dialect.ShouldBe(CopilotCliDialect.DialectName);
        result.Diagnostics.ShouldBeEmpty("no empty prompt, no call left unanswered, no result without a call");
        var dialect = new CopilotCliDialect();
        var entries = events.Select((l, i) =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(l);
            return dialect.ReadEntry(doc.RootElement, new TranscriptLine(i + 1, 0, l.Length, LineTerminator.LineFeed, l.Length));
        }).ToList();
        entries[1].Blocks.ShouldHaveSingleItem().JsonPointer.ShouldBe("/data/transformedContent");
        entries[4].Kind.ShouldBe(EntryKind.Metadata, "ephemeral");
        entries[5].Kind.ShouldBe(EntryKind.Metadata, "a sub-agent's (agentId)");
        entries[7].Blocks.ShouldHaveSingleItem().JsonPointer.ShouldBe("/data/attachments/0");
        entries[8].Kind.ShouldBe(EntryKind.Metadata, "the user's own shell command");
    }

    [Fact]
    public void An_assistant_message_that_only_requests_tools_has_no_empty_text_block()
    {
        var result = Lint(Fires);
        result.Diagnostics.ShouldNotContain(d => d.Id == "TL4004");
    }

    // The CLI's resume answers a call without a result only in memory, and a resume through its SDK with
    // continuePendingWork not at all unless it is in the last turn: the completion the CLI itself writes for an
    // interrupted call, right after the call's start, is what every reader then sees (docs/formats/copilot-cli.md).
    [Fact]
    public void A_missing_completion_is_a_safe_fix_applied_by_plain_fix()
    {
        var finding = Lint(Fires).Diagnostics.ShouldHaveSingleItem();
        finding.Id.ShouldBe("TL3001");
        finding.Message.ShouldContain("the harness papers over it on resume");
        finding.Fixes.ShouldHaveSingleItem().Applicability.ShouldBe(Applicability.Safe);
        FixerHarness.Fix(File.ReadAllBytes(Fires)).Fixed.ShouldBe(File.ReadAllBytes(Path.ChangeExtension(Fires, ".fixed.jsonl")));
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
    public void A_torn_last_line_and_a_missing_completion_are_both_repaired()
    {
        var whole = File.ReadAllBytes(Fires);
        var torn = whole.Concat("{\"type\":\"assistant.turn_end\",\"data\":{\"turnId\":\"1\"},\"id\":\"5b1f"u8.ToArray()).ToArray();

        var findings = FixerHarness.Lint(torn).Diagnostics;
        findings.Select(d => (d.Id, d.Fixes.Single().Applicability)).ShouldBe([("TL3001", Applicability.Safe), ("TL1001", Applicability.Safe)]);

        var outcome = FixerHarness.Fix(torn);
        outcome.Fixed.ShouldBe(File.ReadAllBytes(Path.ChangeExtension(Fires, ".fixed.jsonl")));
        outcome.FinalLint.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void A_last_line_too_long_to_read_is_deleted_only_when_it_is_torn()
    {
        // Beyond the reader's line limit the line is not parsed; the fixer reads it whole before deleting it as torn.
        var whole = File.ReadAllBytes(Clean);
        var engine = new TranscriptLint.Engine.Hosting.LintEngine(FixerHarness.Rules, new TranscriptLint.Engine.Hosting.LintOptions { MaxLineBytes = 2048 });
        var fixer = new TranscriptLint.Engine.Fixing.TranscriptFixer(engine, new TranscriptLint.Engine.Fixing.FixOptions());
        var head = "{\"type\":\"assistant.message\",\"data\":{\"content\":\""u8.ToArray().Concat(Enumerable.Repeat((byte)'x', 4096)).ToArray();

        fixer.Fix([.. whole, .. head], "events.jsonl").Fixed.ShouldBe(whole, "a torn event goes");

        byte[] complete = [.. whole, .. head, .. "\"},\"id\":\"0b7a3f52-5c1e-4f0e-9a63-2f1d3c4b5a69\",\"timestamp\":\"2026-06-23T23:34:05.000Z\",\"parentId\":null}\n"u8.ToArray()];
        fixer.Fix(complete, "events.jsonl").Fixed.ShouldBe(complete, "a complete event is never deleted as torn, however long");
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
