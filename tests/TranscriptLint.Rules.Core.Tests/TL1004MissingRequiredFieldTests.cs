using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL1004 (MissingRequiredField): fixtures in fixtures/claude-code/TL1004/, doc in docs/rules/TL1004.md.</summary>
public sealed class TL1004MissingRequiredFieldTests : RuleFixtureTests<TL1004MissingRequiredFieldRule>
{
    private const string Id = RuleIdentifiers.MissingRequiredField;

    [Fact]
    public void One_finding_names_every_missing_field_and_offers_no_fix()
    {
        var d = FixtureFacts.Single(Id, "fires-assistant-without-role-and-content.jsonl", Id);
        d.Message.ShouldContain("message.role, message.content");
        d.Fixes.ShouldBeEmpty();
    }

    [Fact]
    public void Missing_uuid_and_type_are_reported_on_message_lines()
    {
        var jsonl = "{\"parentUuid\":null,\"sessionId\":\"5a898d6a-a0f4-4e29-8865-e01ca3b1129a\",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"hi\"},\"timestamp\":\"2026-02-12T09:14:05.786Z\"}\n";
        RuleHarness.LintText(jsonl).Diagnostics.ShouldContain(d => d.Id == Id && d.Message.Contains("lacks uuid"));
    }
}
