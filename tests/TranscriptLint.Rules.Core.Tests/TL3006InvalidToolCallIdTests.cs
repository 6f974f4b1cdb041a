using TranscriptLint.Engine.Hosting;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL3006 (InvalidToolCallId): fixtures in fixtures/claude-code/TL3006/, doc in docs/rules/TL3006.md.</summary>
public sealed class TL3006InvalidToolCallIdTests : RuleFixtureTests<TL3006InvalidToolCallIdRule>
{
    private const string Id = RuleIdentifiers.InvalidToolCallId;

    [Fact]
    public void Length_limit_comes_from_the_profile()
    {
        const string Case = "fires-openai-chat-id-too-long.jsonl";
        FixtureFacts.Findings(Id, Case, Id, new LintOptions()).ShouldBeEmpty("anthropic sets no length limit");
        FixtureFacts.Findings(Id, Case, Id, new LintOptions { Profile = ProviderProfile.OpenAIResponses }).ShouldBeEmpty("45 characters fit the Responses limit of 64");
        FixtureFacts.Findings(Id, Case, Id, new LintOptions { Profile = ProviderProfile.OpenAIChat }).ShouldHaveSingleItem().Message.ShouldContain("at most 40");
    }

    [Fact]
    public void Bedrock_rejects_ids_over_64_characters()
    {
        var text = File.ReadAllText(FixtureFacts.PathOf(Id, "clean-toolu-ids.jsonl"));
        var id = FixtureFacts.Line(Id, "clean-toolu-ids.jsonl", 6).GetProperty("message").GetProperty("content")[0].GetProperty("id").GetString()!;
        var longId = id + new string('x', 65 - id.Length);
        var jsonl = text.Replace(id, longId, StringComparison.Ordinal);
        RuleHarness.LintText(jsonl, new LintOptions { Profile = ProviderProfile.Bedrock }).Diagnostics.ShouldContain(d => d.Id == Id && d.Message.Contains("65 characters"));
        RuleHarness.LintText(jsonl, new LintOptions { Profile = ProviderProfile.Anthropic }).Diagnostics.ShouldNotContain(d => d.Id == Id);
    }

    [Fact]
    public void Message_names_the_offending_character_and_no_fix_is_offered()
    {
        var d = FixtureFacts.Single(Id, "fires-foreign-id-characters.jsonl", Id);
        d.Message.ShouldContain("'.'");
        d.Fixes.ShouldBeEmpty();
    }
}
