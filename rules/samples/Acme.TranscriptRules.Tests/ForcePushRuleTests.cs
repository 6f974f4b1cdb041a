namespace Acme.TranscriptRules.Tests;

/// <summary>
/// ACME1002 is written once against the tool-call view; this table runs the same rule on a Claude Code session, a
/// Codex rollout, a chat log, a Gemini CLI session and a Copilot CLI session, and it fires on each.
/// </summary>
public class ForcePushRuleTests
{
    private static readonly RuleTester Tester = RuleTester.For<ForcePushRule>();

    // Claude Code: the input is an object on a tool_use block; the result a tool_result block in the next user line.
    private static string ClaudeCode(string command, string result, bool isError = false) => string.Join('\n',
        """{"parentUuid":null,"sessionId":"7c1e2a40-5b7d-4f8e-9a51-0d3c6e2b9f10","type":"user","message":{"role":"user","content":"ship it"},"uuid":"11111111-1111-4111-8111-111111111111","timestamp":"2026-02-12T09:14:08.110Z"}""",
        $$$"""{"parentUuid":"11111111-1111-4111-8111-111111111111","sessionId":"7c1e2a40-5b7d-4f8e-9a51-0d3c6e2b9f10","type":"assistant","message":{"id":"msg_01ABC","type":"message","role":"assistant","model":"claude-opus-4-5","content":[{"type":"tool_use","id":"toolu_01Push","name":"Bash","input":{"command":"{{{command}}}"}}],"stop_reason":"tool_use"},"uuid":"22222222-2222-4222-8222-222222222222","timestamp":"2026-02-12T09:14:12.000Z"}""",
        $$$"""{"parentUuid":"22222222-2222-4222-8222-222222222222","sessionId":"7c1e2a40-5b7d-4f8e-9a51-0d3c6e2b9f10","type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01Push","content":"{{{result}}}","is_error":{{{(isError ? "true" : "false")}}}}]},"uuid":"33333333-3333-4333-8333-333333333333","timestamp":"2026-02-12T09:14:13.000Z"}""");

    // Codex: the arguments are a JSON string holding an argument list; the output is its own item.
    private static string Codex(string command) => string.Join('\n',
        """{"timestamp":"2026-06-05T04:58:00.000Z","type":"session_meta","payload":{"id":"019e9625-802f-7e91-840a-cfe88d14117a","timestamp":"2026-06-05T04:58:00.000Z","cwd":"/home/dev/app","originator":"codex_cli_rs","cli_version":"0.135.0","source":"cli","model_provider":"openai"}}""",
        """{"timestamp":"2026-06-05T04:58:02.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"ship it"}]}}""",
        $$$"""{"timestamp":"2026-06-05T04:58:04.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\": [\"bash\", \"-lc\", \"{{{command}}}\"]}","call_id":"call_q8DAs1kR0cX2yV3bN4mZ5pLt"}}""",
        """{"timestamp":"2026-06-05T04:58:05.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_q8DAs1kR0cX2yV3bN4mZ5pLt","output":"Everything up-to-date"}}""");

    // A chat log (OpenAI messages, one per line): function.arguments is a JSON string.
    private static string Chat(string command) => string.Join('\n',
        """{"role":"user","content":"ship it"}""",
        $$$"""{"role":"assistant","tool_calls":[{"id":"call_8xPq2","type":"function","function":{"name":"run","arguments":"{\"command\": \"{{{command}}}\"}"}}]}""",
        """{"role":"tool","content":"Everything up-to-date","tool_call_id":"call_8xPq2"}""");

    // A Gemini CLI session: one JSON document; the call's args and its result sit on the model record.
    private static string Gemini(string command) => $$$$"""
        {"sessionId":"3c9e41d2-58a7-4f1b-b0d6-7e2a9c14f803","projectHash":"a4f1c0e9","startTime":"2026-02-11T09:13:58.512Z","lastUpdated":"2026-02-11T09:16:40.007Z","messages":[
        {"id":"8d4e6f10-2a3b-4c5d-8e9f-1a2b3c4d5e01","timestamp":"2026-02-11T09:14:01.004Z","type":"user","content":"ship it"},
        {"id":"5f0c2a1e-7b3d-4c8e-9f21-0a6b4d3c2e02","timestamp":"2026-02-11T09:14:05.120Z","type":"gemini","content":"","toolCalls":[{"id":"run_shell_command-1","name":"run_shell_command","args":{"command":"{{{{command}}}}"},"result":[{"functionResponse":{"id":"run_shell_command-1","name":"run_shell_command","response":{"error":"rejected: non-fast-forward"}}}],"status":"error"}],"model":"gemini-2.5-pro"},
        {"id":"5f0c2a1e-7b3d-4c8e-9f21-0a6b4d3c2e03","timestamp":"2026-02-11T09:14:06.120Z","type":"gemini","content":"The push was rejected.","model":"gemini-2.5-pro"}
        ]}
        """;

