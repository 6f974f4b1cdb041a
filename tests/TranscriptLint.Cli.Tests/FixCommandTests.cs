using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using TranscriptLint.Cli;
using TranscriptLint.Cli.Commands;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests;

public sealed class FixCommandTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tl-fix-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string relative) => Path.Combine(RepoPaths.Fixtures, "claude-code", relative);

    private string Copy(string relative)
    {
        var target = Path.Combine(_dir, Path.GetFileName(relative));
        File.Copy(Fixture(relative), target);
        return target;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Diff_unified_prints_a_unified_diff_changes_nothing_and_exits_1()
    {
        var path = Copy("common/b-crash-mid-tool.jsonl");
        var (code, stdout, _) = Run("fix", "--diff=unified", path);
        code.ShouldBe(1);
        stdout.ShouldContain("+++ b");
        stdout.ShouldContain("@@ -8,7 +8,8 @@");
        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl")));
        File.Exists(path + ".bak").ShouldBeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_folder_with_no_transcript_is_a_usage_error_as_in_lint(bool diff)
    {
        var dir = Directory.CreateTempSubdirectory("tl-empty-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "not a transcript");
            var (code, stdout, stderr) = diff ? Run("fix", dir, "--diff") : Run("fix", dir);
            code.ShouldBe(2);
            stdout.ShouldBeEmpty();
            stderr.ShouldContain($"no transcript to fix: {dir} matched no transcript");
            Run("lint", dir).Code.ShouldBe(2);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Diff_on_a_clean_session_exits_0_with_no_diff()
    {
        var path = Copy("TL3001/clean-parallel-side-branches.jsonl");
        var (code, stdout, _) = Run("fix", "--diff", path);
        code.ShouldBe(0);
        stdout.ShouldBeEmpty();
    }

    [Fact]
    public void Fix_writes_the_golden_output_keeps_a_backup_and_is_then_a_no_op()
    {
        var path = Copy("common/b-crash-mid-tool.jsonl");
        var (code, stdout, _) = Run("fix", path);
        code.ShouldBe(0);
        stdout.ShouldContain("fixed TL3001");
        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture("common/b-crash-mid-tool.fixed.jsonl")));
        File.ReadAllBytes(path + ".bak").ShouldBe(File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl")));

        var again = Run("fix", "--diff", path);
        again.Code.ShouldBe(0);
        Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["b-crash-mid-tool.jsonl", "b-crash-mid-tool.jsonl.bak"]);
    }

    [Fact]
    public void No_backup_leaves_no_bak_file()
    {
        var path = Copy("common/a-429-synthetic-tail.jsonl");
        Run("fix", "--no-backup", path).Code.ShouldBe(0);
        File.Exists(path + ".bak").ShouldBeFalse();
        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture("common/a-429-synthetic-tail.fixed.jsonl")));
    }

    [Fact]
    public void Findings_left_after_safe_fixes_exit_1_and_unsafe_fixes_repair_them()
    {
        // A dangling parent has only an Unsafe fix (re-parenting is a guess): plain fix leaves it and says how.
        const string Case = "TL2001/fires-dangling-parent-mid-file";
        var path = Copy(Case + ".jsonl");
        var (code, stdout, _) = Run("fix", "--no-backup", path);
        code.ShouldBe(1);
        stdout.ShouldContain("TL2001");
        stdout.ShouldContain("--unsafe-fixes");
        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture(Case + ".jsonl")));

        Run("fix", "--no-backup", "--unsafe-fixes", path).Code.ShouldBe(0);
        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture(Case + ".unsafe-fixed.jsonl")));
    }

    [Fact]
    public void Fixes_read_back_from_our_own_sarif_repair_the_file_and_a_changed_file_is_refused()
    {
        var crash = Copy("common/b-crash-mid-tool.jsonl");
        var tail = Copy("common/a-429-synthetic-tail.jsonl");
        var sarif = Path.Combine(_dir, "report.sarif");
        Run("lint", crash, tail, "--format", "sarif", "--output", sarif, "--source-root", _dir).Code.ShouldBe(1);

        File.AppendAllText(tail, "{\"type\":\"last-prompt\",\"lastPrompt\":\"x\"}\n"); // an agent kept writing
        var (code, stdout, stderr) = Run("fix", "--no-backup", "--from-sarif", sarif, "--source-root", _dir);

        code.ShouldBe(2, "one transcript changed after the report was written");
        stderr.ShouldContain("a-429-synthetic-tail.jsonl is not the file the report was made from");
        stdout.ShouldContain("fixed TL3001");
        File.ReadAllBytes(crash).ShouldBe(File.ReadAllBytes(Fixture("common/b-crash-mid-tool.fixed.jsonl")));
        File.ReadAllText(tail).ShouldContain("API Error", Case.Sensitive, "the refused file is left alone");
    }

    [Fact]
    public void Usage_errors_exit_2_in_one_line()
    {
        var (code, _, stderr) = Run("fix");
        code.ShouldBe(2);
        stderr.ShouldStartWith("transcriptlint: error:");
        stderr.Trim().Split('\n').Length.ShouldBe(1);

        Run("fix", Path.Combine(_dir, "missing.jsonl")).Code.ShouldBe(2);
    }

    [Fact]
    public void From_sarif_with_a_missing_report_is_a_usage_error()
    {
        var path = Copy("common/b-crash-mid-tool.jsonl");
        var (code, _, stderr) = Run("fix", "--from-sarif", Path.Combine(_dir, "missing.sarif"), path);
        code.ShouldBe(2);
        stderr.ShouldStartWith("transcriptlint: error:");
        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl")));
    }

    [Fact]
    public void From_sarif_applies_recorded_fixes_and_refuses_a_transcript_whose_hash_differs()
    {
        var path = Copy("common/c-parallel-missing-result.jsonl");
        var sarif = Path.Combine(_dir, "r.sarif");
        File.WriteAllText(sarif, "{}");
        var reader = new LintingReader(path);

        // The transcript changed after the report was written: refused, untouched.
        reader.Sha256 = new string('a', 64);
        var refused = Invoke(reader, "fix", "--from-sarif", sarif, path);
        refused.Code.ShouldBe(2);
        refused.Err.ShouldContain("refused");
        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture("common/c-parallel-missing-result.jsonl")));

        reader.Sha256 = null;
        var applied = Invoke(reader, "fix", "--no-backup", "--from-sarif", sarif);
        applied.Code.ShouldBe(0);
        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture("common/c-parallel-missing-result.fixed.jsonl")));
    }

    [Fact]
    public void Help_documents_the_exit_codes()
    {
        var (code, stdout, _) = Run("fix", "--help");
        code.ShouldBe(0);
        stdout.ShouldContain("Exit codes");
        stdout.ShouldContain("--unsafe-fixes");
        stdout.ShouldContain("--from-sarif");
    }

    [Fact]
    public void Killing_the_fixer_mid_write_leaves_the_original_or_the_complete_fix_never_a_partial_file()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "transcriptlint.dll");
        File.Exists(Path.Combine(AppContext.BaseDirectory, "transcriptlint.runtimeconfig.json")).ShouldBeTrue();

        // A large broken session: the crash-mid-tool case padded with snapshot lines so the write takes a while.
        byte[] original, expected;
        using (var big = new MemoryStream())
        {
            for (var i = 0; i < 60_000; i++)
            {
                big.Write(System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"file-history-snapshot\",\"messageId\":\"pad-{i:D8}\",\"snapshot\":{{\"messageId\":\"pad-{i:D8}\",\"trackedFileBackups\":{{}},\"timestamp\":\"2026-02-12T09:00:00.000Z\"}},\"isSnapshotUpdate\":false}}\n"));
            }

            var padding = big.ToArray();
            original = [.. padding, .. File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl"))];
            expected = [.. padding, .. File.ReadAllBytes(Fixture("common/b-crash-mid-tool.fixed.jsonl"))]; // the padding is untouched
        }

        var path = Path.Combine(_dir, "big.jsonl");
        File.WriteAllBytes(path, original);

        using var process = Process.Start(new ProcessStartInfo("dotnet", [cli, "fix", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var sawTemp = false;
        var watch = Stopwatch.StartNew();
        while (!process.HasExited && watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (Directory.EnumerateFiles(_dir, "*.tmp").Any())
            {
                sawTemp = true;
                process.Kill(entireProcessTree: true);
                break;
            }

            Thread.Sleep(1);
        }

        process.WaitForExit();
        output.WriteLine($"killed while a temp file existed: {sawTemp}; after {watch.Elapsed.TotalSeconds:F1}s; exit {process.ExitCode}");
        var now = File.ReadAllBytes(path);
        (SHA256.HashData(now).SequenceEqual(SHA256.HashData(original)) || SHA256.HashData(now).SequenceEqual(SHA256.HashData(expected)))
            .ShouldBeTrue($"after the kill (temp seen: {sawTemp}) the transcript is neither the original nor the complete fix ({now.Length} bytes)");
        if (File.Exists(path + ".bak"))
        {
            File.ReadAllBytes(path + ".bak").ShouldBe(original);
        }
    }

    private static (int Code, string Out, string Err) Invoke(IRecordedFindingsReader reader, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var root = new RootCommand { FixCommand.Create(o, e, reader) };
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = o, Error = e, EnableDefaultExceptionHandler = false });
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Stands in for the SARIF reader: records the fixes of a fresh lint, as a SARIF file would hold them.</summary>
    private sealed class LintingReader(string transcript) : IRecordedFindingsReader
    {
        public string? Sha256 { get; set; }

        public IReadOnlyList<RecordedFindings> Read(string reportPath)
        {
            var engine = new LintEngine(BuiltInRules.Source.LoadRules(new List<ToolNotification>()), new LintOptions());
            var lint = engine.LintFile(transcript);
            return [new RecordedFindings(transcript, Sha256 ?? lint.Sha256, [.. lint.Diagnostics.SelectMany(d => d.Fixes.Select(f => new RecordedFix(d.Id, f)))])];
        }
    }
}
