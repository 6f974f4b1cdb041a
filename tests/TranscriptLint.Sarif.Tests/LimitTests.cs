using System.IO.Compression;
using System.Text.Json;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Sarif.Tests;

/// <summary>GitHub's limits: at most N results per run and 10 MB gzipped; past either the most severe are kept.</summary>
public class LimitTests
{
    private static readonly IReadOnlyList<FileLintResult> AllResults = SarifFixtures.Lint([.. SarifFixtures.All]);

    private static int Total => AllResults.Sum(r => r.Diagnostics.Count);

    private static int Errors => Count(Severity.Error);

    private static int Count(Severity severity) => AllResults.Sum(r => r.Diagnostics.Count(d => d.Severity == severity));

    private static (List<string> Levels, JsonElement Run, JsonDocument Doc) Parse(byte[] bytes)
    {
        var doc = JsonDocument.Parse(bytes);
        var run = doc.RootElement.GetProperty("runs")[0];
        var levels = run.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("level").GetString()!).ToList();
        return (levels, run, doc);
    }

    [Fact]
    public void The_fixtures_mix_errors_and_warnings()
    {
        Errors.ShouldBeGreaterThan(5);
        (Total - Errors).ShouldBeGreaterThan(2);
    }

    [Fact]
    public void Past_the_result_cap_only_the_most_severe_are_kept_and_the_cut_is_recorded()
    {
        var options = new SarifWriterOptions { SourceRoot = SarifFixtures.Options().SourceRoot, SourceRootUri = SarifFixtures.FixedRootUri, LocalPath = SarifFixtures.Options().LocalPath, MaxResults = Errors - 3 };
        var (bytes, report) = SarifWriter.Build(SarifFixtures.Input(AllResults), options);

        report.ResultCount.ShouldBe(Errors - 3);
        report.OmittedResults.ShouldBe(Total - (Errors - 3));
        report.Warnings.ShouldContain(w => w.Contains($"kept {Errors - 3} of {Total} results", StringComparison.Ordinal));
        SchemaValidationTests.AssertValid(bytes, "a capped log");

        var (levels, run, doc) = Parse(bytes);
        using (doc)
        {
            levels.ShouldAllBe(l => l == "error");
            var cut = run.GetProperty("properties").GetProperty("transcriptLint/truncation");
            cut.GetProperty("omittedResults").GetInt32().ShouldBe(Total - (Errors - 3));
            cut.GetProperty("omittedByLevel").GetProperty("error").GetInt32().ShouldBe(3);
            cut.GetProperty("omittedByLevel").GetProperty("warning").GetInt32().ShouldBe(Count(Severity.Warning));
            if (Count(Severity.Note) > 0)
            {
                cut.GetProperty("omittedByLevel").GetProperty("note").GetInt32().ShouldBe(Count(Severity.Note));
            }
            cut.GetProperty("maxResults").GetInt32().ShouldBe(Errors - 3);
            var notes = run.GetProperty("invocations")[0].GetProperty("toolExecutionNotifications").EnumerateArray().ToList();
            notes.ShouldContain(n => n.GetProperty("level").GetString() == "warning" && n.GetProperty("message").GetProperty("text").GetString()!.Contains("left out", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_cap_above_the_errors_keeps_every_error_and_the_first_warnings()
    {
        var options = new SarifWriterOptions { SourceRoot = SarifFixtures.Options().SourceRoot, SourceRootUri = SarifFixtures.FixedRootUri, LocalPath = SarifFixtures.Options().LocalPath, MaxResults = Errors + 2 };
        var (bytes, report) = SarifWriter.Build(SarifFixtures.Input(AllResults), options);
        report.OmittedResults.ShouldBe(Total - Errors - 2);
        var (levels, _, doc) = Parse(bytes);
        doc.Dispose();
        levels.Count(l => l == "error").ShouldBe(Errors);
        levels.Count(l => l == "warning").ShouldBe(2);
    }

    [Fact]
    public void Notes_are_cut_before_warnings()
    {
        var engine = SarifFixtures.Engine(new LintOptions { Severities = new Dictionary<string, Severity> { ["TL2001"] = Severity.Note } });
        var results = SarifFixtures.All.Select(f => engine.LintFile(Path.Combine(TranscriptLint.Tests.RepoPaths.Root, f), f)).ToList();
        var notes = results.Sum(r => r.Diagnostics.Count(d => d.Severity == Severity.Note));
        var total = results.Sum(r => r.Diagnostics.Count);
        notes.ShouldBeGreaterThan(0);
        var options = new SarifWriterOptions { SourceRoot = SarifFixtures.Options().SourceRoot, SourceRootUri = SarifFixtures.FixedRootUri, LocalPath = SarifFixtures.Options().LocalPath, MaxResults = total - notes };
        var (bytes, report) = SarifWriter.Build(SarifFixtures.Input(results, engine), options);
        report.OmittedResults.ShouldBe(notes);
        var (levels, _, doc) = Parse(bytes);
        doc.Dispose();
        levels.ShouldNotContain("note");
        levels.Count.ShouldBe(total - notes);
    }

    [Fact]
    public void Past_the_gzip_cap_results_are_dropped_until_the_file_fits()
    {
        var full = SarifFixtures.Write(AllResults).Bytes;
        var fullGzip = GzipLength(full);
        var withoutResults = SarifWriter.Build(SarifFixtures.Input([.. AllResults.Select(r => new FileLintResult
        {
            Path = r.Path, Dialect = r.Dialect, Sha256 = r.Sha256, LineCount = r.LineCount, Length = r.Length, Diagnostics = [], Notifications = [],
        })]), SarifFixtures.Options()).Bytes;
        var cap = (GzipLength(withoutResults) + fullGzip) / 2; // room for some results, not all
        var options = new SarifWriterOptions { SourceRoot = SarifFixtures.Options().SourceRoot, SourceRootUri = SarifFixtures.FixedRootUri, LocalPath = SarifFixtures.Options().LocalPath, MaxGzipBytes = cap };

        var (bytes, report) = SarifWriter.Build(SarifFixtures.Input(AllResults), options);

        GzipLength(bytes).ShouldBeLessThanOrEqualTo(cap);
        report.ResultCount.ShouldBeGreaterThan(0);
        report.OmittedResults.ShouldBeGreaterThan(0);
        (report.ResultCount + report.OmittedResults).ShouldBe(Total);
        report.Warnings.ShouldContain(w => w.Contains("gzip", StringComparison.Ordinal));
        SchemaValidationTests.AssertValid(bytes, "a log cut to fit the gzip cap");
        var (levels, run, doc) = Parse(bytes);
        using (doc)
        {
            var omittedErrors = run.GetProperty("properties").GetProperty("transcriptLint/truncation").GetProperty("omittedByLevel").TryGetProperty("error", out var e) ? e.GetInt32() : 0;
            if (omittedErrors > 0)
            {
                levels.ShouldAllBe(l => l == "error", "a warning was kept while an error was cut");
            }
        }
    }

    private static long GzipLength(byte[] bytes)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(bytes);
        }

        return ms.Length;
    }
}
