using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL7002 (TitleOutsideTailWindow): fixtures in fixtures/claude-code/TL7002/, doc in docs/rules/TL7002.md.</summary>
public sealed class TL7002TitleOutsideTailWindowTests : RuleFixtureTests<TL7002TitleOutsideTailWindowRule>
{
    private const string Id = RuleIdentifiers.TitleOutsideTailWindow;

    [Fact]
    public void Fix_appends_a_byte_identical_copy_of_the_title_line_after_the_last_line()
    {
        const string Case = "fires-renamed-early-then-grew.jsonl";
        var d = FixtureFacts.Single(Id, Case, Id);
        d.Message.ShouldContain("\"gitleaks-fixtures\" (line 6)");
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        var insert = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<InsertEntryAfter>();
        var lines = File.ReadAllLines(FixtureFacts.PathOf(Id, Case));
        insert.Target.Line.ShouldBe(lines.Length);
        insert.Entry.ShouldBeOfType<RawJsonEntry>().Json.ShouldBe(lines[5]);
    }
}
