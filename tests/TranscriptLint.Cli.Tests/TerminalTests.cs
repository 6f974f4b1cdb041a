
namespace TranscriptLint.Tests;

/// <summary>
/// The CLI as a person meets it on a terminal (a pseudo-terminal from util-linux <c>script</c>): colour and a
/// progress line there; none of it when the output is redirected, with NO_COLOR or --color never, or in the
/// machine formats.
/// </summary>
public sealed class TerminalTests
{
    private static readonly string Samples = Path.Combine(RepoPaths.Fixtures, "samples");
    private static readonly Dictionary<string, string?> NoExtra = [];

    [Fact]
    public void On_a_terminal_severities_are_coloured_and_the_text_is_the_same()
    {
        if (!Pty.Available)
        {
            return;
        }

        var (exit, output) = Pty.Run(RepoPaths.Root, NoExtra, null, "lint", "fixtures/samples");
        exit.ShouldBe(1, output);
        output.ShouldContain("\u001b[1;91merror\u001b[0m");
        output.ShouldContain("\u001b[1;93mwarning\u001b[0m");
        var piped = CliProcess.Run("lint", "fixtures/samples");
        Pty.Plain(output).Trim().ShouldBe(piped.Out.Trim(), "the words on a terminal are those written to a file");
    }

    [Theory]
    [InlineData("NO_COLOR", "1")]
    [InlineData("TERM", "dumb")]
    public void No_colour_when_the_environment_asks_for_none(string variable, string value)
    {
        if (!Pty.Available)
        {
            return;
        }

        var (exit, output) = Pty.Run(RepoPaths.Root, new Dictionary<string, string?> { [variable] = value }, null, "lint", "fixtures/samples/b-crash-mid-tool.jsonl");
        exit.ShouldBe(1, output);
        output.ShouldContain("error TL3001:");
        output.ShouldNotContain("\u001b[1;91m");
    }

    [Fact]
    public void Color_never_wins_on_a_terminal_and_always_wins_in_a_pipe_but_never_reaches_machine_formats()
    {
        if (Pty.Available)
        {
            Pty.Run(RepoPaths.Root, NoExtra, null, "lint", "--color", "never", "fixtures/samples/b-crash-mid-tool.jsonl").Output.ShouldNotContain("\u001b[1;");
        }

        var plain = CliProcess.Run("lint", "fixtures/samples");
        plain.Out.ShouldNotContain("\u001b[");
        var forced = CliProcess.Run("lint", "--color", "always", "fixtures/samples");
        forced.Out.ShouldContain("\u001b[1;91merror\u001b[0m");

        foreach (var format in new[] { "json", "sarif", "github", "junit", "gitlab" })
        {
            var normal = CliProcess.Run("lint", "--format", format, "fixtures/samples");
            var coloured = CliProcess.Run("lint", "--format", format, "--color", "always", "--statistics=false", "fixtures/samples");
            coloured.Out.ShouldBe(normal.Out, format + " stays byte-identical");
            coloured.Out.ShouldNotContain("\u001b[");
        }
    }

    [Fact]
    public void A_long_run_shows_progress_on_a_terminal_and_none_when_redirected()
    {
        if (!Pty.Available)
        {
            return;
        }

        // A zero delay stands in for a long run; the line is written on standard error and taken away again.
        var env = new Dictionary<string, string?> { ["TRANSCRIPTLINT_PROGRESS_DELAY_MS"] = "0" };
        var (_, output) = Pty.Run(RepoPaths.Root, env, null, "lint", "fixtures/samples");
        output.ShouldContain("linting: ");
        output.ShouldContain("files, ");
        Pty.Run(RepoPaths.Root, new Dictionary<string, string?>(env) { ["CI"] = "true" }, null, "lint", "fixtures/samples").Output.ShouldNotContain("linting: ");
        Pty.Run(RepoPaths.Root, env, null, "lint", "--quiet", "fixtures/samples").Output.ShouldNotContain("linting: ");

        var redirected = CliProcess.RunWithEnvironment(RepoPaths.Root, null, env, "lint", "fixtures/samples");
        redirected.Err.ShouldNotContain("linting: ");
        redirected.Out.ShouldNotContain("linting: ");
    }

    [Fact]
    public void A_large_file_shows_how_many_MB_have_been_read()
    {
        if (!Pty.Available)
        {
            return;
        }

        // One file of 20 MB: the line says how far into it the lint is, not only "0/1 files" until the end.
        var (_, output) = RunOnLargeSession("", "lint", "-j", "1");
        output.ShouldMatch(@"linting: 0/1 files, \d+ of 2\d MB, 0 with findings");
    }

    [Fact]
    public void Fixing_a_large_file_shows_which_lint_is_at_which_MB()
    {
        if (!Pty.Available)
        {
            return;
        }

        var (exit, output) = RunOnLargeSession("{\"type\":\"user\",\"uuid\":\"torn", "fix", "--no-backup");
        exit.ShouldBeOneOf([0, 1], output); // 1: the real sessions keep findings no fix removes
        output.ShouldMatch(@"fixing .*big\.jsonl: finding fixes, \d+ of 2\d MB");
        output.ShouldMatch(@"fixing .*big\.jsonl: checking the result \(lint 2\)");
        output.ShouldMatch(@"fixed(\x1b\[0m)? TL1001", "the torn last line is removed");
    }

