using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL1005 (MixedSessionId): fixtures in fixtures/claude-code/TL1005/, doc in docs/rules/TL1005.md.</summary>
public sealed class TL1005MixedSessionIdTests : RuleFixtureTests<TL1005MixedSessionIdRule>
{
    private const string Id = RuleIdentifiers.MixedSessionId;

    [Fact]
    public void Reports_the_foreign_session_once_at_its_first_line()
    {
        const string Case = "fires-line-from-another-session.jsonl";
        var text = File.ReadAllText(FixtureFacts.PathOf(Id, Case));
        var foreign = FixtureFacts.Line(Id, Case, 8).GetProperty("sessionId").GetString()!;
        var d = FixtureFacts.Single(Id, Case, Id);
        d.Message.ShouldContain(foreign);
        d.Location.JsonPointer.ShouldBe("/sessionId");

        // A second line of the same foreign session adds to the count, not a second finding.
        var own = FixtureFacts.Line(Id, Case, 9).GetProperty("sessionId").GetString()!;
        var lines = text.Split('\n');
        lines[8] = lines[8].Replace(own, foreign, StringComparison.Ordinal);
        var findings = RuleHarness.LintText(string.Join('\n', lines)).Diagnostics.Where(x => x.Id == Id).ToList();
        findings.ShouldHaveSingleItem().Message.ShouldContain("(2 entries carry it)");
    }
}
