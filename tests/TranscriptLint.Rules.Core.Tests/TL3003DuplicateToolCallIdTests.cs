using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL3003 (DuplicateToolCallId): fixtures in fixtures/claude-code/TL3003/, doc in docs/rules/TL3003.md.</summary>
public sealed class TL3003DuplicateToolCallIdTests : RuleFixtureTests<TL3003DuplicateToolCallIdRule>
{
    private const string Id = RuleIdentifiers.DuplicateToolCallId;

    [Fact]
    public void Identical_repeat_fix_removes_the_repeated_response_and_its_result_and_relinks_the_chain()
    {
        const string Case = "fires-identical-call-reappended.jsonl";
        var d = FixtureFacts.Single(Id, Case, Id);
        d.Location.StartLine.ShouldBe(13);
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        // Line 12 is the response's "\n\n" line, 13 the repeated call, 14 its result; 15 is re-parented onto 11.
        fix.Edits.OfType<DeleteEntry>().Select(e => e.Target.Line).Order().ShouldBe([12, 13, 14]);
        var relink = fix.Edits.OfType<SetParent>().ShouldHaveSingleItem();
        relink.Target.Line.ShouldBe(15);
        relink.NewParentUuid.ShouldBe(FixtureFacts.Uuid(Id, Case, 11));
    }

    [Fact]
    public void Different_calls_sharing_an_id_get_no_fix()
    {
        var d = FixtureFacts.Single(Id, "fires-parallel-calls-same-id.jsonl", Id);
        d.Fixes.ShouldBeEmpty();
        d.Message.ShouldContain("line 7");
    }
}
