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

    [Fact]
    public void A_file_large_enough_for_rows_says_how_its_index_was_kept_and_why()
    {
        var large = new LintOptions { TimeRules = true, EntryRowsFrom = 0 }; // every file counts as large
        IndexStorage(large, Transcript).ShouldBe("rows");
        IndexStorage(large, Transcript, new ObjectModel()).ShouldBe("entries: rule TST9005 reads the object model (a conversation action)");
        var codex = File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "codex", "TL3001", "clean-parallel-outputs-after-calls.jsonl"));
        IndexStorage(large, codex).ShouldBe("entries: the codex format has no rows yet");

        IndexStorage(new LintOptions { EntryRowsFrom = 0 }, Transcript).ShouldBeNull("timing off");
        IndexStorage(new LintOptions { TimeRules = true }, Transcript).ShouldBeNull("a small file: entries die young, rows start at 32 MiB");
    }

    private static string? IndexStorage(LintOptions options, byte[] transcript, TranscriptRule? extra = null)
    {
        using var stream = new MemoryStream(transcript, writable: false);
        return new LintEngine([.. FixerHarness.Rules, .. extra is null ? Array.Empty<LoadedRule>() : [new LoadedRule(extra, "tests")]], options).LintStream(stream, "t.jsonl").IndexStorage;
    }

    // A plugin on the object model: its conversation action makes the host keep entries.
    private sealed class ObjectModel : TranscriptRule
    {
        private static readonly RuleDescriptor Descriptor = new("TST9005", "object-model", "Object model", "{0}", "Test", Severity.Warning);

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

        public override void Initialize(RuleInitializationContext context) => context.RegisterConversationAction(_ => { });
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
