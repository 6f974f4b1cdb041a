using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL3004 (DuplicateToolResult): fixtures in fixtures/claude-code/TL3004/, doc in docs/rules/TL3004.md.</summary>
public sealed class TL3004DuplicateToolResultTests : RuleFixtureTests<TL3004DuplicateToolResultRule>
{
    private const string Id = RuleIdentifiers.DuplicateToolResult;

    [Fact]
    public void Identical_copy_is_removed_safely_and_the_chain_relinked()
    {
        const string Case = "fires-identical-result-written-twice.jsonl";
        var fix = FixtureFacts.Single(Id, Case, Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        fix.Edits.OfType<DeleteEntry>().ShouldHaveSingleItem().Target.Line.ShouldBe(8);
        var relink = fix.Edits.OfType<SetParent>().ShouldHaveSingleItem();
        relink.Target.Line.ShouldBe(9);
        relink.NewParentUuid.ShouldBe(FixtureFacts.Uuid(Id, Case, 7));
    }

    [Fact]
    public void Different_results_keep_the_first_but_only_as_an_unsafe_fix()
    {
        var fix = FixtureFacts.Single(Id, "fires-error-then-real-result.jsonl", Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        fix.Edits.OfType<DeleteEntry>().ShouldHaveSingleItem().Target.Line.ShouldBe(8);
    }
}
