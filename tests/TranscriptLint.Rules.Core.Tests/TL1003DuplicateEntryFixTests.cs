using TranscriptLint.Fixes;

namespace TranscriptLint.Tests;

public sealed partial class TL1003DuplicateEntryTests
{
    [Fact]
    public void Byte_identical_copy_is_deleted_safely()
    {
        var path = Path.Combine(RuleHarness.FixtureDir(Id), "fires-consecutive-duplicate-line.jsonl");
        var d = RuleHarness.Lint(path).Diagnostics.Single(x => x.Id == Id);
        var fix = d.Fixes.Single();
        fix.Applicability.ShouldBe(Applicability.Safe);
        fix.Edits.ShouldBe([new DeleteEntry(FixtureLines.Ref(path, d.Location.StartLine))]);
    }

    [Fact]
    public void Copy_with_different_content_is_deleted_only_as_an_unsafe_fix()
    {
        var path = Path.Combine(RuleHarness.FixtureDir(Id), "fires-same-uuid-different-content.jsonl");
        var d = RuleHarness.Lint(path).Diagnostics.Single(x => x.Id == Id);
        d.Fixes.Single().Applicability.ShouldBe(Applicability.Unsafe);
        d.Message.ShouldContain("with different content");
    }
}
