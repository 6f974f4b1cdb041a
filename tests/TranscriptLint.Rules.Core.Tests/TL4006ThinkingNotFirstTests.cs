using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4006 (ThinkingNotFirst): fixtures in fixtures/claude-code/TL4006/, doc in docs/rules/TL4006.md.</summary>
public sealed class TL4006ThinkingNotFirstTests
{
    private const string Id = RuleIdentifiers.ThinkingNotFirst;

    public static TheoryData<string> Cases => RuleHarness.Cases(Id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation(Id, caseFile);

    [Fact]
    public void Has_fixtures_that_fire_and_fixtures_that_must_not() => RuleHarness.AssertHasBothKinds(Id, Id);

    [Fact]
    public void Reports_the_first_real_block_and_offers_no_fix()
    {
        var d = FixtureFacts.Single(Id, "fires-text-before-thinking.jsonl", Id);
        d.Location.StartLine.ShouldBe(6);
        d.Message.ShouldContain("starts with a text block");
        d.Fixes.ShouldBeEmpty();
    }
}
