using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

public sealed partial class TL1001InvalidJsonLineTests
{
    // ESLint-style table: lines that must not fire, and lines that must, with the expected fix kind.
    [Theory]
    [InlineData("{\"type\":\"summary\",\"summary\":\"ok\"}\n")]
    [InlineData("{\"type\":\"summary\",\"summary\":\"ok\"}\r\n\r\n")]
    [InlineData("\n\n{\"type\":\"summary\",\"summary\":\"ok\"}")]
    public void Valid_lines_do_not_fire(string jsonl) =>
        RuleHarness.LintText(jsonl).Diagnostics.Where(d => d.Id == Id).ShouldBeEmpty();

    [Theory]
    [InlineData("{\"type\":\"summary\"}\n{\"type\":\"summ", "Delete the torn last line", Applicability.Safe)]
    [InlineData("{\"type\":\"summary\"}\n{\"a\":1}{\"b\":", "Keep the complete object and drop the torn rest of the last line", Applicability.Safe)]
    [InlineData("{\"type\":\"summary\"}\n{\"a\":1}{\"b\":2}{\"c", "Keep the 2 complete objects and drop the torn rest of the last line", Applicability.Safe)]
    [InlineData("{\"type\":\"summary\"}\n{\"a\":1}\u0000\u0000\u0000", "Keep the complete object and drop the torn rest of the last line", Applicability.Safe)]
    [InlineData("{\"type\":\"summ\n{\"type\":\"summary\"}\n", "Delete the unreadable line", Applicability.Unsafe)]
    [InlineData("[1,2]\n{\"type\":\"summary\"}\n", "Delete the unreadable line", Applicability.Unsafe)]
    [InlineData("{\"type\":\"pr-link\",\"prNu{\"type\":\"summary\"}\n{\"type\":\"summary\"}\n", "Keep the complete object recovered from the damaged line", Applicability.Unsafe)]
    [InlineData("{\"type\":\"summary\"}\n{\"a\":1}{\"b\":2}\n", "Split the line into its 2 complete objects", Applicability.Safe)]
    [InlineData("{\"type\":\"summary\"}\n{\"a\":1} {\"b\":2}\n", "Split the line into its 2 complete objects", Applicability.Unsafe)]
    [InlineData("{\"type\":\"summary\"}\n{\"a\":1}\u0000{\"b\":2}\n", "Split the line into its 2 complete objects", Applicability.Unsafe)]
    public void Invalid_lines_fire_with_the_right_fix(string jsonl, string title, Applicability applicability)
    {
        var d = RuleHarness.LintText(jsonl).Diagnostics.Single(x => x.Id == Id);
        d.Fixes.Single().Title.ShouldBe(title);
        d.Fixes.Single().Applicability.ShouldBe(applicability);
    }

    [Fact]
    public void Two_objects_run_together_are_split_without_losing_either()
    {
        // A file of that one damaged line alone is not a transcript (TL1006); after a transcript line it is TL1001.
        var d = RuleHarness.LintText("{\"type\":\"summary\"}\n{\"a\":1}{\"b\":2}\n").Diagnostics.Single(x => x.Id == Id);
        d.Fixes.Single().Edits.ShouldBe([new ReplaceValue(new EntryRef(2, null), "", "{\"a\":1}"), new InsertEntryAfter(new EntryRef(2, null), new RawJsonEntry("{\"b\":2}"))]);
    }

    [Fact]
    public void A_torn_last_line_keeps_the_complete_records_before_the_cut_byte_for_byte()
    {
        var d = RuleHarness.LintText("{\"type\":\"summary\"}\n{\"a\":\"x y\"}{\"b\":2}{\"type\":\"summ").Diagnostics.Single(x => x.Id == Id);
        d.Fixes.Single().Edits.ShouldBe([new ReplaceValue(new EntryRef(2, null), "", "{\"a\":\"x y\"}"), new InsertEntryAfter(new EntryRef(2, null), new RawJsonEntry("{\"b\":2}"))]);
    }

    [Fact]
    public void Torn_prefix_is_dropped_and_the_complete_object_kept()
    {
        var path = Path.Combine(RuleHarness.FixtureDir(Id), "fires-two-objects-one-line.jsonl");
        var d = RuleHarness.Lint(path).Diagnostics.Single(x => x.Id == Id);
        var edit = d.Fixes.Single().Edits.Single().ShouldBeOfType<ReplaceValue>();
        edit.JsonPointer.ShouldBe("");
        edit.ValueJson.ShouldStartWith("{\"parentUuid\"");
        File.ReadLines(path).ElementAt(d.Location.StartLine - 1).ShouldEndWith(edit.ValueJson);
    }

    [Fact]
    public void The_column_points_at_the_parse_error()
    {
        var d = RuleHarness.LintText("{\"type\":\"summary\"}\n{\"type\":\"summary\",}\n").Diagnostics.Single(x => x.Id == Id);
        d.Location.StartColumn.ShouldBe(19);
        d.Message.ShouldStartWith("Line 2 is not a valid JSON object: ");
    }
}
