using System.Collections.Concurrent;
using System.Text;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;
using TranscriptLint.Tests.Fixing;

namespace TranscriptLint.Tests;

/// <summary>
/// The rules run under the watchdog on a thread the caller keeps from one file to the next (<see cref="RulesThread"/>):
/// not the caller's own thread, the same one for each file, a new one after the watchdog gave up on a rule, and the
/// same findings as a run without the watchdog.
/// </summary>
public sealed class RulesThreadTests
{
    private static readonly byte[] Transcript = Encoding.UTF8.GetBytes(
        """
        {"type":"user","uuid":"00000000-0000-4000-8000-000000000001","parentUuid":null,"sessionId":"s","timestamp":"2026-01-01T00:00:00.000Z","message":{"role":"user","content":"hi"}}
        {"type":"assistant","uuid":"00000000-0000-4000-8000-000000000002","parentUuid":"00000000-0000-4000-8000-000000000001","sessionId":"s","timestamp":"2026-01-01T00:00:01.000Z","message":{"id":"msg_1","role":"assistant","model":"claude-x","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{}}]}}

        """);

    [Fact]
    public void Files_linted_one_after_another_run_their_rules_on_one_kept_thread_not_the_callers()
    {
        var rule = new ThreadRecorder();
        var engine = new LintEngine([.. FixerHarness.Rules, new LoadedRule(rule, "tests")], new LintOptions { RuleTimeout = TimeSpan.FromSeconds(30) });

        for (var i = 0; i < 3; i++)
        {
            using var stream = new MemoryStream(Transcript, writable: false);
            engine.LintStream(stream, $"t{i}.jsonl");
        }

        var threads = rule.Threads.Distinct().ToList();
        threads.ShouldHaveSingleItem("one thread for the three files");
        threads[0].ShouldNotBe(Environment.CurrentManagedThreadId);
    }

    [Fact]
    public void After_the_watchdog_gives_up_on_a_rule_the_next_file_runs_on_a_new_thread_with_the_same_findings()
    {
        var stuck = new StuckOnce();
        var engine = new LintEngine([.. FixerHarness.Rules, new LoadedRule(stuck, "tests")], new LintOptions { RuleTimeout = TimeSpan.FromMilliseconds(200) });
        using (var first = new MemoryStream(Transcript, writable: false))
        {
            engine.LintStream(first, "first.jsonl").Notifications.ShouldContain(n => n.Message.Contains("TST9002", StringComparison.Ordinal) && n.Message.Contains("was stopped", StringComparison.Ordinal));
        }

        var recorder = new ThreadRecorder();
        var next = new LintEngine([.. FixerHarness.Rules, new LoadedRule(recorder, "tests")], new LintOptions { RuleTimeout = TimeSpan.FromSeconds(30) });
        using var second = new MemoryStream(Transcript, writable: false);
        var result = next.LintStream(second, "second.jsonl");

        recorder.Threads.Distinct().ShouldHaveSingleItem().ShouldNotBe(stuck.StuckThread, "the stuck thread is never given another file");
        using var unwatched = new MemoryStream(Transcript, writable: false);
        var expected = new LintEngine(FixerHarness.Rules, new LintOptions { RuleTimeout = TimeSpan.Zero }).LintStream(unwatched, "second.jsonl");
        result.Diagnostics.Select(d => d.ToString()).ShouldBe(expected.Diagnostics.Select(d => d.ToString()));
        result.Diagnostics.ShouldContain(d => d.Id == "TL3001", "the unanswered call");
        stuck.Release();
    }

    // The run without the stopped rule is the result: its rendered fixes (SARIF's replacements, the fixer's edits), line
    // hashes (baselines), unparsed lines (what the fixer repairs first) and timings come through with the notices.
    [Fact]
    public void A_file_linted_again_without_a_stopped_rule_keeps_everything_that_run_found()
    {
        var torn = Transcript.Concat("{\"type\":\"user\",\"uuid\":\"00000000-0000-4000-80\n"u8.ToArray()).ToArray();
        var stuck = new StuckOnce();
        FileLintResult result;
        using (var stream = new MemoryStream(torn, writable: false))
        {
            result = new LintEngine([.. FixerHarness.Rules, new LoadedRule(stuck, "tests")], new LintOptions { RuleTimeout = TimeSpan.FromMilliseconds(200), TimeRules = true }).LintStream(stream, "torn.jsonl");
        }

        stuck.Release();
        result.Notifications.ShouldContain(n => n.Message.Contains("was stopped", StringComparison.Ordinal));
        using var unwatched = new MemoryStream(torn, writable: false);
        var expected = new LintEngine(FixerHarness.Rules, new LintOptions { RuleTimeout = TimeSpan.Zero }).LintStream(unwatched, "torn.jsonl");
        expected.UnparsedLines.ShouldBe([3]);
        result.UnparsedLines.ShouldBe(expected.UnparsedLines);
        expected.LineHashes.ShouldNotBeEmpty();
        result.LineHashes.ShouldBe(expected.LineHashes);
        expected.RenderedFixes.ShouldNotBeEmpty();
        static List<string> Rendered(FileLintResult r) => [.. r.RenderedFixes.Values.SelectMany(f => f.Edits.Select(e => e.ToString())).Order(StringComparer.Ordinal)];
        Rendered(result).ShouldBe(Rendered(expected));
        result.RuleTimes.Keys.ShouldContain("TL3001");
        result.RuleTimes.Keys.ShouldNotContain("TST9002", "the stopped rule did not run on the result's try");
    }

    private sealed class ThreadRecorder : TranscriptRule
    {
        private static readonly RuleDescriptor Descriptor = new("TST9003", "records-threads", "Records threads", "{0}", "Test", Severity.Warning);

        public ConcurrentQueue<int> Threads { get; } = new();

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

        public override void Initialize(RuleInitializationContext context) => context.RegisterEntryAction(_ => Threads.Enqueue(Environment.CurrentManagedThreadId));
    }

    private sealed class StuckOnce : TranscriptRule
    {
        private static readonly RuleDescriptor Descriptor = new("TST9002", "stuck-once", "Stuck once", "{0}", "Test", Severity.Warning);
        private readonly ManualResetEventSlim _release = new();
        private int _entered;

        public int StuckThread { get; private set; }

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

        public void Release() => _release.Set();

        public override void Initialize(RuleInitializationContext context) => context.RegisterEntryAction(_ =>
        {
            if (Interlocked.Exchange(ref _entered, 1) == 0)
            {
                StuckThread = Environment.CurrentManagedThreadId;
                _release.Wait(TimeSpan.FromSeconds(30));
            }
        });
    }
}