    // A 20 MB big.jsonl of the real sessions, then `tail`, given last to the command on a pseudo-terminal, with the
    // progress line shown from the start.
    private static (int Exit, string Output) RunOnLargeSession(string tail, params string[] args)
    {
        var dir = Directory.CreateTempSubdirectory("tl-pty-big-");
        try
        {
            var big = Path.Combine(dir.FullName, "big.jsonl");
            File.WriteAllBytes(big, [.. RealSessions.Repeated(20 * 1024 * 1024), .. System.Text.Encoding.UTF8.GetBytes(tail)]);
            var env = new Dictionary<string, string?> { ["TRANSCRIPTLINT_PROGRESS_DELAY_MS"] = "0" };
            return Pty.Run(RepoPaths.Root, env, null, [.. args, big]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Findings_stream_in_file_order_and_quiet_drops_the_summary()
    {
        var full = CliProcess.Run("lint", "fixtures/samples");
        var lines = full.Out.TrimEnd().Split('\n');
        lines[^1].ShouldStartWith("Found 6 problems");
        lines[..^1].ShouldAllBe(l => l.StartsWith("fixtures/samples/", StringComparison.Ordinal));
        lines[..^1].Select(l => l.Split('(')[0]).ShouldBeInOrder(SortDirection.Ascending, StringComparer.Ordinal);

        var quiet = CliProcess.Run("lint", "--quiet", "fixtures/samples");
        quiet.Exit.ShouldBe(1);
        quiet.Out.ShouldBe(string.Join('\n', lines[..^1]) + "\n");
    }

    [Fact]
    public void Statistics_count_findings_per_rule_most_first()
    {
        var (exit, stdout, _) = CliProcess.Run("lint", "--statistics", "fixtures/samples");
        exit.ShouldBe(1);
        var lines = stdout.TrimEnd().Split('\n');
        lines[0].ShouldBe("2  TL3001  [*] tool-call-without-result");
        lines.ShouldContain("1  TL2001  [~] dangling-parent");
        lines[^1].ShouldStartWith("Found 6 problems");
        CliProcess.Run("lint", "--statistics", "--format", "json", "fixtures/samples").Exit.ShouldBe(2);
    }

    [Fact]
    public void Timing_lists_every_rule_that_ran_on_standard_error_and_leaves_the_report_as_it_was()
    {
        var plain = CliProcess.Run("lint", "--format", "json", "fixtures/samples");
        var (exit, stdout, stderr) = CliProcess.Run("lint", "--format", "json", "--timing", "fixtures/samples");
        exit.ShouldBe(plain.Exit);
        stdout.ShouldBe(plain.Out, "the report is the same bytes");
        var lines = stderr.TrimEnd().Split('\n');
        lines.ShouldContain(l => l.StartsWith("Rule timing over ", StringComparison.Ordinal) && l.Contains(" ms in rules' actions of ", StringComparison.Ordinal));
        var rows = lines.SkipWhile(l => !l.StartsWith("rule ", StringComparison.Ordinal)).Skip(1).ToList();
        rows[^3].ShouldStartWith("rest ");
        var ids = rows[..^3].Select(l => l.Split(' ', 2)[0]).ToList();
        ids.ShouldContain("TL3001");
        ids.ShouldContain("TL5001");
        ids.Count.ShouldBe(ids.Distinct().Count());
        rows[..^3].ShouldAllBe(l => l.Contains(" ms ", StringComparison.Ordinal) && l.Contains('%'));

        // The runtime's own share last: a fresh process compiles code and collects at least once for 13 sessions.
        rows[^2].ShouldMatch(@"^jit +[\d,.]+ ms +[\d.]+ % +the runtime compiling [1-9][\d,]* methods ");
        rows[^1].ShouldMatch(@"^gc +[\d,.]+ ms +[\d.]+ % +the collector's pauses \([^)]+\): \d[\d,]* collections, \d[\d,]* of them full$");

        // The tool's runtime configuration reaches the process: a lint is a batch, collected in the foreground.
        rows[^1].ShouldContain("(in the foreground, young generation at most 16 MiB)");
        plain.Err.ShouldNotContain("Rule timing");
    }

    [Fact]
    public void Doctor_on_a_terminal_is_coloured()
    {
        if (!Pty.Available)
        {
            return;
        }

        var home = Directory.CreateTempSubdirectory("tl-pty-home-");
        try
        {
            var project = Directory.CreateDirectory(Path.Combine(home.FullName, ".claude", "projects", "-home-dana-src-ledgerline")).FullName;
            File.Copy(Path.Combine(Samples, "b-crash-mid-tool.jsonl"), Path.Combine(project, "5bb58492-9daf-46be-ad21-914625ee8c4c.jsonl"));
            var (exit, output) = Pty.Run(RepoPaths.Root, new Dictionary<string, string?> { ["HOME"] = home.FullName, ["CLAUDE_CONFIG_DIR"] = null }, null, "doctor");
            exit.ShouldBe(1, output);
            output.ShouldContain("\u001b[");
            Pty.Plain(output).ShouldContain("1 of 1 session would not resume intact");
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
