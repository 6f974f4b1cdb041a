using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL2002 (ParentCycle): fixtures in fixtures/claude-code/TL2002/, doc in docs/rules/TL2002.md.</summary>
public sealed class TL2002ParentCycleTests : RuleFixtureTests<TL2002ParentCycleRule>
{
    private const string Id = RuleIdentifiers.ParentCycle;

    [Fact]
    public void Reports_each_cycle_once_with_its_lines()
    {
        var d = FixtureFacts.Single(Id, "fires-prompt-reparented-onto-descendant.jsonl", Id);
        d.Message.ShouldContain("lines 4, 5, 6, 8, 9, 10");
        d.Fixes.ShouldBeEmpty();
    }
}
