using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Profiles;

namespace TranscriptLint.Tests;

/// <summary>The built-in provider profiles and how they change rule severities.</summary>
public sealed class ProviderProfilesTests
{
    private static readonly RuleDescriptor ConsecutiveSameRole = new("TL4003", "consecutive-same-role", "Two messages of one role in a row", "m", "Resume", Severity.Warning);

    [Fact]
    public void The_catalog_has_the_five_profiles_with_anthropic_as_default()
    {
        ProviderProfiles.Names.ShouldBe(["anthropic", "bedrock", "vertex", "openai-chat", "openai-responses"]);
        new LintOptions().Profile.ShouldBeSameAs(ProviderProfiles.Anthropic);
        ProviderProfiles.Find(" Bedrock ").ShouldBeSameAs(ProviderProfiles.Bedrock);
        ProviderProfiles.Find("gemini").ShouldBeNull();
    }

    [Theory]
    [InlineData("anthropic", Severity.Note)]
    [InlineData("vertex", Severity.Note)]
    [InlineData("bedrock", Severity.Error)]
    [InlineData("openai-chat", Severity.Warning)]
    public void Profile_sets_the_severity_of_role_alternation(string profile, Severity expected) =>
        new LintOptions { Profile = ProviderProfiles.Find(profile)! }.EffectiveSeverity(ConsecutiveSameRole).ShouldBe(expected);

    [Fact]
    public void Configured_severity_wins_over_the_profile() =>
        new LintOptions { Profile = ProviderProfiles.Bedrock, Severities = new Dictionary<string, Severity> { ["TL4"] = Severity.Note } }
            .EffectiveSeverity(ConsecutiveSameRole).ShouldBe(Severity.Note);

    [Fact]
    public void Limits_differ_by_provider()
    {
        ProviderProfiles.OpenAIChat.MaxToolIdLength.ShouldBe(40);
        ProviderProfiles.OpenAIResponses.MaxToolIdLength.ShouldBe(64);
        ProviderProfiles.Bedrock.MaxToolIdLength.ShouldBe(64);
        ProviderProfiles.Anthropic.MaxToolIdLength.ShouldBeNull();
        ProviderProfiles.All.Where(p => !p.AllowsAssistantPrefill).Select(p => p.Name).ShouldBe(["openai-chat", "openai-responses"]);
        ProviderProfiles.All.Where(p => p.RequiresProviderMessageIds).Select(p => p.Name).ShouldBe(["anthropic"]);
        ProviderProfiles.OpenAIChat.ContextWindowTokens.ShouldBeLessThan(ProviderProfiles.Anthropic.ContextWindowTokens);
    }
}
