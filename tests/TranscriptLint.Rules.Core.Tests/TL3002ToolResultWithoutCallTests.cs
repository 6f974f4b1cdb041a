using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL3002 (ToolResultWithoutCall): fixtures in fixtures/claude-code/TL3002/, doc in docs/rules/TL3002.md.</summary>
public sealed partial class TL3002ToolResultWithoutCallTests
{
    private const string Id = RuleIdentifiers.ToolResultWithoutCall;

    public static TheoryData<string> Cases => RuleHarness.Cases(Id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation(Id, caseFile);

    [Fact]
    public void Has_fixtures_that_fire_and_fixtures_that_must_not() => RuleHarness.AssertHasBothKinds(Id, Id);
}
