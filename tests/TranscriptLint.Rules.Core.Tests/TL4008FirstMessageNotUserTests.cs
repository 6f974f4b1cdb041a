using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4008 (FirstMessageNotUser): fixtures in fixtures/claude-code/TL4008/, doc in docs/rules/TL4008.md.</summary>
public sealed class TL4008FirstMessageNotUserTests : RuleFixtureTests<TL4008FirstMessageNotUserRule>
{
    private const string Id = RuleIdentifiers.FirstMessageNotUser;

    [Fact]
    public void Reports_the_first_line_without_a_fix()
    {
        var d = FixtureFacts.Single(Id, "fires-chain-starts-with-assistant.jsonl", Id);
        d.Location.StartLine.ShouldBe(1);
        d.Fixes.ShouldBeEmpty();
    }
}