    // A Copilot CLI session: the call is a toolRequests entry of an assistant message; its result an execution event.
    private static string Copilot(string command) => string.Join('\n',
        """{"type":"session.start","data":{"sessionId":"c3f091b3-1a1f-435f-8acb-6c7520106212","version":1,"producer":"copilot-agent","copilotVersion":"1.0.64-3","startTime":"2026-06-23T23:33:07.454Z","context":{"cwd":"/home/dev/app"}},"id":"bdaa741c-ed6f-4d5a-b21a-c28ac4009cb3","timestamp":"2026-06-23T23:33:07.460Z","parentId":null}""",
        """{"type":"user.message","data":{"content":"ship it","transformedContent":"ship it","attachments":[],"interactionId":"fa018f88-df9c-4bf2-a72a-8e80618f8d05"},"id":"180dfc3b-4232-4d5e-9ee2-82d919d8dac5","timestamp":"2026-06-23T23:33:53.900Z","parentId":"bdaa741c-ed6f-4d5a-b21a-c28ac4009cb3"}""",
        $$$"""{"type":"assistant.message","data":{"messageId":"b7c5364c-625b-46e1-9526-981b2368c0ec","model":"claude-opus-4.8","content":"Pushing.","toolRequests":[{"toolCallId":"toolu_01Bash","name":"bash","arguments":{"command":"{{{command}}}"},"type":"function"}],"turnId":"0"},"id":"a0268740-0019-43ca-966a-43d4309941ed","timestamp":"2026-06-23T23:34:00.080Z","parentId":"180dfc3b-4232-4d5e-9ee2-82d919d8dac5"}""",
        """{"type":"tool.execution_complete","data":{"toolCallId":"toolu_01Bash","success":true,"result":{"content":"Everything up-to-date"},"turnId":"0"},"id":"79841973-fc88-4a85-a779-822c78246298","timestamp":"2026-06-23T23:34:02.600Z","parentId":"a0268740-0019-43ca-966a-43d4309941ed"}""");

    private const string Push = "git push --force origin main";
    private const string Lease = "git push --force-with-lease origin main";

    [Fact]
    public void The_same_rule_fires_on_every_format() => Tester.Run(
        valid:
        [
            new ValidCase(ClaudeCode(Lease, "ok")) { Name = "claude-code: --force-with-lease" },
            new ValidCase(Codex("git push origin main")) { Name = "codex: a plain push" },
            new ValidCase(Chat(Lease)) { Name = "chat: --force-with-lease" },
            new ValidCase(Gemini("git status")) { Name = "gemini-cli: no push", FileName = "session.json" },
            new ValidCase(Copilot("git push")) { Name = "copilot-cli: a plain push" },
        ],
        invalid:
        [
            new InvalidCase(ClaudeCode(Push, "+ 1a2b3c...4d5e6f main -> main (forced update)"))
            {
                Name = "claude-code",
                Findings = ["ACME1002 2 Tool call Bash force-pushes (it ran): git push --force origin main"],
            },
            new InvalidCase(ClaudeCode(Push, "remote: permission denied", isError: true))
            {
                Name = "claude-code, the push failed",
                Findings = ["ACME1002 2 Tool call Bash force-pushes (it failed): git push --force origin main"],
            },
            new InvalidCase(Codex(Push))
            {
                Name = "codex",
                Findings = ["ACME1002 3 Tool call shell force-pushes (it ran): bash -lc git push --force origin main"],
            },
            new InvalidCase(Chat("git push -f"))
            {
                Name = "chat",
                Findings = ["ACME1002 2 Tool call run force-pushes (it ran): git push -f"],
            },
            new InvalidCase(Gemini(Push))
            {
                Name = "gemini-cli",
                FileName = "session.json",
                Findings = ["ACME1002 3 Tool call run_shell_command force-pushes (it failed): git push --force origin main"],
            },
            new InvalidCase(Copilot(Push))
            {
                Name = "copilot-cli",
                Findings = ["ACME1002 3 Tool call bash force-pushes (it ran): git push --force origin main"],
            },
        ]);
}
