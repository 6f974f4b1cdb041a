namespace TranscriptLint.Tests;

/// <summary>
/// What every rule's test class checks: each fixture in fixtures/claude-code/&lt;ID&gt;/ reports exactly what its
/// .expected file lists, and the folder has cases that fire and cases that must not. A rule's own test class
/// derives from this and adds its fix-edit tests.
/// </summary>
/// <typeparam name="TRule">The rule under test.</typeparam>
public abstract class RuleFixtureTests<TRule>
    where TRule : TranscriptRule, new()
{
    private static readonly string RuleId = new TRule().SupportedDescriptors[0].Id;

    public static TheoryData<string> Cases => RuleHarness.Cases(RuleId);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation(RuleId, caseFile);

    [Fact]
    public void Has_fixtures_that_fire_and_fixtures_that_must_not() => RuleHarness.AssertHasBothKinds(RuleId, RuleId);
}
