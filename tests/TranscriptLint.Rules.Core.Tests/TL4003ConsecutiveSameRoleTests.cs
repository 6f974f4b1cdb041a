using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4003 (ConsecutiveSameRole): fixtures in fixtures/claude-code/TL4003/, doc in docs/rules/TL4003.md.</summary>
public sealed class TL4003ConsecutiveSameRoleTests : RuleFixtureTests<TL4003ConsecutiveSameRoleRule>
{
    private const string Id = RuleIdentifiers.ConsecutiveSameRole;

    private const string Case = "fires-two-responses-in-a-row.jsonl";

    [Fact]
    public void Fix_gives_the_second_response_the_first_ones_message_id()
    {
        var fix = FixtureFacts.Single(Id, Case, Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        var edit = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<ReplaceValue>();
        edit.Target.Line.ShouldBe(7);
        edit.JsonPointer.ShouldBe("/message/id");
        var firstId = FixtureFacts.Line(Id, Case, 6).GetProperty("message").GetProperty("id").GetString()!;
        edit.ValueJson.ShouldBe("\"" + firstId + "\"");
    }

    [Fact]
    public void Severity_follows_the_profile()
    {
        FixtureFacts.Single(Id, Case, Id).Severity.ShouldBe(Severity.Note);
        FixtureFacts.Findings(Id, Case, Id, new LintOptions { Profile = ProviderProfile.Bedrock }).ShouldHaveSingleItem().Severity.ShouldBe(Severity.Error);
    }

    // Amplifier's seed (amplifier#217, FM3): a tool result, then the resume prompt, no reply between.
    private static readonly string AmplifierSeed = Path.Combine(RepoPaths.Fixtures, "chat", "TL4003", "fires-amplifier-result-then-resume-prompt.jsonl");

    [Fact]
    public void A_prompt_right_after_a_tool_result_is_closed_with_a_synthetic_reply_as_Amplifier_repairs_it()
    {
        var finding = RuleHarness.Lint(AmplifierSeed).Diagnostics.Where(d => d.Id == Id).ShouldHaveSingleItem();
        finding.Location.StartLine.ShouldBe(4);
        finding.Severity.ShouldBe(Severity.Note, "Anthropic merges the two user messages");
        var fix = finding.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        var insert = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<InsertEntryAfter>();
        insert.Target.Line.ShouldBe(3);
        insert.Entry.ShouldBe(new SyntheticAssistantText(SyntheticAssistantText.InterruptedTurnText));
    }

    [Theory]
    [InlineData("bedrock", Severity.Error)]
    [InlineData("vertex", Severity.Note)]
    public void The_tool_result_counts_as_a_user_message_on_profiles_that_carry_results_in_user_messages(string profile, Severity severity) =>
        RuleHarness.Lint(AmplifierSeed, new LintOptions { Profile = ProviderProfile.Find(profile)! }).Diagnostics.Where(d => d.Id == Id)
            .ShouldHaveSingleItem().Severity.ShouldBe(severity);

    [Theory]
    [InlineData("openai-chat")]
    [InlineData("openai-responses")]
    public void A_prompt_after_a_tool_message_is_fine_where_tool_messages_are_their_own_role(string profile) =>
        RuleHarness.Lint(AmplifierSeed, new LintOptions { Profile = ProviderProfile.Find(profile)! }).Diagnostics.ShouldNotContain(d => d.Id == Id);

    [Fact]
    public void An_orphaned_result_before_the_prompt_is_left_to_TL3002_and_the_prompts_are_reported_once_it_is_gone()
    {
        // The on-disk state after a resume stripped the orphaned call (amplifier#217): TL3002 removes the result first.
        var result = RuleHarness.LintText(
            """
            {"role":"user","content":"refactor the parser"}
            {"role":"tool","tool_call_id":"toolu_01Ab","name":"read_file","content":"def parse(): ..."}
            {"role":"user","content":"continue"}
            """);
        RuleHarness.Findings(result).ShouldBe(["TL3002 2"]);
        var withoutOrphan = RuleHarness.LintText(
            """
            {"role":"user","content":"refactor the parser"}
            {"role":"user","content":"continue"}
            """);
        RuleHarness.Findings(withoutOrphan).ShouldBe(["TL4003 2"]);
    }

    [Fact]
    public void A_Codex_prompt_after_a_function_output_is_not_two_user_messages_on_any_profile()
    {
        // Codex always resumes against the Responses API, where an output is an input item of its own.
        var result = RuleHarness.LintText(
            """
            {"timestamp":"2026-05-01T10:00:00.000Z","type":"session_meta","payload":{"id":"0199a0c1-0000-7000-8000-000000000001","timestamp":"2026-05-01T10:00:00.000Z","cwd":"/w","originator":"codex_cli_rs","cli_version":"0.140.0"}}
            {"timestamp":"2026-05-01T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"run the tests"}]}}
            {"timestamp":"2026-05-01T10:00:02.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"pytest\"]}","call_id":"call_1"}}
            {"timestamp":"2026-05-01T10:00:03.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_1","output":"3 passed"}}
            {"timestamp":"2026-05-01T10:00:04.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"now lint"}]}}
            """,
            new LintOptions { Profile = ProviderProfile.Bedrock });
        result.Dialect.ShouldBe("codex");
        RuleHarness.Findings(result).ShouldNotContain(f => f.StartsWith(Id, StringComparison.Ordinal));
    }
}
