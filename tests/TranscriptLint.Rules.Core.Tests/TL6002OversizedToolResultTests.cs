using System.Text.Json;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL6002 (OversizedToolResult): fixtures in fixtures/claude-code/TL6002/, doc in docs/rules/TL6002.md.</summary>
public sealed class TL6002OversizedToolResultTests : RuleFixtureTests<TL6002OversizedToolResultRule>
{
    private const string Id = RuleIdentifiers.OversizedToolResult;

    [Fact]
    public void Default_limit_is_100_kilobytes_and_no_fix_is_offered()
    {
        const string Case = "clean-log-under-default-limit.jsonl";
        var text = File.ReadAllText(FixtureFacts.PathOf(Id, Case));
        var log = FixtureFacts.Line(Id, Case, 7).GetProperty("message").GetProperty("content")[0].GetProperty("content").GetString()!;
        var big = string.Concat(Enumerable.Repeat(log + "\n", (110 * 1024 / log.Length) + 1));
        var jsonl = text.Replace(JsonSerializer.Serialize(log)[1..^1], JsonSerializer.Serialize(big)[1..^1], StringComparison.Ordinal);
        var d = RuleHarness.LintText(jsonl).Diagnostics.Where(x => x.Id == Id).ShouldHaveSingleItem();
        d.Message.ShouldContain("(Bash)");
        d.Message.ShouldContain("over the 100 KB limit");
        d.Fixes.ShouldBeEmpty();
    }

    [Fact]
    public void Limit_is_an_option()
    {
        var options = new LintOptions { RuleOptions = new Dictionary<string, RuleOptions> { [Id] = new(new Dictionary<string, JsonElement> { ["maxBytes"] = JsonDocument.Parse("100000").RootElement }) } };
        FixtureFacts.Findings(Id, "fires-log-dump-over-limit.jsonl", Id, options).ShouldBeEmpty();
    }
}
