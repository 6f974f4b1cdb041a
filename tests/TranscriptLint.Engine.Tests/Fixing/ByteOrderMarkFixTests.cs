using TranscriptLint.Fixes;
using TranscriptLint.Engine.Fixing;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// TL1002's byte order mark fix (<see cref="RemoveByteOrderMark"/>): it takes the three bytes before line 1 and
/// nothing else, beside other fixes of the same pass, in JSON Lines and whole documents; a stale one (the file has no
/// mark) is refused, never a crash; and every other fix keeps a mark it does not remove.
/// </summary>
public sealed class ByteOrderMarkFixTests
{
    private static readonly byte[] Mark = [0xEF, 0xBB, 0xBF];

    private static byte[] Fixture(string relative) => File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, relative));

    [Fact]
    public void A_marked_session_with_a_torn_last_line_loses_the_mark_and_the_torn_line_in_one_pass()
    {
        var clean = Fixture("claude-code/TL1002/fires-bom-at-file-start.fixed.jsonl");
        var torn = FixerHarness.Utf8("{\"parentUuid\":\"0b1f5a4e-8a8e-4c37-9d7e-1f2a3b4c5d6e\",\"type\":\"assistant\",\"mess");
        var outcome = FixerHarness.Fix([.. Mark, .. clean, .. torn]);

        outcome.Fixed.ShouldBe(clean, "the mark and the torn line go; every other byte stays");
        outcome.Passes.ShouldBe(1);
        outcome.Applied.Select(a => (a.RuleId, a.Title)).Order().ShouldBe([("TL1001", "Delete the torn last line"), ("TL1002", "Remove the byte order mark")]);
        outcome.FinalLint.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void A_fix_inside_line_1_keeps_the_mark_unless_the_mark_fix_is_taken_too()
    {
        // NUL bytes before line 1's object: TL1002 strips them (a whole-line replace of line 1) and removes the mark.
        var clean = Fixture("claude-code/TL1002/fires-bom-at-file-start.fixed.jsonl");
        var firstNewline = Array.IndexOf(clean, (byte)'\n');
        byte[] input = [.. Mark, 0, 0, 0, 0, .. clean];
        var outcome = FixerHarness.Fix(input);
        outcome.Fixed.ShouldBe(clean);
        outcome.Applied.Count(a => a.RuleId == "TL1002").ShouldBe(2);

        // Recorded without the mark fix (as a report made before it existed would be): the NULs go, the mark stays.
        var lint = FixerHarness.Lint(input);
        var strip = lint.Diagnostics.Single(d => d.Id == "TL1002" && d.Message.Contains("NUL", StringComparison.Ordinal)).Fixes.Single();
        var only = FixerHarness.FixRecorded(input, new RecordedFix("TL1002", strip));
        only.Fixed.ShouldBe([.. Mark, .. clean]);
        firstNewline.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void A_marked_gemini_document_with_an_unanswered_call_is_fixed_in_one_pass_and_loads()
    {
        var original = Fixture("gemini-cli/fires-killed-while-tool-ran.json");
        var outcome = FixerHarness.Fix([.. Mark, .. original], path: "session.json");
        outcome.Fixed.ShouldBe(Fixture("gemini-cli/fires-killed-while-tool-ran.fixed.json"), "the same fix as without the mark, and the mark gone");
        outcome.Applied.ShouldContain(a => a.RuleId == "TL1002" && a.Title == "Remove the byte order mark");
    }

    [Fact]
    public void A_stale_mark_fix_is_refused_with_a_reason()
    {
        var clean = Fixture("claude-code/TL1002/fires-bom-at-file-start.fixed.jsonl");
        var stale = new Fix("Remove the byte order mark", Applicability.Safe, [new RemoveByteOrderMark()]);
        var outcome = FixerHarness.FixRecorded(clean, new RecordedFix("TL1002", stale));
        outcome.Changed.ShouldBeFalse();
        outcome.Rejected.Single().Reason.ShouldContain("does not start with a byte order mark");
    }

    [Fact]
    public void Fixes_that_do_not_remove_the_mark_keep_it()
    {
        var original = Fixture("claude-code/TL1002/fires-bom-at-file-start.fixed.jsonl");
        var torn = FixerHarness.Utf8("{\"type\":\"user\",\"mess");
        byte[] input = [.. Mark, .. original, .. torn];
        var lint = FixerHarness.Lint(input);
        var deleteTorn = lint.Diagnostics.Single(d => d.Id == "TL1001").Fixes.First(f => f.Applicability == Applicability.Safe);
        var outcome = FixerHarness.FixRecorded(input, new RecordedFix("TL1001", deleteTorn));
        outcome.Fixed.ShouldBe([.. Mark, .. original]);
    }
}
