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

    // The RuleTester way, with an option: the same 3 KB result is clean under the default and reported under 2 KB.
    private static readonly string Session = string.Join('\n',
        """{"parentUuid":null,"sessionId":"848449c7-1fe8-4377-8cd4-1a0cc41091f6","type":"user","message":{"role":"user","content":"run the export"},"uuid":"f785e2e0-8b75-46cc-a4f2-928fa925b41f","timestamp":"2026-02-12T15:49:06.900Z"}""",
        """{"parentUuid":"f785e2e0-8b75-46cc-a4f2-928fa925b41f","sessionId":"848449c7-1fe8-4377-8cd4-1a0cc41091f6","type":"assistant","message":{"id":"msg_01Xq","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"tool_use","id":"toolu_01xlc2mh7lLyLvdsHye0ljWo","name":"Bash","input":{"command":"./export.sh"}}],"stop_reason":"tool_use"},"uuid":"27f1206d-fba1-4ce5-a51b-b3663a118a50","timestamp":"2026-02-12T15:49:08.000Z"}""",
        """{"parentUuid":"27f1206d-fba1-4ce5-a51b-b3663a118a50","sessionId":"848449c7-1fe8-4377-8cd4-1a0cc41091f6","type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_01xlc2mh7lLyLvdsHye0ljWo","type":"tool_result","content":""" + "\"" + string.Concat(Enumerable.Repeat(@"INFO export: wrote a row of 9000 (memo truncated)\n", 60)) + "\"" + """}]},"uuid":"3a9d1f4e-5b2c-4d8e-9f10-2a3b4c5d6e7f","timestamp":"2026-02-12T15:49:20.000Z"}""");

    [Fact]
    public void RuleTester_limit_is_an_option_and_no_fix_is_offered() => RuleTester.For<TL6002OversizedToolResultRule>().Run(
        valid: [new ValidCase(Session) { Name = "3 KB under the default 100 KB" }],
        invalid:
        [
            new InvalidCase(Session)
            {
                Name = "3 KB over maxBytes 2048",
                Options = new Dictionary<string, object?> { ["maxBytes"] = 2048 },
                Findings =
                [
                    new ExpectedFinding(Id, 3, 155, "The result for toolu_01xlc2mh7lLyLvdsHye0ljWo (Bash) is 3 KB, over the 2 KB limit; it fills the context on every later turn")
                    {
                        Severity = Severity.Note,
                    },
                ],
            },
        ]);

    [Fact]
    public void RuleTester_refuses_an_option_the_rule_does_not_declare() =>
        Should.Throw<RuleTestException>(() => RuleTester.For<TL6002OversizedToolResultRule>().Valid(new ValidCase(Session) { Options = new Dictionary<string, object?> { ["maxByte"] = 2048 } }))
            .Message.ShouldContain("options.TL6002.maxByte: unknown property 'maxByte' (expected one of maxBytes)");
}
