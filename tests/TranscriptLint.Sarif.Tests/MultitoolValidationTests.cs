using System.Diagnostics;
using System.Text.Json;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Tests;
using Xunit.Abstractions;

namespace TranscriptLint.Sarif.Tests;

/// <summary>
/// Microsoft's SARIF Multitool with GitHub's ingestion rules (<c>--rule-kind "Sarif;Ghas"</c>) finds no error in
/// any log we write. The tool is installed by <c>.ci/install-tools</c> (npm, into .tools/); without it the test is
/// skipped, with the reason in the skip message.
/// </summary>
public class MultitoolValidationTests(ITestOutputHelper output)
{
    [MultitoolFact]
    public void Every_fixture_log_passes_the_multitool_with_zero_errors()
    {
        var dir = Directory.CreateTempSubdirectory("tl-sarif-multitool-");
        try
        {
            var written = new List<string>();
            void Save(string name, byte[] bytes)
            {
                var path = Path.Combine(dir.FullName, name + ".sarif");
                File.WriteAllBytes(path, bytes);
                written.Add(path);
            }

            foreach (var fixture in SarifFixtures.All)
            {
                Save(fixture.Replace('/', '_'), SarifFixtures.Write(SarifFixtures.Lint(fixture)).Bytes);
            }

            var all = SarifFixtures.Lint([.. SarifFixtures.All]);
            Save("all-fixtures", SarifFixtures.Write(all).Bytes);
            Save("capped", SarifWriter.Build(SarifFixtures.Input(all), new SarifWriterOptions
            {
                SourceRoot = RepoPaths.Root, SourceRootUri = SarifFixtures.FixedRootUri, LocalPath = SarifFixtures.Options().LocalPath, MaxResults = 3,
            }).Bytes);
            var engine = new LintEngine([.. SarifFixtures.Rules, new LoadedRule(new GoldenAndCliTests.CrashingRule(), "tests")], new LintOptions());
            var crashed = engine.LintFile(Path.Combine(RepoPaths.Root, "fixtures/claude-code/common/a-429-synthetic-tail.jsonl"), "fixtures/claude-code/common/a-429-synthetic-tail.jsonl");
            Save("with-notification", SarifWriter.Build(new SarifRunInput { Results = [crashed], Rules = SarifRunInputs.EnabledRules(engine), Notifications = crashed.Notifications }, SarifFixtures.Options()).Bytes);

            Save("with-extensions-no-root-uri", ShardingLogs.WithExtensions(all));
            Save("merged-shards", ShardingLogs.Merged(all));

            // A negative control in the same run: a log GitHub would reject must be reported, or the check is vacuous.
            var broken = SarifFixtures.Text(SarifFixtures.Write(SarifFixtures.Lint("fixtures/claude-code/common/b-crash-mid-tool.jsonl")).Bytes)
                .Replace("\"message\": {", "\"message\": { \"id\": \"x\", \"arguments\": [] }, \"unused\": {", StringComparison.Ordinal);
            var brokenPath = Path.Combine(dir.FullName, "zz-broken-control.sarif");
            File.WriteAllText(brokenPath, broken);

            var report = Path.Combine(dir.FullName, "validation.out");
            var (exit, stdout) = Run(MultitoolFactAttribute.Binary!, "validate", Path.Combine(dir.FullName, "*.sarif"), "--rule-kind", "Sarif;Ghas", "--output", report, "--log", "ForceOverwrite");
            output.WriteLine(stdout);
            exit.ShouldBe(0, stdout);
            stdout.ShouldContain($"{written.Count + 1} files scanned");

            using var doc = JsonDocument.Parse(File.ReadAllText(report));
            var run = doc.RootElement.GetProperty("runs")[0];
            var findings = run.GetProperty("results").EnumerateArray().Select(r => (
                Level: r.TryGetProperty("level", out var l) ? l.GetString()! : "warning",
                Rule: r.GetProperty("ruleId").GetString()!,
                File: new Uri(r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath,
                Where: r.GetProperty("message").TryGetProperty("arguments", out var a) ? string.Join(" | ", a.EnumerateArray().Select(x => x.GetString())) : ""))
                .ToList();
            foreach (var f in findings)
            {
                output.WriteLine($"{f.Level} {f.Rule} {Path.GetFileName(f.File)}: {f.Where}");
            }

            findings.ShouldContain(f => f.File == brokenPath && f.Level == "error" && f.Rule == "GH1015", "the negative control was not flagged: is the Ghas rule kind running?");
            var errors = findings.Where(f => f.File != brokenPath && f.Level == "error").Select(f => $"{f.Rule} in {Path.GetFileName(f.File)}: {f.Where}").ToList();
            errors.ShouldBeEmpty();
            if (run.GetProperty("invocations")[0].TryGetProperty("toolExecutionNotifications", out var notes))
            {
                notes.EnumerateArray().Where(n => n.TryGetProperty("level", out var l) && l.GetString() == "error").ShouldBeEmpty();
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (int Exit, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a); // no shell: "Sarif;Ghas" arrives as one argument
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the SARIF Multitool did not finish within 5 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A fact that is skipped, with the reason, when the SARIF Multitool is not installed.</summary>
public sealed class MultitoolFactAttribute : FactAttribute
{
    /// <summary>The Multitool binary: $TRANSCRIPTLINT_SARIF_MULTITOOL, else where .ci/install-tools puts it.</summary>
    public static string? Binary { get; } = Find();

    public MultitoolFactAttribute()
    {
        if (Binary is null)
        {
            Skip = "SARIF Multitool not installed: run .ci/install-tools (npm @microsoft/sarif-multitool@5.7.0 into .tools/) or set TRANSCRIPTLINT_SARIF_MULTITOOL";
        }
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("TRANSCRIPTLINT_SARIF_MULTITOOL") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        var modules = Path.Combine(RepoPaths.Root, ".tools", "sarif-multitool", "node_modules", "@microsoft");
        string[] candidates =
        [
            Path.Combine(modules, "sarif-multitool-linux", "Sarif.Multitool"),
            Path.Combine(modules, "sarif-multitool-darwin", "Sarif.Multitool"),
            Path.Combine(modules, "sarif-multitool-win32", "Sarif.Multitool.exe"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }
}
