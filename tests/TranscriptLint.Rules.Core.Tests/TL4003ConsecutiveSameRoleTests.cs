using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4003 (ConsecutiveSameRole): fixtures in fixtures/claude-code/TL4003/, doc in docs/rules/TL4003.md.</summary>
public sealed class TL4003ConsecutiveSameRoleTests : RuleFixtureTests<TL4003ConsecutiveSameRoleRule>
{
    private const string Id = RuleIdentifiers.ConsecutiveSameRole;

    private const string Case = "fires-two-responses-in-a-row.jsonl";

    [Fact]
    public void Fix_gives_the_second_response_the_first_ones_message_id()
    {
        var fix = FixtureFacts.Single(Id, Case, Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        var edit = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<ReplaceValue>();
        edit.Target.Line.ShouldBe(7);
        edit.JsonPointer.ShouldBe("/message/id");
        var firstId = FixtureFacts.Line(Id, Case, 6).GetProperty("message").GetProperty("id").GetString()!;
        edit.ValueJson.ShouldBe("\"" + firstId + "\"");
    }

    [Fact]
    public void Severity_follows_the_profile()
    {
        FixtureFacts.Single(Id, Case, Id).Severity.ShouldBe(Severity.Note);
        FixtureFacts.Findings(Id, Case, Id, new LintOptions { Profile = ProviderProfile.Bedrock }).ShouldHaveSingleItem().Severity.ShouldBe(Severity.Error);
    }
}
