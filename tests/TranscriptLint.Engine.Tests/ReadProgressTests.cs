using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;
using TranscriptLint.Tests.Fixing;

namespace TranscriptLint.Tests;

/// <summary>
/// <c>LintFile</c>'s read progress (the CLI's "412 of 1,001 MB"): positions that only grow, every few MB, ending at the
/// file's length, on one thread and parsed ahead alike, and the same findings as without it.
/// </summary>
public sealed class ReadProgressTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reading_a_large_file_reports_growing_positions_up_to_its_length_and_finds_the_same(bool parseAhead)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tl-progress-{Guid.NewGuid():N}.jsonl");
        File.WriteAllBytes(path, RealSessions.Repeated(13 * 1024 * 1024));
        try
        {
            var options = new LintOptions { ParseAhead = parseAhead, ParseAheadFrom = 0 };
            var positions = new List<long>();
            var withProgress = new LintEngine(FixerHarness.Rules, options).LintFile(path, "big.jsonl", p =>
            {
                lock (positions)
                {
                    positions.Add(p);
                }
            });

            var length = new FileInfo(path).Length;
            positions.Count.ShouldBeGreaterThanOrEqualTo(3, "13 MB in steps of 4 MiB, then the end");
            positions.ShouldBeInOrder(SortDirection.Ascending);
            positions.Distinct().Count().ShouldBe(positions.Count, "each position once");
            positions[^1].ShouldBe(length);
            positions.SkipLast(1).Prepend(0).Zip(positions.SkipLast(1), (a, b) => b - a).ShouldAllBe(step => step >= 4 * 1024 * 1024, "a report every 4 MiB, not every read");

            var without = new LintEngine(FixerHarness.Rules, options).LintFile(path, "big.jsonl");
            Ids(withProgress).ShouldBe(Ids(without));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_fix_of_a_file_reports_each_lint_up_to_the_length_it_reads_and_writes_the_same_bytes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tl-progress-{Guid.NewGuid():N}.jsonl");
        var bytes = RealSessions.Repeated(9 * 1024 * 1024);
        File.WriteAllBytes(path, [.. bytes, .. "{\"type\":\"user\",\"uuid\":\"torn"u8]);
        try
        {
            var reports = new List<FixProgress>();
            var engine = new LintEngine(FixerHarness.Rules, new LintOptions());
            byte[] reported, silent;
            using (var source = FixSource.OpenFile(path))
            {
                var outcome = new TranscriptFixer(engine, new FixOptions { Progress = p => reports.Add(p) }).Fix(source, "big.jsonl");
                outcome.Changed.ShouldBeTrue("the torn line is removed");
                reported = outcome.Fixed;
            }

            using (var source = FixSource.OpenFile(path))
            {
                silent = new TranscriptFixer(engine, new FixOptions()).Fix(source, "big.jsonl").Fixed;
            }

            reported.ShouldBe(silent);
            reported.Length.ShouldBeLessThan(bytes.Length);
            reports.Select(r => r.Lint).Distinct().ShouldBe([1, 2], "the lint that finds the fix, then the one that checks the result");
            reports.ShouldAllBe(r => r.DisplayPath == "big.jsonl");
            foreach (var lint in reports.GroupBy(r => r.Lint))
            {
                lint.Select(r => r.Read).ShouldBeInOrder(SortDirection.Ascending);
                lint.Last().Read.ShouldBe(lint.Last().Length, $"lint {lint.Key} reads to the end");
            }

            reports.First(r => r.Lint == 1).Length.ShouldBe(new FileInfo(path).Length);
            reports.First(r => r.Lint == 2).Length.ShouldBe(reported.Length, "the second lint reads the fixed content (the repeated sessions' copies removed too)");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<string> Ids(FileLintResult result) => [.. result.Diagnostics.Select(d => $"{d.Id} {d.Location.StartLine}")];
}
