using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL3005 (ToolResultNotFirst): fixtures in fixtures/claude-code/TL3005/, doc in docs/rules/TL3005.md.</summary>
public sealed class TL3005ToolResultNotFirstTests : RuleFixtureTests<TL3005ToolResultNotFirstRule>
{
    private const string Id = RuleIdentifiers.ToolResultNotFirst;

    [Fact]
    public void Within_one_line_the_fix_rewrites_the_content_array_with_the_result_first()
    {
        const string Case = "fires-text-before-result-in-line.jsonl";
        var fix = FixtureFacts.Single(Id, Case, Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        var edit = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<ReplaceValue>();
        edit.Target.Line.ShouldBe(7);
        edit.JsonPointer.ShouldBe("/message/content");
        using var doc = JsonDocument.Parse(edit.ValueJson);
        doc.RootElement.EnumerateArray().Select(b => b.GetProperty("type").GetString()).ShouldBe(["tool_result", "text"]);
        var original = FixtureFacts.Line(Id, Case, 7).GetProperty("message").GetProperty("content");
        doc.RootElement[0].GetRawText().ShouldBe(original[1].GetRawText(), "blocks are moved, not rewritten");
        doc.RootElement[1].GetRawText().ShouldBe(original[0].GetRawText());
    }

    [Fact]
    public void Across_lines_the_fix_relinks_the_result_line_before_the_prompt_line()
    {
        const string Case = "fires-prompt-line-before-results.jsonl";
        var fix = FixtureFacts.Single(Id, Case, Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        var links = fix.Edits.Cast<SetParent>().ToDictionary(e => e.Target.Line, e => e.NewParentUuid);
        links.Count.ShouldBe(3);
        links[8].ShouldBe(FixtureFacts.Uuid(Id, Case, 6)); // the result now follows the call
        links[7].ShouldBe(FixtureFacts.Uuid(Id, Case, 8)); // the prompt follows the result
        links[9].ShouldBe(FixtureFacts.Uuid(Id, Case, 7)); // the answer follows the prompt
    }

    [Fact]
    public void A_prompt_between_calls_and_their_tool_messages_is_fixed_by_moving_the_real_results_up()
    {
        var path = Path.Combine(RepoPaths.Fixtures, "chat", "TL3005", "fires-prompt-typed-while-tools-ran.jsonl");
        var result = RuleHarness.Lint(path);
        RuleHarness.Findings(result).ShouldBe(["TL3005 3"], "the results exist: not TL3001 or TL3002");
        var fix = result.Diagnostics.Single().Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        var lines = File.ReadAllLines(path);
        fix.Edits.OfType<InsertEntryAfter>().Select(e => (e.Target.Line, ((RawJsonEntry)e.Entry).Json)).ShouldBe([(2, lines[3]), (2, lines[4])]);
        fix.Edits.OfType<DeleteEntry>().Select(e => e.Target.Line).ShouldBe([4, 5]);
    }
}
