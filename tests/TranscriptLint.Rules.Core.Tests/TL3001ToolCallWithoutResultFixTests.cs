using TranscriptLint.Fixes;

namespace TranscriptLint.Tests;

public sealed partial class TL3001ToolCallWithoutResultTests
{
    [Fact]
    public void A_call_that_ends_the_session_gets_a_result_that_becomes_the_new_leaf()
    {
        var path = Path.Combine(RuleHarness.FixtureDir(RuleIdentifiersId), "fires-killed-during-tool-last-line.jsonl");
        var d = RuleHarness.Lint(path).Diagnostics.Single(x => x.Id == RuleIdentifiersId);
        var insert = d.Fixes.Single().Edits.Single().ShouldBeOfType<InsertEntryAfter>();
        insert.Target.ShouldBe(FixtureLines.Ref(path, 7));
        insert.Entry.ShouldBeOfType<SyntheticToolResult>().EndsChain.ShouldBeTrue("nothing follows the call, so the result ends the chain");

        // The golden fix gives it the call's timestamp plus 1 ms: a newest-timestamp leaf picker picks the result.
        var fixedLines = File.ReadAllLines(Path.ChangeExtension(path, ".fixed.jsonl"));
        var call = FixtureLines.Field(path, 7, "timestamp");
        using var inserted = System.Text.Json.JsonDocument.Parse(fixedLines[7]);
        DateTimeOffset.Parse(inserted.RootElement.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(DateTimeOffset.Parse(call, System.Globalization.CultureInfo.InvariantCulture).AddMilliseconds(1));
    }

    [Fact]
    public void A_call_mid_chain_keeps_the_calls_timestamp()
    {
        var path = Path.Combine(RuleHarness.FixtureDir("common"), "b-crash-mid-tool.jsonl");
        var d = RuleHarness.Lint(path).Diagnostics.Single(x => x.Id == RuleIdentifiersId);
        d.Fixes.Single().Edits.OfType<InsertEntryAfter>().Single().Entry.ShouldBeOfType<SyntheticToolResult>().EndsChain.ShouldBeFalse();
    }

    private const string RuleIdentifiersId = TranscriptLint.Rules.Core.RuleIdentifiers.ToolCallWithoutResult;
}
