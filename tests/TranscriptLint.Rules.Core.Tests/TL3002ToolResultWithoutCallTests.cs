namespace TranscriptLint.Tests;

/// <summary>TL3002 (ToolResultWithoutCall): fixtures in fixtures/claude-code/TL3002/, doc in docs/rules/TL3002.md.</summary>
public sealed partial class TL3002ToolResultWithoutCallTests : RuleFixtureTests<TL3002ToolResultWithoutCallRule>
{

    // Codex rollout lines (a non-Claude dialect): an output whose call was lost is removed only with --unsafe-fixes.
    private const string Meta = """{"timestamp":"2026-06-05T04:58:00.000Z","type":"session_meta","payload":{"id":"019e9625-802f-7e91-840a-cfe88d14117a","timestamp":"2026-06-05T04:58:00.000Z","cwd":"/home/dev/app","originator":"codex_cli_rs","cli_version":"0.135.0","source":"cli","model_provider":"openai"}}""";
    private const string Prompt = """{"timestamp":"2026-06-05T04:58:02.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"why does the build fail?"}]}}""";
    private const string Call = """{"timestamp":"2026-06-05T04:58:04.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\": [\"bash\", \"-lc\", \"ls\"]}","call_id":"call_q8DAs1kR0cX2yV3bN4mZ5pLt"}}""";
    private const string Output = """{"timestamp":"2026-06-05T04:58:05.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_q8DAs1kR0cX2yV3bN4mZ5pLt","output":"src"}}""";
    private const string Orphan = """{"timestamp":"2026-06-05T04:58:06.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_Zx9Cv8Bn7Mm6Ll5Kk4Jj3Hh2","output":"stale output"}}""";
    private const string Reply = """{"timestamp":"2026-06-05T04:58:07.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Listed."}]}}""";

    [Fact]
    public void RuleTester_codex_output_without_call_is_removed_only_by_unsafe_fixes() => RuleTester.For<TL3002ToolResultWithoutCallRule>().Run(
        valid: [new ValidCase(string.Join('\n', Meta, Prompt, Call, Output, Reply))],
        invalid:
        [
            new InvalidCase(string.Join('\n', Meta, Prompt, Call, Output, Orphan, Reply))
            {
                Findings = ["TL3002 5"],
                Output = null, // no Safe fix: the text is unchanged by `transcriptlint fix`
                UnsafeOutput = string.Join('\n', Meta, Prompt, Call, Output, Reply),
            },
        ]);
}
