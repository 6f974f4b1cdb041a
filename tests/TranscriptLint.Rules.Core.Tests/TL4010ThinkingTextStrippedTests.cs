using TranscriptLint.Engine.Explain;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4010 (ThinkingTextStripped): fixtures in fixtures/claude-code/TL4010/, doc in docs/rules/TL4010.md.</summary>
public sealed class TL4010ThinkingTextStrippedTests : RuleFixtureTests<TL4010ThinkingTextStrippedRule>
{
    private const string Id = RuleIdentifiers.ThinkingTextStripped;

    [Theory]
    [InlineData("fires-hollow-latest-text-elsewhere.jsonl", "same Claude Code 2.1.31 kept their text")]
    [InlineData("fires-bad-window-build.jsonl", "by Claude Code 2.1.154")]
    public void Finding_names_its_evidence_and_the_fix_splices_the_thinking_line(string caseFile, string evidence)
    {
        var d = FixtureFacts.Single(Id, caseFile, Id);
        d.Message.ShouldContain(evidence);
        d.Location.JsonPointer.ShouldBe("/message/content/0/thinking");
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        fix.Edits.OfType<DeleteEntry>().ShouldHaveSingleItem().Target.Line.ShouldBe(20);
        var relink = fix.Edits.OfType<SetParent>().ShouldHaveSingleItem();
        relink.Target.Line.ShouldBe(21);
        relink.NewParentUuid.ShouldBe(FixtureFacts.Uuid(Id, caseFile, 19));
    }

    [Fact]
    public void Every_thinking_block_of_a_multi_block_line_is_removed_never_only_the_hollow_one()
    {
        // One line holding [thinking with text, hollow thinking, text]: both thinking blocks go, the text stays.
        var sig = new string('A', 300);
        var text = string.Join('\n',
            "{\"type\":\"user\",\"uuid\":\"u1\",\"parentUuid\":null,\"sessionId\":\"s\",\"version\":\"2.1.31\",\"message\":{\"role\":\"user\",\"content\":\"go\"}}",
            "{\"type\":\"assistant\",\"uuid\":\"a1\",\"parentUuid\":\"u1\",\"sessionId\":\"s\",\"version\":\"2.1.31\",\"message\":{\"id\":\"msg_01a\",\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"plan\",\"signature\":\"" + sig + "\"},{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"" + sig + "\"},{\"type\":\"text\",\"text\":\"done\"}]}}",
            "");
        var d = RuleHarness.LintText(text).Diagnostics.Single(x => x.Id == Id);
        d.Location.JsonPointer.ShouldBe("/message/content/1/thinking");
        d.Fixes.Single().Edits.ShouldAllBe(e => e is RemoveArrayElement);
        d.Fixes.Single().Edits.Cast<RemoveArrayElement>().Select(e => e.Index).ShouldBe([0, 1]);
    }

    [Theory]
    [InlineData("API Error: 400 {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages.3.content.11: `thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.\"}}")]
    [InlineData("messages.215.content.0.thinking: each thinking block must contain thinking")]
    public void Explain_error_names_the_rule(string pasted)
    {
        var descriptors = RuleHarness.Rules.SelectMany(r => r.Rule.SupportedDescriptors);
        ErrorExplainer.Explain(pasted, descriptors).Matches.Select(m => m.Descriptor.Id).ShouldContain(Id);
    }
}
