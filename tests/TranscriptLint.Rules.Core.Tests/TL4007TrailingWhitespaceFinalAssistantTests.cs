using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4007 (TrailingWhitespaceFinalAssistant): fixtures in fixtures/claude-code/TL4007/, doc in docs/rules/TL4007.md.</summary>
public sealed class TL4007TrailingWhitespaceFinalAssistantTests
{
    private const string Id = RuleIdentifiers.TrailingWhitespaceFinalAssistant;

    public static TheoryData<string> Cases => RuleHarness.Cases(Id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation(Id, caseFile);

    [Fact]
    public void Has_fixtures_that_fire_and_fixtures_that_must_not() => RuleHarness.AssertHasBothKinds(Id, Id);

    [Fact]
    public void Fix_trims_the_final_text()
    {
        const string Case = "fires-final-text-ends-with-newlines.jsonl";
        var fix = FixtureFacts.Single(Id, Case, Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        var edit = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<ReplaceValue>();
        edit.Target.Line.ShouldBe(6);
        edit.JsonPointer.ShouldBe("/message/content/0/text");
        var original = FixtureFacts.Line(Id, Case, 6).GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString()!;
        JsonSerializer.Deserialize<string>(edit.ValueJson).ShouldBe(original.TrimEnd());
        original.ShouldEndWith("\n\n");
    }
}
