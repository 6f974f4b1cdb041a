using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4007 (TrailingWhitespaceFinalAssistant): fixtures in fixtures/claude-code/TL4007/, doc in docs/rules/TL4007.md.</summary>
public sealed class TL4007TrailingWhitespaceFinalAssistantTests : RuleFixtureTests<TL4007TrailingWhitespaceFinalAssistantRule>
{
    private const string Id = RuleIdentifiers.TrailingWhitespaceFinalAssistant;

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
