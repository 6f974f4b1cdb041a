using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL2002 (ParentCycle): fixtures in fixtures/claude-code/TL2002/, doc in docs/rules/TL2002.md.</summary>
public sealed class TL2002ParentCycleTests
{
    private const string Id = RuleIdentifiers.ParentCycle;

    public static TheoryData<string> Cases => RuleHarness.Cases(Id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation(Id, caseFile);

    [Fact]
    public void Has_fixtures_that_fire_and_fixtures_that_must_not() => RuleHarness.AssertHasBothKinds(Id, Id);

    [Fact]
    public void Reports_each_cycle_once_with_its_lines()
    {
        var d = FixtureFacts.Single(Id, "fires-prompt-reparented-onto-descendant.jsonl", Id);
        d.Message.ShouldContain("lines 4, 5, 6, 8, 9, 10");
        d.Fixes.ShouldBeEmpty();
    }
}
