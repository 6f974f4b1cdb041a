using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4005 (InvalidThinkingSignature): fixtures in fixtures/claude-code/TL4005/, doc in docs/rules/TL4005.md.</summary>
public sealed class TL4005InvalidThinkingSignatureTests : RuleFixtureTests<TL4005InvalidThinkingSignatureRule>
{
    private const string Id = RuleIdentifiers.InvalidThinkingSignature;

    [Theory]
    [InlineData("fires-signature-missing.jsonl", "is missing")]
    [InlineData("fires-signature-empty.jsonl", "is empty")]
    [InlineData("fires-signature-truncated.jsonl", "truncated")]
    public void Fix_removes_the_thinking_line_and_relinks_the_chain(string caseFile, string reason)
    {
        var d = FixtureFacts.Single(Id, caseFile, Id);
        d.Message.ShouldContain(reason);
        d.Location.JsonPointer.ShouldBe("/message/content/0/signature");
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        fix.Edits.OfType<DeleteEntry>().ShouldHaveSingleItem().Target.Line.ShouldBe(6);
        var relink = fix.Edits.OfType<SetParent>().ShouldHaveSingleItem();
        relink.Target.Line.ShouldBe(7);
        relink.NewParentUuid.ShouldBe(FixtureFacts.Uuid(Id, caseFile, 5));
    }

    [Fact]
    public void Publisher_redaction_marker_is_not_a_finding()
    {
        var text = File.ReadAllText(FixtureFacts.PathOf(Id, "clean-genuine-signatures-bad-one-off-chain.jsonl"));
        var signature = FixtureFacts.Line(Id, "clean-genuine-signatures-bad-one-off-chain.jsonl", 11).GetProperty("message").GetProperty("content")[0].GetProperty("signature").GetString()!;
        var redacted = text.Replace(signature, "[REDACTED_SIGNATURE]", StringComparison.Ordinal);
        redacted.ShouldContain("[REDACTED_SIGNATURE]");
        RuleHarness.LintText(redacted).Diagnostics.ShouldBeEmpty("sanitised copies of real sessions (fixtures/real) must lint clean");
        RuleHarness.LintText(text.Replace(signature, "abc$def", StringComparison.Ordinal)).Diagnostics.ShouldHaveSingleItem().Message.ShouldContain("not base64");
    }

    // The byte check judges a plain base64 value without decoding it; anything else goes to the string check. Both
    // must give the same answer for every shape a signature can take in the JSON.
    [Theory]
    [InlineData("\"EqQBCkYIBxgCKkDbase64+/=-_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01\"")]
    [InlineData("\"EqQBCkYIBxgC\"")] // short: truncated
    [InlineData("\"EqQBCkYIBxgCKkDbase64\\/escaped-slash-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO\"")]
    [InlineData("\"\\u0045qQBCkYIBxgCKkDbase64-unicode-escape-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN\"")]
    [InlineData("\"abc$def\"")]
    [InlineData("\"has a space 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd\"")]
    [InlineData("\"ünïcode0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg\"")]
    [InlineData("\"[REDACTED_SIGNATURE]\"")]
    public void Judging_a_signature_from_its_bytes_agrees_with_judging_its_text(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var element = doc.RootElement;
        TL4005InvalidThinkingSignatureRule.Classify(element).ShouldBe(TL4005InvalidThinkingSignatureRule.Classify(element.GetString()!));
    }
}
