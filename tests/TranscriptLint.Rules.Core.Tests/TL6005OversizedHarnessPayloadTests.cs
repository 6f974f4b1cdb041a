using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL6005 (OversizedHarnessPayload): fixtures in fixtures/claude-code/TL6005/, doc in docs/rules/TL6005.md.</summary>
public sealed class TL6005OversizedHarnessPayloadTests : RuleFixtureTests<TL6005OversizedHarnessPayloadRule>
{
    private const string Id = RuleIdentifiers.OversizedHarnessPayload;

    [Fact]
    public void Finding_names_the_field_and_the_fix_trims_only_the_ui_copy()
    {
        var d = FixtureFacts.Single(Id, "fires-edit-original-file-copy.jsonl", Id);
        d.Message.ShouldContain("largest: toolUseResult, 1.1 MB");
        d.Location.JsonPointer.ShouldBe("/toolUseResult");
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        var edit = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<ReplaceValue>();
        edit.JsonPointer.ShouldBe("/toolUseResult/originalFile");
        edit.ValueJson.ShouldContain("[TRIMMED by TranscriptLint:");
        edit.ValueJson.Length.ShouldBeLessThan(1300);
    }

    [Fact]
    public void The_limit_is_the_maxBytes_option_and_the_message_sent_to_the_provider_does_not_count()
    {
        var path = FixtureFacts.PathOf(Id, "clean-real-session.jsonl");
        var options = new TranscriptLint.Engine.Hosting.LintOptions
        {
            RuleOptions = new Dictionary<string, RuleOptions>(StringComparer.Ordinal)
            {
                [Id] = new(new Dictionary<string, System.Text.Json.JsonElement> { ["maxBytes"] = System.Text.Json.JsonDocument.Parse("700").RootElement.Clone() }),
            },
        };
        var lines = RuleHarness.Lint(path, options).Diagnostics.Where(d => d.Id == Id).Select(d => d.Location.StartLine).ToList();
        // Over 700 bytes of harness-only data: line 14 (a Read, 705) and line 19 (an Edit, 911); line 6 is 1643 bytes
        // long but all but 392 of them are the message sent to the provider.
        lines.ShouldBe([14, 19]);
        TL6005OversizedHarnessPayloadRule.Descriptor.Options.ShouldHaveSingleItem().Name.ShouldBe("maxBytes");
    }
}
