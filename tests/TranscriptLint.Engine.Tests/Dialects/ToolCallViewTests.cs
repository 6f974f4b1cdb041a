using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// The format-neutral tool-call view: on every dialect the engine reads, a call's name, its input as parsed JSON (or
/// free-form text), the text of its result, whether it failed, and locations that point at the input.
/// </summary>
public sealed class ToolCallViewTests
{
    private static readonly RuleDescriptor Seen = new("TT0101", "tool-call-seen", "Tool call seen", "{0}", "Test", Severity.Warning);

    /// <summary>Records every call the view gives and reports its location, so the test can check both.</summary>
    private sealed class RecordingRule(List<ToolCall> calls) : TranscriptRule
    {
        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Seen];

        public override void Initialize(RuleInitializationContext context) => context.RegisterToolCallAction(ctx =>
        {
            calls.Add(ctx.ToolCall);
            ctx.Report(Diagnostic.Create(Seen, ctx.CallLocation, fix: null, ctx.ToolCall.Name));
        });
    }

    private static (List<ToolCall> Calls, Reporting.FileLintResult Result) Lint(string text, string fileName)
    {
        var calls = new List<ToolCall>();
        var engine = new LintEngine([new LoadedRule(new RecordingRule(calls), "tests")], new LintOptions());
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var result = engine.LintStream(stream, fileName);
        result.Notifications.ShouldBeEmpty();
        return (calls, result);
    }

    private static (List<ToolCall> Calls, Reporting.FileLintResult Result) Fixture(string relative) =>
        Lint(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, relative)), Path.GetFileName(relative));

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Compact(JsonElement e) => e.ValueKind == JsonValueKind.Undefined ? "" : JsonSerializer.Serialize(e, Unescaped);

    [Theory]
    [InlineData("claude-code/TL3001/clean-rejected-tool-call.jsonl", 0, "Bash", """{"command":"uv run ledgerline serve 2>&1 | head -40","timeout":30000}""", "The user doesn't want to proceed with this tool use.", true, 8)]
    [InlineData("claude-code/TL3001/clean-rejected-tool-call.jsonl", 2, "Read", """{"file_path":"/home/dana/src/ledgerline/log/dev.log"}""", "     1→09:12:44 ERROR  uvicorn.error", false, 16)]
    [InlineData("codex/TL3001/clean-parallel-outputs-after-calls.jsonl", 1, "shell", """{"command":["bash","-lc","cat Makefile"],"workdir":"/home/dev/app"}""", """{"output": "all:\n\tgo build", """, false, 7)]
    [InlineData("chat/TL3001/clean-tool-messages-follow.jsonl", 1, "get_weather", """{"city":"Rome"}""", "22C, sunny", false, 2)]
    [InlineData("chat/TL3001/fires-amplifier-user-between-call-and-result.jsonl", 0, "bash", """{"command":"pytest"}""", null, false, 2)]
    [InlineData("anthropic-messages/clean-tool-round-trip.json", 0, "Bash", """{"command":"npm test 2>&1 | tail -20"}""", "FAIL src/date.test.ts\n", false, 52)]
    [InlineData("openai-chat/clean-parallel-tool-messages.json", 1, "read_file", """{"path":".env"}""", "PORT=9090", false, 29)]
    [InlineData("gemini-cli/clean-tool-calls-with-results.json", 1, "write_file", """{"file_path":"/home/dev/proj/README.md","content":"# Project\n\nA small tool.\n"}""", "Successfully overwrote file: /home/dev/proj/README.md.", false, 69)]
    [InlineData("copilot-cli/TL3001/clean-subagent-events-and-running-hook.jsonl", 0, "task", """{"prompt":"find flaky tests"}""", "tests/net.test.ts retries a network call three times.", false, 3)]
    public void Every_dialect_gives_the_name_the_parsed_input_and_the_result_text(string fixture, int index, string name, string input, string? resultPrefix, bool isError, int line)
    {
        var (calls, result) = Fixture(fixture);

        var call = calls[index];
        call.Name.ShouldBe(name);
        Compact(call.Input).ShouldBe(input);
        call.InputText.ShouldBeNull();
        if (resultPrefix is null)
        {
            call.HasResult.ShouldBeFalse();
            call.ResultText.ShouldBeNull();
        }
        else
        {
            call.HasResult.ShouldBeTrue();
            call.ResultText.ShouldStartWith(resultPrefix);
        }

        call.IsError.ShouldBe(isError);
        // CallLocation points at the input: the line (of a document, the physical line) where the input starts.
        result.Diagnostics.Where(d => d.Message == name).Select(d => d.Location.StartLine).ShouldContain(line);
    }

    [Fact]
    public void A_codex_custom_tool_gives_its_free_form_input_as_text_and_a_failed_output_as_an_error()
    {
        var (calls, _) = Lint(string.Join('\n',
            """{"timestamp":"2026-06-05T04:58:00.000Z","type":"session_meta","payload":{"id":"019e9625-802f-7e91-840a-cfe88d14117a","timestamp":"2026-06-05T04:58:00.000Z","cwd":"/home/dev/app","originator":"codex_cli_rs","cli_version":"0.135.0","source":"cli","model_provider":"openai"}}""",
            """{"timestamp":"2026-06-05T04:58:02.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"fix it"}]}}""",
            """{"timestamp":"2026-06-05T04:58:03.000Z","type":"response_item","payload":{"type":"custom_tool_call","status":"completed","call_id":"call_P1","name":"apply_patch","input":"*** Begin Patch\n*** Update File: a.txt\n@@\n-a\n+b\n*** End Patch"}}""",
            """{"timestamp":"2026-06-05T04:58:04.000Z","type":"response_item","payload":{"type":"custom_tool_call_output","call_id":"call_P1","output":{"content":"patch did not apply","success":false}}}""",
            """{"timestamp":"2026-06-05T04:58:05.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"not json","call_id":"call_P2"}}"""), "rollout.jsonl");

        calls.Count.ShouldBe(2);
        calls[0].Name.ShouldBe("apply_patch");
        calls[0].Input.ValueKind.ShouldBe(JsonValueKind.Undefined);
        calls[0].InputText.ShouldBe("*** Begin Patch\n*** Update File: a.txt\n@@\n-a\n+b\n*** End Patch");
        calls[0].InputPointer.ShouldBe("/payload/input");
        calls[0].ResultText.ShouldBe("patch did not apply");
        calls[0].IsError.ShouldBeTrue();
        calls[1].InputText.ShouldBe("not json"); // an arguments string that is not JSON is kept as written
        calls[1].HasResult.ShouldBeFalse();
    }

    [Fact]
    public void Claude_code_result_blocks_are_joined_and_a_duplicated_line_gives_one_call()
    {
        const string Call = """{"parentUuid":"u1","sessionId":"s","type":"assistant","message":{"id":"msg_1","role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Grep","input":{"pattern":"TODO"}}]},"uuid":"a1","timestamp":"2026-02-12T09:14:12.000Z"}""";
        var (calls, _) = Lint(string.Join('\n',
            """{"parentUuid":null,"sessionId":"s","type":"user","message":{"role":"user","content":"find todos"},"uuid":"u1","timestamp":"2026-02-12T09:14:08.110Z"}""",
            Call,
            Call,
            """{"parentUuid":"a1","sessionId":"s","type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"a.cs:1"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0"}},{"type":"text","text":"b.cs:2"}]}]},"uuid":"u2","timestamp":"2026-02-12T09:14:13.000Z"}"""), "session.jsonl");

        var call = calls.ShouldHaveSingleItem();
        call.GetInputString("pattern").ShouldBe("TODO");
        call.GetInputString("missing").ShouldBeNull();
        call.ResultText.ShouldBe("a.cs:1\nb.cs:2");
        call.ResultEntry!.Uuid.ShouldBe("u2");
        call.IsError.ShouldBeFalse();
    }

    [Fact]
    public void Gemini_string_results_and_error_responses_and_copilot_failures_are_read()
    {
        var (gemini, _) = Lint("""
            {"sessionId":"3c9e41d2","projectHash":"a4f1","startTime":"2026-02-11T09:13:58.512Z","lastUpdated":"2026-02-11T09:16:40.007Z","messages":[
            {"id":"m1","timestamp":"2026-02-11T09:14:01.004Z","type":"user","content":"go"},
            {"id":"m2","timestamp":"2026-02-11T09:14:05.120Z","type":"gemini","content":"","toolCalls":[
              {"id":"c1","name":"ls","args":{"path":"."},"result":"a\nb","status":"success"},
              {"id":"c2","name":"rm","args":{"path":"/"},"result":[{"functionResponse":{"id":"c2","name":"rm","response":{"error":"refused"}}}],"status":"error"}],"model":"gemini-2.5-pro"},
            {"id":"m3","timestamp":"2026-02-11T09:14:06.120Z","type":"gemini","content":"Done.","model":"gemini-2.5-pro"}
            ]}
            """, "session.json");
        gemini.Select(c => (c.Name, c.ResultText, c.IsError)).ShouldBe([("ls", "a\nb", false), ("rm", "refused", true)]);

        var (copilot, _) = Lint(string.Join('\n',
            """{"type":"session.start","data":{"sessionId":"c3f0","version":1,"producer":"copilot-agent","copilotVersion":"1.0.64-3","startTime":"2026-06-23T23:33:07.454Z","context":{"cwd":"/home/dev/app"}},"id":"e1","timestamp":"2026-06-23T23:33:07.460Z","parentId":null}""",
            """{"type":"user.message","data":{"content":"go","transformedContent":"go","attachments":[]},"id":"e2","timestamp":"2026-06-23T23:33:53.900Z","parentId":"e1"}""",
            """{"type":"assistant.message","data":{"messageId":"m1","content":"","toolRequests":[{"toolCallId":"t1","name":"bash","arguments":{"command":"make"},"type":"function"}]},"id":"e3","timestamp":"2026-06-23T23:34:00.080Z","parentId":"e2"}""",
            """{"type":"tool.execution_complete","data":{"toolCallId":"t1","success":false,"error":{"message":"make: *** No targets."}},"id":"e4","timestamp":"2026-06-23T23:34:02.600Z","parentId":"e3"}"""), "events.jsonl");
        var failed = copilot.ShouldHaveSingleItem();
        failed.GetInputString("command").ShouldBe("make");
        failed.ResultText.ShouldBe("make: *** No targets.");
        failed.IsError.ShouldBeTrue();
    }

    [Fact]
    public void A_host_without_the_view_refuses_the_registration_in_one_line()
    {
        // A host that predates the view (contract 1.0) never calls it; the default says so instead of doing nothing.
        Should.Throw<NotSupportedException>(() => new BareStartContext().RegisterToolCallAction(_ => { }));
    }
}
