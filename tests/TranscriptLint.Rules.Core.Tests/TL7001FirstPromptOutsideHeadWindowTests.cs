using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL7001 (FirstPromptOutsideHeadWindow): fixtures in fixtures/claude-code/TL7001/, doc in docs/rules/TL7001.md.</summary>
public sealed class TL7001FirstPromptOutsideHeadWindowTests : RuleFixtureTests<TL7001FirstPromptOutsideHeadWindowRule>
{
    private const string Id = RuleIdentifiers.FirstPromptOutsideHeadWindow;

    [Fact]
    public void Finding_gives_where_the_prompt_ends_and_the_window()
    {
        var d = FixtureFacts.Single(Id, "fires-pasted-plan-first-prompt.jsonl", Id);
        d.Message.ShouldContain("The first prompt (line 5) ends at byte ");
        d.Message.ShouldContain("beyond the first 64 KB");
        d.Fixes.ShouldBeEmpty();
    }
}
