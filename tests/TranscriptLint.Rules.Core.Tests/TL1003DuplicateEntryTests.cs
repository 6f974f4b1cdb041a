using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL1003 (DuplicateEntry): fixtures in fixtures/claude-code/TL1003/, doc in docs/rules/TL1003.md.</summary>
public sealed partial class TL1003DuplicateEntryTests
{
    private const string Id = RuleIdentifiers.DuplicateEntry;

    public static TheoryData<string> Cases => RuleHarness.Cases(Id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation(Id, caseFile);

    [Fact]
    public void Has_fixtures_that_fire_and_fixtures_that_must_not() => RuleHarness.AssertHasBothKinds(Id, Id);
}
