using System.Text.Json;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL6003 (ContextTooLong): fixtures in fixtures/claude-code/TL6003/, doc in docs/rules/TL6003.md.</summary>
public sealed class TL6003ContextTooLongTests : RuleFixtureTests<TL6003ContextTooLongRule>
{
    private const string Id = RuleIdentifiers.ContextTooLong;

    [Fact]
    public void Uses_the_providers_count_plus_an_estimate_for_what_follows()
    {
        var d = FixtureFacts.Single(Id, "fires-usage-over-window.jsonl", Id);
        d.Message.ShouldContain("provider's count for message 1 plus an estimate for the 1 messages after it");
        d.Message.ShouldContain("200000 tokens of the anthropic context window");
        d.Fixes.ShouldBeEmpty();
    }

    [Fact]
    public void Window_comes_from_the_profile_or_the_option()
    {
        const string Case = "clean-usage-under-window.jsonl";
        FixtureFacts.Findings(Id, Case, Id, new LintOptions { Profile = TranscriptLint.ProviderProfile.OpenAIResponses }).ShouldBeEmpty("400k window");
        var small = new LintOptions { RuleOptions = new Dictionary<string, RuleOptions> { [Id] = new(new Dictionary<string, JsonElement> { ["contextWindow"] = JsonDocument.Parse("100000").RootElement }) } };
        FixtureFacts.Findings(Id, Case, Id, small).ShouldHaveSingleItem();
    }
}
