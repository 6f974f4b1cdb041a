using TranscriptLint.Fixes;

namespace TranscriptLint.Tests;

public sealed partial class TL4001SyntheticEntryInContextTests
{
    [Fact]
    public void Placeholder_row_mid_chain_is_spliced_unsafely_and_its_child_rejoins_its_parent()
    {
        var path = Path.Combine(RuleHarness.FixtureDir(Id), "fires-no-response-requested-mid-chain.jsonl");
        var d = RuleHarness.Lint(path).Diagnostics.Single(x => x.Id == Id);
        var line = d.Location.StartLine;
        var fix = d.Fixes.Single();
        fix.Applicability.ShouldBe(Applicability.Unsafe, "a <synthetic> placeholder is not an error row");
        fix.Edits[0].ShouldBe(new DeleteEntry(FixtureLines.Ref(path, line)));
        fix.Edits.Skip(1).ShouldAllBe(e => e is SetParent && ((SetParent)e).NewParentUuid == FixtureLines.Field(path, line, "parentUuid"));
        fix.Edits.Count.ShouldBeGreaterThan(1);
    }
}
