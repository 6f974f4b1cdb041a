using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4008 (FirstMessageNotUser): fixtures in fixtures/claude-code/TL4008/, doc in docs/rules/TL4008.md.</summary>
public sealed class TL4008FirstMessageNotUserTests
{
    private const string Id = RuleIdentifiers.FirstMessageNotUser;

    public static TheoryData<string> Cases => RuleHarness.Cases(Id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation(Id, caseFile);

    [Fact]
    public void Has_fixtures_that_fire_and_fixtures_that_must_not() => RuleHarness.AssertHasBothKinds(Id, Id);

    [Fact]
    public void Reports_the_first_line_without_a_fix()
    {
        var d = FixtureFacts.Single(Id, "fires-chain-starts-with-assistant.jsonl", Id);
        d.Location.StartLine.ShouldBe(1);
        d.Fixes.ShouldBeEmpty();
    }
}
