using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL1001 (InvalidJsonLine): fixtures in fixtures/claude-code/TL1001/, doc in docs/rules/TL1001.md.</summary>
public sealed partial class TL1001InvalidJsonLineTests
{
    private const string Id = RuleIdentifiers.InvalidJsonLine;

    public static TheoryData<string> Cases => RuleHarness.Cases(Id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation(Id, caseFile);

    [Fact]
    public void Has_fixtures_that_fire_and_fixtures_that_must_not() => RuleHarness.AssertHasBothKinds(Id, Id);
}
