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
    // The provider's count is read in one pass over usage: a repeated name counts its last value and an escaped name
    // counts, as a lookup by name reads them (a window of 1,000 tokens, so the count alone decides).
    [Theory]
    [InlineData("""{"input_tokens":5,"input_tokens":2500,"output_tokens":10}""", "2510")]
    [InlineData("""{"input_tokens":2500,"input_tokens":5,"output_tokens":10}""", null)]
    [InlineData("""{"input\u005ftokens":700,"cache_read_input_tokens":400,"cache_creation_input_tokens":90,"output_tokens":20}""", "1210")]
    [InlineData("""{"input_tokens":2500.5,"output_tokens":"9000","cache_read_input_tokens":-3000}""", null)]
    public void Usage_counts_are_read_as_lookups_by_name_read_them(string usage, string? tokens)
    {
        const string Session = "49aadbef-ebd4-4041-a992-839aeb820d57";
        var jsonl =
            $$"""{"parentUuid":null,"sessionId":"{{Session}}","type":"user","message":{"role":"user","content":"hi"},"uuid":"11111111-1111-4111-8111-111111111111","timestamp":"2026-02-12T13:14:00.000Z"}""" + "\n" +
            $$"""{"parentUuid":"11111111-1111-4111-8111-111111111111","sessionId":"{{Session}}","type":"assistant","message":{"id":"msg_01","role":"assistant","model":"claude-opus-4-5","content":[{"type":"text","text":"ok"}],"usage":{{usage}}},"uuid":"22222222-2222-4222-8222-222222222222","timestamp":"2026-02-12T13:14:01.000Z"}""" + "\n";
        var options = new LintOptions { RuleOptions = new Dictionary<string, RuleOptions> { [Id] = new(new Dictionary<string, JsonElement> { ["contextWindow"] = JsonDocument.Parse("1000").RootElement }) } };
        var findings = RuleHarness.LintText(jsonl, options).Diagnostics.Where(d => d.Id == Id).ToList();
        if (tokens is null)
        {
            findings.ShouldBeEmpty();
        }
        else
        {
            findings.ShouldHaveSingleItem().Message.ShouldContain($"about {tokens} tokens");
        }
    }

    // The lines of one response repeat its usage, and a line whose usage has the same bytes as the line before reuses
    // its count: a usage that differs in any byte (here only in digits, at the same length) is read again, and the
    // response's largest count is the one compared (a window of 500 tokens).
    [Theory]
    [InlineData("""{"input_tokens":100,"output_tokens":10}""", """{"input_tokens":900,"output_tokens":10}""", "910")]
    [InlineData("""{"input_tokens":900,"output_tokens":10}""", """{"input_tokens":900,"output_tokens":10}""", "910")]
    [InlineData("""{"input_tokens":100,"output_tokens":10}""", """{"input_tokens":100,"output_tokens":10}""", null)]
    [InlineData("""{"input_tokens":100,"output_tokens":10}""", """{"input_tokens":100, "output_tokens":10}""", null)]
    public void A_repeated_usage_is_counted_once_and_a_changed_one_again(string first, string second, string? tokens)
    {
        const string Session = "49aadbef-ebd4-4041-a992-839aeb820d57";
        var jsonl =
            $$"""{"parentUuid":null,"sessionId":"{{Session}}","type":"user","message":{"role":"user","content":"hi"},"uuid":"11111111-1111-4111-8111-111111111111","timestamp":"2026-02-12T13:14:00.000Z"}""" + "\n" +
            $$"""{"parentUuid":"11111111-1111-4111-8111-111111111111","sessionId":"{{Session}}","type":"assistant","message":{"id":"msg_01","role":"assistant","model":"claude-opus-4-5","content":[{"type":"text","text":"ok"}],"usage":{{first}}},"uuid":"22222222-2222-4222-8222-222222222222","timestamp":"2026-02-12T13:14:01.000Z"}""" + "\n" +
            $$"""{"parentUuid":"22222222-2222-4222-8222-222222222222","sessionId":"{{Session}}","type":"assistant","message":{"id":"msg_01","role":"assistant","model":"claude-opus-4-5","content":[{"type":"text","text":"and"}],"usage":{{second}}},"uuid":"33333333-3333-4333-8333-333333333333","timestamp":"2026-02-12T13:14:02.000Z"}""" + "\n";
        var options = new LintOptions { RuleOptions = new Dictionary<string, RuleOptions> { [Id] = new(new Dictionary<string, JsonElement> { ["contextWindow"] = JsonDocument.Parse("500").RootElement }) } };
        var findings = RuleHarness.LintText(jsonl, options).Diagnostics.Where(d => d.Id == Id).ToList();
        if (tokens is null)
        {
            findings.ShouldBeEmpty();
        }
        else
        {
            findings.ShouldHaveSingleItem().Message.ShouldContain($"about {tokens} tokens");
        }
    }
}
