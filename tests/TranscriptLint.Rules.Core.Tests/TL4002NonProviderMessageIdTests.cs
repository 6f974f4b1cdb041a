using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4002 (NonProviderMessageId): fixtures in fixtures/claude-code/TL4002/, doc in docs/rules/TL4002.md.</summary>
public sealed partial class TL4002NonProviderMessageIdTests
{
    private const string Id = RuleIdentifiers.NonProviderMessageId;

    public static TheoryData<string> Cases => RuleHarness.Cases(Id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation(Id, caseFile);

    [Fact]
    public void Has_fixtures_that_fire_and_fixtures_that_must_not() => RuleHarness.AssertHasBothKinds(Id, Id);
}
