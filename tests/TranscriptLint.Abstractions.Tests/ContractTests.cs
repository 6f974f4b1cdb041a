using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

public sealed class ContractTests
{
    [Theory]
    [InlineData("TL3001", true)]
    [InlineData("ACME001", true)]
    [InlineData("tl3001", false)]
    [InlineData("TL", false)]
    [InlineData("3001", false)]
    [InlineData("TL30a1", false)]
    public void Rule_ids_are_letters_then_digits(string id, bool valid) => RuleDescriptor.IsValidId(id).ShouldBe(valid);

    [Fact]
    public void A_descriptor_with_a_bad_id_is_refused() =>
        Should.Throw<ArgumentException>(() => new RuleDescriptor("bad", "n", "t", "m", "c", Severity.Error));

    [Fact]
    public void Messages_are_formatted_with_invariant_culture()
    {
        var d = new RuleDescriptor("TL9999", "n", "t", "{0} of {1:N1}", "c", Severity.Error);
        d.FormatMessage(3, 1234.5).ShouldBe("3 of 1,234.5");
    }

    [Fact]
    public void Synthetic_ids_are_stable_version_5_uuids()
    {
        var a = DeterministicIds.ForToolResult("toolu_01ABC");
        a.ShouldBe(DeterministicIds.ForToolResult("toolu_01ABC"));
        a.ShouldNotBe(DeterministicIds.ForToolResult("toolu_01ABD"));
        Guid.TryParse(a, out _).ShouldBeTrue();
        a[14].ShouldBe('5');
        "89ab".ShouldContain(a[19]);
    }

    [Fact]
    public void Equal_edits_compare_equal_so_the_fixer_applies_them_once()
    {
        var r = new EntryRef(3, "u");
        new DeleteEntry(r).ShouldBe(new DeleteEntry(r));
        new InsertEntryAfter(r, new SyntheticToolResult("t", "x", true)).ShouldBe(new InsertEntryAfter(r, new SyntheticToolResult("t", "x", true)));
        ReplaceValue.WithString(r, "/a", "é\"").ValueJson.ShouldBe("\"é\\\"\"");
    }

    [Fact]
    public void A_fix_spans_the_lines_its_edits_touch()
    {
        var fix = new Fix("t", Applicability.Safe, [new DeleteEntry(new EntryRef(9, null)), new SetParent(new EntryRef(4, "u"), "p")]);
        (fix.FirstLine, fix.LastLine).ShouldBe((4, 9));
        Should.Throw<ArgumentException>(() => new Fix("t", Applicability.Safe, []));
    }

    [Fact]
    public void Diagnostics_format_their_message_and_keep_the_fix()
    {
        var d = new RuleDescriptor("TL9999", "n", "t", "call {0} failed", "c", Severity.Warning) { FixAvailability = FixAvailability.Always };
        var fix = new Fix("t", Applicability.Unsafe, [new DeleteEntry(new EntryRef(1, null))]);
        var diag = Diagnostic.Create(d, new Location { Path = "p", StartLine = 1, EndLine = 1 }, fix, "x");
        diag.Message.ShouldBe("call x failed");
        diag.Fixes.ShouldBe([fix]);
        diag.Severity.ShouldBe(Severity.Warning);
        diag.WithSeverity(Severity.Error).Severity.ShouldBe(Severity.Error);
    }
}
