using TranscriptLint.Fixes;

namespace TranscriptLint.Tests;

public sealed partial class TL2001DanglingParentTests
{
    [Fact]
    public void Dangling_entry_is_reparented_onto_the_nearest_earlier_message_as_an_unsafe_fix()
    {
        var path = Path.Combine(RuleHarness.FixtureDir(Id), "fires-dangling-parent-mid-file.jsonl");
        var d = RuleHarness.Lint(path).Diagnostics.Single(x => x.Id == Id);
        var edit = d.Fixes.Single().Edits.Single().ShouldBeOfType<SetParent>();
        d.Fixes.Single().Applicability.ShouldBe(Applicability.Unsafe);
        edit.Target.ShouldBe(FixtureLines.Ref(path, d.Location.StartLine));
        var lines = File.ReadAllLines(path);
        var parentLine = Array.FindIndex(lines, l => l.Contains($"\"uuid\":\"{edit.NewParentUuid}\"", StringComparison.Ordinal)) + 1;
        parentLine.ShouldBeInRange(1, d.Location.StartLine - 1);
    }

    [Fact]
    public void No_guess_while_an_unreadable_line_may_hold_the_parent_but_blank_lines_do_not_count()
    {
        var path = Path.Combine(RuleHarness.FixtureDir(Id), "fires-dangling-parent-mid-file.jsonl");
        var lines = File.ReadAllLines(path);
        var line = RuleHarness.Lint(path).Diagnostics.Single(x => x.Id == Id).Location.StartLine;

        var withBlank = string.Join('\n', lines.Take(1).Append("").Concat(lines.Skip(1))) + "\n";
        RuleHarness.LintText(withBlank).Diagnostics.Single(x => x.Id == Id).Fixes.ShouldHaveSingleItem();

        var withTorn = string.Join('\n', lines.Take(1).Append("{\"parentUuid\":\"x\",\"ty").Concat(lines.Skip(1))) + "\n";
        RuleHarness.LintText(withTorn).Diagnostics.Single(x => x.Id == Id && x.Location.StartLine == line + 1).Fixes.ShouldBeEmpty();
    }
}
