using TranscriptLint.Engine.Hosting;
using TranscriptLint.Rules.Core.Resume;

namespace TranscriptLint.Tests;

/// <summary>The built-in provider profiles, and rule severities per profile read from the rules' descriptors.</summary>
public sealed class ProviderProfilesTests
{
    [Fact]
    public void The_catalog_has_the_five_profiles_with_anthropic_as_default()
    {
        ProviderProfile.Names.ShouldBe(["anthropic", "bedrock", "vertex", "openai-chat", "openai-responses"]);
        new LintOptions().Profile.ShouldBeSameAs(ProviderProfile.Anthropic);
        ProviderProfile.Find(" Bedrock ").ShouldBeSameAs(ProviderProfile.Bedrock);
        ProviderProfile.Find(ProviderProfile.DefaultName).ShouldBeSameAs(ProviderProfile.Anthropic);
        ProviderProfile.Find("gemini").ShouldBeNull();
    }

    // The severities each built-in profile gave before they moved onto the descriptors (behaviour unchanged).
    [Theory]
    [InlineData("TL4003", "anthropic", Severity.Note)]
    [InlineData("TL4003", "vertex", Severity.Note)]
    [InlineData("TL4003", "bedrock", Severity.Error)]
    [InlineData("TL4003", "openai-chat", Severity.Warning)]
    [InlineData("TL4003", "openai-responses", Severity.Warning)]
    [InlineData("TL4005", "anthropic", Severity.Error)]
    [InlineData("TL4005", "bedrock", Severity.Error)]
    [InlineData("TL4005", "openai-chat", Severity.Note)]
    [InlineData("TL4005", "openai-responses", Severity.Note)]
    [InlineData("TL4006", "vertex", Severity.Error)]
    [InlineData("TL4006", "openai-chat", Severity.Note)]
    [InlineData("TL4006", "openai-responses", Severity.Note)]
    [InlineData("TL4009", "anthropic", Severity.Error)]
    [InlineData("TL4009", "openai-chat", Severity.Warning)]
    [InlineData("TL4009", "openai-responses", Severity.Warning)]
    public void A_profile_sets_a_rule_severity_through_the_rule_descriptor(string id, string profile, Severity expected)
    {
        var descriptor = new RuleDescriptor[]
        {
            TL4003ConsecutiveSameRoleRule.Descriptor, TL4005InvalidThinkingSignatureRule.Descriptor,
            TL4006ThinkingNotFirstRule.Descriptor, TL4009EndsOnAssistantRule.Descriptor,
        }.Single(d => d.Id == id);
        new LintOptions { Profile = ProviderProfile.Find(profile)! }.EffectiveSeverity(descriptor).ShouldBe(expected);
    }

    [Fact]
    public void Configured_severity_wins_over_the_profile() =>
        new LintOptions { Profile = ProviderProfile.Bedrock, Severities = new Dictionary<string, Severity> { ["TL4"] = Severity.Note } }
            .EffectiveSeverity(TL4003ConsecutiveSameRoleRule.Descriptor).ShouldBe(Severity.Note);

    [Fact]
    public void A_profile_the_descriptor_does_not_name_gets_the_default()
    {
        var descriptor = new RuleDescriptor("XX0001", "x", "X", "m", "Resume", Severity.Warning)
        {
            ProfileSeverities = new Dictionary<string, Severity> { ["bedrock"] = Severity.Error },
        };
        descriptor.SeverityOn(ProviderProfile.Bedrock).ShouldBe(Severity.Error);
        descriptor.SeverityOn(ProviderProfile.Anthropic).ShouldBe(Severity.Warning);
        descriptor.SeverityOn(new ProviderProfile("custom")).ShouldBe(Severity.Warning);
    }

    [Fact]
    public void A_custom_profile_with_contract_1_0_severity_overrides_still_applies_them()
    {
#pragma warning disable CS0618 // the obsolete 1.0 member is what this test checks
        var profile = new ProviderProfile("bedrock") { Severities = new Dictionary<string, Severity> { ["TL4003"] = Severity.Note } };
#pragma warning restore CS0618
        TL4003ConsecutiveSameRoleRule.Descriptor.SeverityOn(profile).ShouldBe(Severity.Note);
    }

    [Fact]
    public void Limits_differ_by_provider()
    {
        ProviderProfile.OpenAIChat.MaxToolIdLength.ShouldBe(40);
        ProviderProfile.OpenAIResponses.MaxToolIdLength.ShouldBe(64);
        ProviderProfile.Bedrock.MaxToolIdLength.ShouldBe(64);
        ProviderProfile.Anthropic.MaxToolIdLength.ShouldBeNull();
        ProviderProfile.All.Where(p => !p.AllowsAssistantPrefill).Select(p => p.Name).ShouldBe(["openai-chat", "openai-responses"]);
        ProviderProfile.All.Where(p => p.RequiresProviderMessageIds).Select(p => p.Name).ShouldBe(["anthropic"]);
        ProviderProfile.OpenAIChat.ContextWindowTokens.ShouldBeLessThan(ProviderProfile.Anthropic.ContextWindowTokens);
    }
}
