using TranscriptLint.Fixes;

namespace TranscriptLint.Tests;

public sealed partial class TL3001ToolCallWithoutResultTests
{
    [Fact]
    public void A_call_that_ends_the_session_gets_a_result_that_becomes_the_new_leaf()
    {
        var path = Path.Combine(RuleHarness.FixtureDir(RuleIdentifiersId), "fires-killed-during-tool-last-line.jsonl");
        var d = RuleHarness.Lint(path).Diagnostics.Single(x => x.Id == RuleIdentifiersId);
        var insert = d.Fixes.Single().Edits.Single().ShouldBeOfType<InsertEntryAfter>();
        insert.Target.ShouldBe(FixtureLines.Ref(path, 7));
        insert.Entry.ShouldBeOfType<SyntheticToolResult>().EndsChain.ShouldBeTrue("nothing follows the call, so the result ends the chain");

        // The golden fix gives it the call's timestamp plus 1 ms: a newest-timestamp leaf picker picks the result.
        var fixedLines = File.ReadAllLines(Path.ChangeExtension(path, ".fixed.jsonl"));
        var call = FixtureLines.Field(path, 7, "timestamp");
        using var inserted = System.Text.Json.JsonDocument.Parse(fixedLines[7]);
        DateTimeOffset.Parse(inserted.RootElement.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(DateTimeOffset.Parse(call, System.Globalization.CultureInfo.InvariantCulture).AddMilliseconds(1));
    }

    [Fact]
    public void A_call_mid_chain_keeps_the_calls_timestamp()
    {
        var path = Path.Combine(RuleHarness.FixtureDir("common"), "b-crash-mid-tool.jsonl");
        var d = RuleHarness.Lint(path).Diagnostics.Single(x => x.Id == RuleIdentifiersId);
        d.Fixes.Single().Edits.OfType<InsertEntryAfter>().Single().Entry.ShouldBeOfType<SyntheticToolResult>().EndsChain.ShouldBeFalse();
    }

    private const string RuleIdentifiersId = TranscriptLint.Rules.Core.RuleIdentifiers.ToolCallWithoutResult;

    // Codex (a non-Claude dialect): a call the process was killed during gets Codex's own "aborted" output, Safe.
    private const string CodexMeta = """{"timestamp":"2026-06-05T04:58:00.000Z","type":"session_meta","payload":{"id":"019e9625-802f-7e91-840a-cfe88d14117a","timestamp":"2026-06-05T04:58:00.000Z","cwd":"/home/dev/app","originator":"codex_cli_rs","cli_version":"0.135.0","source":"cli","model_provider":"openai"}}""";
    private const string CodexPrompt = """{"timestamp":"2026-06-05T04:58:02.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"why does the build fail?"}]}}""";
    private const string CodexCall = """{"timestamp":"2026-06-05T04:58:04.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\": [\"bash\", \"-lc\", \"ls\"]}","call_id":"call_q8DAs1kR0cX2yV3bN4mZ5pLt"}}""";
    private const string CodexOutput = """{"timestamp":"2026-06-05T04:58:05.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_q8DAs1kR0cX2yV3bN4mZ5pLt","output":"src"}}""";
    private const string CodexNextPrompt = """{"timestamp":"2026-06-05T04:58:08.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"fix it"}]}}""";

    [Fact]
    public void RuleTester_codex_call_without_output_gets_an_aborted_output() => RuleTester.For<TL3001ToolCallWithoutResultRule>().Run(
        valid: [new ValidCase(string.Join('\n', CodexMeta, CodexPrompt, CodexCall, CodexOutput, CodexNextPrompt))],
        invalid:
        [
            new InvalidCase(string.Join('\n', CodexMeta, CodexPrompt, CodexCall, CodexNextPrompt))
            {
                Findings = ["TL3001 3"],
                Output = string.Join('\n', CodexMeta, CodexPrompt, CodexCall,
                    """{"timestamp":"2026-06-05T04:58:04.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_q8DAs1kR0cX2yV3bN4mZ5pLt","output":"aborted"}}""",
                    CodexNextPrompt),
            },
        ]);
}
