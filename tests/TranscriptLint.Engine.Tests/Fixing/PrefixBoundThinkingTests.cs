using TranscriptLint.Engine.Fixing;
using TranscriptLint.Fixes;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// Decision 0001: on models that bind signed thinking to the conversation before it, a fix that changes the chain
/// also removes the thinking after the change (and is Unsafe); on other models fixes are left as the rule made them.
/// </summary>
public sealed class PrefixBoundThinkingTests
{
    private static readonly string Fixture = Path.Combine(RepoPaths.Fixtures, "claude-code", "TL3001", "fires-call-before-prefix-bound-thinking.jsonl");

    [Theory]
    [InlineData("claude-fable-5-1", true)]
    [InlineData("claude-fable-5-2-20261015", true)]
    [InlineData("claude-mythos-5-1", true)]
    [InlineData("claude-opus-5-5", true)]
    [InlineData("claude-sonnet-5-5", true)]
    [InlineData("claude-haiku-5-5", true)]
    [InlineData("claude-opus-6", true)]
    [InlineData("claude-fable-5", false)]
    [InlineData("claude-opus-4-8", false)]
    [InlineData("claude-opus-4-6", false)]
    [InlineData("claude-sonnet-4-5-20250929", false)]
    [InlineData("claude-3-7-sonnet-20250219", false)]
    [InlineData("gpt-5", false)]
    [InlineData(null, false)]
    public void Knows_which_models_bind_thinking_to_its_prefix(string? model, bool binds) =>
        PrefixBoundThinking.BindsPrefix(model).ShouldBe(binds);

    [Fact]
    public void A_fix_before_bound_thinking_also_removes_it_and_is_unsafe()
    {
        var finding = FixerHarness.Lint(File.ReadAllBytes(Fixture)).Diagnostics.ShouldHaveSingleItem();
        var fix = finding.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        fix.Title.ShouldContain("remove the 1 signed thinking block(s) after it");
        fix.Edits.OfType<DeleteEntry>().Select(e => e.Target.Line).ShouldBe([11]);
        fix.Edits.OfType<SetParent>().ShouldContain(e => e.Target.Line == 12 && e.NewParentUuid == "cb50fe1f-2ab8-45ab-9a02-bbbe7edcda65");
    }

    [Fact]
    public void The_same_fix_on_a_model_that_does_not_bind_thinking_stays_safe_and_keeps_it()
    {
        var text = File.ReadAllText(Fixture).Replace("claude-fable-5-1", "claude-opus-4-8", StringComparison.Ordinal);
        var finding = FixerHarness.Lint(FixerHarness.Utf8(text)).Diagnostics.ShouldHaveSingleItem();
        var fix = finding.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        fix.Title.ShouldNotContain("thinking");
        fix.Edits.ShouldAllBe(e => e is InsertEntryAfter || e is SetParent);
        fix.Edits.ShouldNotContain(e => e.Target.Line == 11); // the thinking line stays
    }
}
