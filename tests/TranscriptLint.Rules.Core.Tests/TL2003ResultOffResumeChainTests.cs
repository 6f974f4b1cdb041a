using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL2003 (ResultOffResumeChain): fixtures in fixtures/claude-code/TL2003/, doc in docs/rules/TL2003.md.</summary>
public sealed class TL2003ResultOffResumeChainTests : RuleFixtureTests<TL2003ResultOffResumeChainRule>
{
    private const string Id = RuleIdentifiers.ResultOffResumeChain;

    [Fact]
    public void Fix_reparents_the_result_onto_its_call_line()
    {
        const string Case = "fires-result-under-stale-hook-parent.jsonl";
        var d = FixtureFacts.Single(Id, Case, Id);
        d.Location.StartLine.ShouldBe(8);
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        var edit = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<TranscriptLint.Fixes.SetParent>();
        edit.Target.Line.ShouldBe(8);
        edit.NewParentUuid.ShouldBe(FixtureFacts.Uuid(Id, Case, 6));
    }
}
