using TranscriptLint.Engine.Hosting;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4009 (EndsOnAssistant): fixtures in fixtures/claude-code/TL4009/, doc in docs/rules/TL4009.md.</summary>
public sealed class TL4009EndsOnAssistantTests : RuleFixtureTests<TL4009EndsOnAssistantRule>
{
    private const string Id = RuleIdentifiers.EndsOnAssistant;

    [Fact]
    public void The_profile_decides_whether_prefill_is_allowed()
    {
        const string Case = "fires-openai-chat-ends-on-assistant.jsonl";
        foreach (var allowing in new[] { ProviderProfile.Anthropic, ProviderProfile.Bedrock, ProviderProfile.Vertex })
        {
            FixtureFacts.Findings(Id, Case, Id, new LintOptions { Profile = allowing }).ShouldBeEmpty(allowing.Name);
        }

        FixtureFacts.Findings(Id, Case, Id, new LintOptions { Profile = ProviderProfile.OpenAIResponses }).ShouldHaveSingleItem().Message.ShouldContain("openai-responses");
        FixtureFacts.Findings(Id, "clean-anthropic-ends-on-assistant.jsonl", Id, new LintOptions { Profile = ProviderProfile.OpenAIChat }).ShouldHaveSingleItem().Fixes.ShouldBeEmpty();
    }
}
