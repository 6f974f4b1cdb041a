using System.Text.Json;

namespace TranscriptLint.Tests;

public sealed class LintCommandEndToEndTests
{
    [Fact]
    public void Samples_report_the_common_failures_in_compiler_style_and_exit_1()
    {
        var (exit, stdout, stderr) = CliProcess.Run("lint", "fixtures/samples");
        exit.ShouldBe(1, stderr);
        stderr.ShouldBeEmpty();
        stdout.ShouldContain("fixtures/samples/b-crash-mid-tool.jsonl(10,");
        stdout.ShouldContain("): error TL3001: Tool call toolu_");
        stdout.ShouldContain("fixtures/samples/a-429-synthetic-tail.jsonl(14,1): error TL4001:");
        stdout.ShouldContain("fixtures/samples/d-orphan-result-dangling-parent.jsonl(14,");
        stdout.TrimEnd().Split('\n')[^1].ShouldStartWith("Found 6 problems (5 errors, 1 warning, 0 notes) in 4 of 6 files. 4 fixable with 'transcriptlint fix', 2 more with '--unsafe-fixes'.");
    }

    [Fact]
    public void A_clean_real_session_exits_0()
    {
        var (exit, stdout, _) = CliProcess.Run("lint", "fixtures/samples/clean-real-spotter-tool-heavy.jsonl");
        exit.ShouldBe(0);
        stdout.Trim().ShouldBe("No problems found in 1 file.");
    }

    [Fact]
    public void Fail_level_error_ignores_warnings()
    {
        CliProcess.Run("lint", "fixtures/claude-code/TL2001/fires-dangling-parent-mid-file.jsonl").Exit.ShouldBe(1);
        CliProcess.Run("lint", "--fail-level", "error", "fixtures/claude-code/TL2001/fires-dangling-parent-mid-file.jsonl").Exit.ShouldBe(0);
    }

    [Fact]
    public void Select_and_ignore_filter_by_prefix()
    {
        var selected = CliProcess.Run("lint", "--select", "TL4", "fixtures/samples").Out;
        selected.ShouldContain("TL4001");
        selected.ShouldNotContain("TL3001");
        var ignored = CliProcess.Run("lint", "--ignore", "TL3,TL2", "fixtures/samples").Out;
        ignored.ShouldNotContain("TL3001");
        ignored.ShouldNotContain("TL2001");
        ignored.ShouldContain("TL4002");
    }

    [Fact]
    public void Json_output_is_parseable_and_byte_identical_across_runs()
    {
        var first = CliProcess.Run("lint", "--format", "json", "fixtures/samples");
        var second = CliProcess.Run("lint", "--format", "json", "fixtures/samples");
        first.Out.ShouldBe(second.Out);
        using var doc = JsonDocument.Parse(first.Out);
        var files = doc.RootElement.GetProperty("files");
        files.GetArrayLength().ShouldBe(6);
        var crash = files.EnumerateArray().Single(f => f.GetProperty("path").GetString()!.EndsWith("b-crash-mid-tool.jsonl", StringComparison.Ordinal));
        var d = crash.GetProperty("diagnostics")[0];
        d.GetProperty("ruleId").GetString().ShouldBe("TL3001");
        d.GetProperty("fixes")[0].GetProperty("applicability").GetString().ShouldBe("safe");
        d.GetProperty("fixes")[0].GetProperty("edits")[0].GetProperty("kind").GetString().ShouldBe("insertEntryAfter");
    }

    [Fact]
    public void Globs_and_directories_are_expanded()
    {
        var glob = CliProcess.Run("lint", "--format", "json", "fixtures/claude-code/common/*.jsonl");
        using var doc = JsonDocument.Parse(glob.Out);
        var expected = Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, "claude-code", "common"), "*.jsonl").Count();
        expected.ShouldBeGreaterThanOrEqualTo(4);
        doc.RootElement.GetProperty("files").GetArrayLength().ShouldBe(expected);
        CliProcess.Run("lint", "fixtures/claude-code/TL3001").Out.ShouldContain("TL3001");
    }

    [Theory]
    [InlineData("no such file or directory: nope.jsonl", "lint", "nope.jsonl")]
    [InlineData("no file matches", "lint", "nothing/**/*.jsonl")]
    [InlineData("is not a rule id or prefix", "lint", "--select", "3001", "fixtures/samples")]
    [InlineData("--format: unknown value 'yaml'", "lint", "--format", "yaml", "fixtures/samples")]
    [InlineData("run 'transcriptlint doctor'", "lint")]
    public void Usage_errors_exit_2_with_one_clear_line(string message, params string[] args)
    {
        var (exit, stdout, stderr) = CliProcess.Run(args);
        exit.ShouldBe(2);
        stderr.ShouldContain(message);
        stderr.ShouldNotContain("   at ");
        stdout.ShouldBeEmpty();
    }

    [Fact]
    public void Broken_bytes_give_findings_not_stack_traces()
    {
        var dir = Directory.CreateTempSubdirectory("tl-cli-");
        try
        {
            File.WriteAllBytes(Path.Combine(dir.FullName, "empty.jsonl"), []);
            File.WriteAllBytes(Path.Combine(dir.FullName, "garbage.jsonl"), [0, 0, 0xFF, 0xFE, (byte)'{', (byte)'\n', 0xC3, 0x28]);
            File.WriteAllText(Path.Combine(dir.FullName, "deep.jsonl"), new string('[', 100_000) + "\n");
            var (exit, stdout, stderr) = CliProcess.RunIn(dir.FullName, "lint", ".");
            exit.ShouldBe(1);
            stderr.ShouldNotContain("   at ");
            stdout.ShouldContain("garbage.jsonl(1,1): error TL1006");
            stdout.ShouldContain("deep.jsonl(1,1): error TL1006");
            stdout.ShouldContain("deep.jsonl(1,");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_transcript_piped_to_standard_input_is_linted_as_stdin()
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "samples", "b-crash-mid-tool.jsonl"));
        var (exit, stdout, stderr) = CliProcess.RunWithInput(RepoPaths.Root, bytes, "lint", "-");
        exit.ShouldBe(1, stderr);
        stdout.ShouldStartWith("<stdin>(10,339): error TL3001:");
        CliProcess.Run("fix", "-").Exit.ShouldBe(2, "fix rewrites files in place; it needs a path");
    }

    [Fact]
    public void Rules_lists_every_rule_with_its_source()
    {
        var (exit, stdout, _) = CliProcess.Run("rules");
        exit.ShouldBe(0);
        stdout.ShouldContain("TL3001   error    yes     sometimes tool-call-without-result");
        stdout.ShouldContain("TranscriptLint.Rules.Core");
    }

    [Fact]
    public void Help_explains_the_commands_and_exit_codes()
    {
        var (exit, stdout, _) = CliProcess.Run("--help");
        exit.ShouldBe(0);
        stdout.ShouldContain("Exit codes");
        stdout.ShouldContain("lint");
        CliProcess.Run("lint", "--help").Out.ShouldContain("--select");
    }
}
