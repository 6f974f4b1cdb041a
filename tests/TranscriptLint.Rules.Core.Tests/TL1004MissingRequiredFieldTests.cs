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

    // A line that reads complete from the entry's facts is passed without looking at its JSON again; these read
    // complete at first sight but are not: the last of a repeated name counts, and an escaped name is the same name.
    [Theory]
    [InlineData("""{"type":"user","uuid":"u1","sessionId":"s1","sessionId":"","message":{"role":"user","content":"hi"}}""", "lacks sessionId")]
    [InlineData("""{"type":"user","uuid":"u1","sessionId":"s1","sess\u0069onId":"","message":{"role":"user","content":"hi"}}""", "lacks sessionId")]
    [InlineData("""{"type":"user","type":7,"uuid":"u1","sessionId":"s1","message":{"role":"user","content":"hi"}}""", "lacks type")]
    [InlineData("""{"type":"user","uuid":"u1","uuid":"","sessionId":"s1","message":{"role":"user","content":"hi"}}""", "lacks uuid")]
    [InlineData("""{"type":"assistant","uuid":"u1","sessionId":"s1","message":{"role":"assistant","content":[],"content":null}}""", "lacks message.content")]
    [InlineData("""{"type":"assistant","uuid":"u1","sessionId":"s1","message":{"role":"assistant","role":null,"content":[]}}""", "lacks message.role")]
    [InlineData("""{"type":"user","uuid":"u1","sessionId":"s1","message":{"role":"user","content":"hi"},"message":"text"}""", "lacks message")]
    [InlineData("""{"type":"progress","type":"user","uuid":"u1","message":{"role":"user","content":"hi"}}""", "lacks sessionId")]
    public void Repeated_and_escaped_names_are_read_as_a_lookup_by_name_reads_them(string line, string expected)
    {
        var d = RuleHarness.LintText(Complete + "\n" + line + "\n").Diagnostics.Where(d => d.Id == Id).ShouldHaveSingleItem();
        d.Message.ShouldContain(expected);
        d.Location.StartLine.ShouldBe(2);
    }

    [Theory]
    [InlineData("""{"type":"user","uuid":"u1","sessionId":"s1","message":{"role":"user","content":"hi"}}""")]
    [InlineData("""{"type":"user","uuid":"","uuid":"u1","sessionId":"","sessionId":"s1","message":{"role":"user","content":null,"content":"hi"}}""")]
    [InlineData("""{"t\u0079pe":"assistant","uuid":"u1","sessionId":"s1","message":{"role":"assistant","content":[]}}""")]
    // A line whose type is not user or assistant is no conversation line, however little it holds: the last type
    // counts, escaped or not.
    [InlineData("""{"type":"user","type":"progress","message":{"role":"user","content":"hi"}}""")]
    [InlineData("""{"type":"\u0070rogress","message":{"role":"assistant"}}""")]
    [InlineData("""{"type":"system","subtype":"compact_boundary"}""")]
    public void A_complete_line_has_no_finding(string line) =>
        RuleHarness.LintText(Complete + "\n" + line + "\n").Diagnostics.ShouldNotContain(d => d.Id == Id);

    // A first line that makes the file a Claude Code session (a lone odd line is not detected as one).
    private const string Complete = """{"type":"user","uuid":"u0","sessionId":"s1","message":{"role":"user","content":"hi"}}""";
}
