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
    public void Usage_counts_are_read_as_lookups_by_name_read_them(string usage, string? tokens) =>
        ShouldEstimate(LintResponse(1000, usage), tokens);

    // The lines of one response repeat its usage, and a line whose usage has the same bytes as the line before reuses
    // its count: a usage that differs in any byte (here only in digits, at the same length) is read again, and the
    // response's largest count is the one compared (a window of 500 tokens).
    [Theory]
    [InlineData("""{"input_tokens":100,"output_tokens":10}""", """{"input_tokens":900,"output_tokens":10}""", "910")]
    [InlineData("""{"input_tokens":900,"output_tokens":10}""", """{"input_tokens":900,"output_tokens":10}""", "910")]
    [InlineData("""{"input_tokens":100,"output_tokens":10}""", """{"input_tokens":100,"output_tokens":10}""", null)]
    [InlineData("""{"input_tokens":100,"output_tokens":10}""", """{"input_tokens":100, "output_tokens":10}""", null)]
    public void A_repeated_usage_is_counted_once_and_a_changed_one_again(string first, string second, string? tokens) =>
        ShouldEstimate(LintResponse(500, first, second), tokens);

    // A user prompt, then one response written as one assistant line per usage given (the lines share message.id),
    // linted with the given context window.
    private static List<Diagnostic> LintResponse(long window, params string[] usages)
    {
        const string Session = "49aadbef-ebd4-4041-a992-839aeb820d57";
        var jsonl = new System.Text.StringBuilder(
            $$"""{"parentUuid":null,"sessionId":"{{Session}}","type":"user","message":{"role":"user","content":"hi"},"uuid":"00000000-0000-4000-8000-000000000000","timestamp":"2026-02-12T13:14:00.000Z"}""" + "\n");
        for (var i = 0; i < usages.Length; i++)
        {
            jsonl.Append($$"""{"parentUuid":"00000000-0000-4000-8000-00000000000{{i}}","sessionId":"{{Session}}","type":"assistant","message":{"id":"msg_01","role":"assistant","model":"claude-opus-4-5","content":[{"type":"text","text":"ok {{i}}"}],"usage":{{usages[i]}}},"uuid":"00000000-0000-4000-8000-00000000000{{i + 1}}","timestamp":"2026-02-12T13:14:0{{i + 1}}.000Z"}""" + "\n");
        }

        var options = new LintOptions { RuleOptions = new Dictionary<string, RuleOptions> { [Id] = new(new Dictionary<string, JsonElement> { ["contextWindow"] = JsonDocument.Parse(window.ToString(System.Globalization.CultureInfo.InvariantCulture)).RootElement }) } };
        return [.. RuleHarness.LintText(jsonl.ToString(), options).Diagnostics.Where(d => d.Id == Id)];
    }

    private static void ShouldEstimate(List<Diagnostic> findings, string? tokens)
    {
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
