using System.Text;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Tests.Fixing;

namespace TranscriptLint.Tests;

/// <summary><see cref="LintOptions.TimeRules"/> (<c>lint --timing</c>): each rule's time in its actions, only when asked.</summary>
public sealed class RuleTimingTests
{
    private static readonly byte[] Transcript = Encoding.UTF8.GetBytes(
        """
        {"type":"user","uuid":"00000000-0000-4000-8000-000000000001","parentUuid":null,"sessionId":"s","timestamp":"2026-01-01T00:00:00.000Z","message":{"role":"user","content":"hi"}}
        {"type":"assistant","uuid":"00000000-0000-4000-8000-000000000002","parentUuid":"00000000-0000-4000-8000-000000000001","sessionId":"s","timestamp":"2026-01-01T00:00:01.000Z","message":{"id":"msg_1","role":"assistant","model":"claude-x","content":[{"type":"text","text":"ok"}]}}

        """);

    [Fact]
    public void Off_by_default_no_time_is_kept()
    {
        using var stream = new MemoryStream(Transcript, writable: false);
        new LintEngine([.. FixerHarness.Rules, new LoadedRule(new Busy(), "tests")], new LintOptions()).LintStream(stream, "t.jsonl").RuleTimes.ShouldBeEmpty();
    }

    [Fact]
    public void Each_rule_that_ran_gets_the_time_spent_in_its_actions()
    {
        using var stream = new MemoryStream(Transcript, writable: false);
        var times = new LintEngine([.. FixerHarness.Rules, new LoadedRule(new Busy(), "tests")], new LintOptions { TimeRules = true }).LintStream(stream, "t.jsonl").RuleTimes;
        times.Keys.ShouldContain("TL3001");
        times.Values.ShouldAllBe(t => t >= TimeSpan.Zero);
        times["TST9004"].ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(2 * Busy.PerLine.TotalMilliseconds), "two lines, each at least the busy wait");
        times["TST9004"].ShouldBeGreaterThan(times["TL3001"]);
    }

    // Waits a fixed time on every entry, so its share is known.
    private sealed class Busy : TranscriptRule
    {
        public static readonly TimeSpan PerLine = TimeSpan.FromMilliseconds(20);
        private static readonly RuleDescriptor Descriptor = new("TST9004", "busy", "Busy", "{0}", "Test", Severity.Warning);

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

        public override void Initialize(RuleInitializationContext context) => context.RegisterEntryAction(_ =>
        {
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(PerLine.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
            }
        });
    }
}
