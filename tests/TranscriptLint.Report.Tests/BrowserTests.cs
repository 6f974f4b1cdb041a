using System.Diagnostics;
using System.Text.RegularExpressions;
using TranscriptLint.Cli.Benchmarking;
using TranscriptLint.Reporting.Html;

namespace TranscriptLint.Tests;

/// <summary>The report as a person sees it: opened from file:// in headless Chromium.</summary>
public sealed class BrowserTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static string Samples => Path.Combine(RepoPaths.Fixtures, "samples");

    [ChromiumFact]
    public void The_samples_report_renders_its_findings_without_script_errors()
    {
        using var dir = new TempDir();
        var report = ReportRun.Of(dir.Path, Samples);
        var (dom, log) = Chromium.DumpDom(report.Path, Timeout);

        Rendered(dom, log);

        // The first file (worst first) is shown: its findings, their rules and the fix's title are on the page.
        foreach (var finding in report.File("a-429-synthetic-tail.jsonl").GetProperty("findings").EnumerateArray())
        {
            dom.ShouldContain(finding.GetProperty("id").GetString()!);
            dom.ShouldContain(System.Net.WebUtility.HtmlEncode(finding.GetProperty("message").GetString()!).Replace("&#39;", "'", StringComparison.Ordinal));
        }

        dom.ShouldContain("Findings per rule");
        dom.ShouldContain("Splice the harness-made row out of the chain");
        dom.ShouldContain("messages.7");

        var png = Path.Combine(dir.Path, "report.png");
        Chromium.Screenshot(report.Path, png, 1600, Timeout);
        var bytes = File.ReadAllBytes(png);
        bytes.Length.ShouldBeGreaterThan(20_000);
        bytes[..8].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
    }

    [ChromiumFact]
    public void Markup_in_a_transcript_does_not_run()
    {
        using var dir = new TempDir();
        var report = ReportRun.Of(dir.File("out"), HostileTranscript.Write(dir.File("hostile.jsonl")));
        var (dom, log) = Chromium.DumpDom(report.Path, Timeout);

        Rendered(dom, log);
        dom.ShouldNotContain("data-pwned=");
        Regex.IsMatch(dom, "<img[\\s>]", RegexOptions.IgnoreCase).ShouldBeFalse();

        // The payload is on the page as text.
        dom.ShouldContain("&lt;img src=x onerror=");
        dom.ShouldContain("&lt;/script&gt;&lt;script&gt;document.body.setAttribute");
    }

    [ChromiumFact]
    public void A_50_MB_session_stays_within_budget_and_renders()
    {
        using var dir = new TempDir();
        var session = dir.File("big.jsonl");
        const long Target = 50L * 1024 * 1024;
        var sample = new SessionGenerator(17).Write(session, 2_000);
        var input = new SessionGenerator(17).Write(session, (int)(2_000 * Target * 21 / 20 / sample));
        input.ShouldBeGreaterThan(Target);
        var watch = Stopwatch.StartNew();
        var report = ReportRun.Of(dir.File("out"), session);
        var reportTime = watch.Elapsed;
        ((long)report.Bytes.Length).ShouldBeLessThanOrEqualTo(HtmlReportOptions.BudgetFor(input));

        watch.Restart();
        var (dom, log) = Chromium.DumpDom(report.Path, TimeSpan.FromMinutes(3));
        Rendered(dom, log);

        // Paged: the first page of messages only, never the whole chain at once.
        var messages = report.Data.GetProperty("files")[0].GetProperty("messages").GetArrayLength();
        messages.ShouldBeGreaterThan(1000);
        Regex.Matches(dom, "<article class=\"msg ").Count.ShouldBeLessThanOrEqualTo(200);
        var renderMs = Regex.Match(dom, "data-render-ms=\"(\\d+)\"").Groups[1].Value;
        Console.WriteLine($"50 MB session: input {input:N0} bytes, {messages:N0} messages; report {report.Bytes.Length:N0} bytes in {reportTime.TotalSeconds:0.0} s; " +
            $"chromium load+dump {watch.Elapsed.TotalSeconds:0.0} s, script render {renderMs} ms");
    }

    private static void Rendered(string dom, string log)
    {
        dom.ShouldContain("data-rendered=\"ok\"", customMessage: "the report's script did not finish; browser log:\n" + log);
        dom.ShouldNotContain("data-report-errors=\"");
        log.ShouldNotContain("Uncaught");
        log.ShouldNotContain("Content Security Policy");
    }
}
