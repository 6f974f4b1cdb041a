using TranscriptLint.Engine.Explain;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL1007 (CodexRolloutHeader): fixtures in fixtures/codex/TL1007/, doc in docs/rules/TL1007.md.</summary>
public sealed class TL1007CodexRolloutHeaderTests : RuleFixtureTests<TL1007CodexRolloutHeaderRule>
{
    private const string Id = RuleIdentifiers.CodexRolloutHeader;

    private static Diagnostic Single(string caseFile)
    {
        var path = Path.Combine(RuleHarness.RuleDir(Id), caseFile);
        return RuleHarness.Lint(path).Diagnostics.Where(d => d.Id == Id).ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("fires-first-line-not-session-meta.jsonl", "first line is event_msg, not session_meta (found on line 2)")]
    [InlineData("fires-no-session-meta.jsonl", "has no session_meta line")]
    [InlineData("fires-session-meta-without-cwd.jsonl", "has no payload.cwd")]
    [InlineData("rollout-2026-06-05T04-58-20-019e9625-802f-7e91-840a-000000000000.jsonl", "is not the uuid of the file name (019e9625-802f-7e91-840a-000000000000)")]
    public void Finding_says_what_is_wrong_with_the_header(string caseFile, string problem) =>
        Single(caseFile).Message.ShouldContain(problem);

    [Fact]
    public void A_claude_code_session_is_not_a_rollout()
    {
        var path = Path.Combine(RepoPaths.Fixtures, "real", "entire", "entireio__cli__d8__ab7104d00c__0__full.jsonl");
        RuleHarness.Lint(path).Diagnostics.ShouldNotContain(d => d.Id == Id);
    }

    [Theory]
    [InlineData("failed to load rollout /home/u/.codex/sessions/2026/01/23/rollout.jsonl: failed to parse thread ID from rollout file")]
    [InlineData("Error: thread/resume: thread/resume failed: no rollout found for thread id 019e9154-1b2c-7d3e-8f4a-5b6c7d8e9f01 (code -32600)")]
    public void Explain_error_names_the_rule(string pasted)
    {
        var descriptors = RuleHarness.Rules.SelectMany(r => r.Rule.SupportedDescriptors);
        ErrorExplainer.Explain(pasted, descriptors).Matches.Select(m => m.Descriptor.Id).ShouldContain(Id);
    }
}
