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

    // The RuleTester way: the transcript, the finding and the text after `transcriptlint fix`, all inline.
    private const string User = """{"parentUuid":null,"sessionId":"28da3472-2001-4fe5-b776-04b82fecd95c","type":"user","message":{"role":"user","content":"summarise the export module"},"uuid":"17c79285-f139-4822-9073-fb870ca5362a","timestamp":"2026-02-12T10:56:05.353Z"}""";

    private static string Assistant(string text) =>
        """{"parentUuid":"17c79285-f139-4822-9073-fb870ca5362a","sessionId":"28da3472-2001-4fe5-b776-04b82fecd95c","type":"assistant","message":{"id":"msg_012YImbaNZMrXgyNKLQ7wuzk","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"text","text":""" + "\"" + text + "\"" + """}],"stop_reason":"end_turn"},"uuid":"f2fdd487-8780-4d34-b102-259dd81dc4e1","timestamp":"2026-02-12T10:56:09.000Z"}""";

    [Fact]
    public void RuleTester_trailing_whitespace_of_the_final_reply_is_trimmed_Safe() => RuleTester.For<TL4007TrailingWhitespaceFinalAssistantRule>().Run(
        valid:
        [
            new ValidCase($"{User}\n{Assistant("The export module writes CSV.")}") { Name = "no trailing whitespace" },
        ],
        invalid:
        [
            new InvalidCase($"{User}\n{Assistant(@"The export module writes CSV.\n\n")}")
            {
                Findings = ["TL4007 2"],
                Output = $"{User}\n{Assistant("The export module writes CSV.")}",
            },
        ]);
}
