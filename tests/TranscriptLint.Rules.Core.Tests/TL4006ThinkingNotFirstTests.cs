using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4006 (ThinkingNotFirst): fixtures in fixtures/claude-code/TL4006/, doc in docs/rules/TL4006.md.</summary>
public sealed class TL4006ThinkingNotFirstTests : RuleFixtureTests<TL4006ThinkingNotFirstRule>
{
    private const string Id = RuleIdentifiers.ThinkingNotFirst;

    [Fact]
    public void Reports_the_first_real_block_and_offers_no_fix()
    {
        var d = FixtureFacts.Single(Id, "fires-text-before-thinking.jsonl", Id);
        d.Location.StartLine.ShouldBe(6);
        d.Message.ShouldContain("starts with a text block");
        d.Fixes.ShouldBeEmpty();
    }
}
