using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL3001 (ToolCallWithoutResult): fixtures in fixtures/claude-code/TL3001/, doc in docs/rules/TL3001.md.</summary>
public sealed partial class TL3001ToolCallWithoutResultTests
{
    private const string Id = RuleIdentifiers.ToolCallWithoutResult;

    public static TheoryData<string> Cases => RuleHarness.Cases(Id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation(Id, caseFile);

    [Fact]
    public void Has_fixtures_that_fire_and_fixtures_that_must_not() => RuleHarness.AssertHasBothKinds(Id, Id);
}
