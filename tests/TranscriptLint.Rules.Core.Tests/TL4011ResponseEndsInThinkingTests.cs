using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4011 (ResponseEndsInThinking): fixtures in fixtures/claude-code/TL4011/, doc in docs/rules/TL4011.md.</summary>
public sealed class TL4011ResponseEndsInThinkingTests : RuleFixtureTests<TL4011ResponseEndsInThinkingRule>
{
    private const string Id = RuleIdentifiers.ResponseEndsInThinking;
    private const string Case = "fires-interrupted-interleaved-turn.jsonl";

    [Fact]
    public void Fix_removes_every_line_of_the_response_and_its_result_and_rejoins_the_next_prompt()
    {
        var d = FixtureFacts.Single(Id, Case, Id);
        d.Message.ShouldContain("msg_01HyqwuYhFr9A7TTSFFTVWEw");
        d.Message.ShouldContain("after its tool call toolu_");
        d.Location.StartLine.ShouldBe(17);
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        fix.Edits.OfType<DeleteEntry>().Select(e => e.Target.Line).ShouldBe([15, 16, 17, 20]);
        var beforeTurn = FixtureFacts.Uuid(Id, Case, 14);
        fix.Edits.OfType<SetParent>().ShouldContain(p => p.Target.Line == 21 && p.NewParentUuid == beforeTurn);
        fix.Edits.OfType<SetParent>().ShouldAllBe(p => p.NewParentUuid == beforeTurn);
    }

    [Fact]
    public void After_the_fix_the_session_lints_clean()
    {
        var golden = Path.ChangeExtension(FixtureFacts.PathOf(Id, Case), ".unsafe-fixed.jsonl");
        RuleHarness.Lint(golden).Diagnostics.ShouldBeEmpty();
    }
}
