using TranscriptLint.Cli;

namespace TranscriptLint.Tests;

/// <summary>Mistakes in a command line get one line saying what is wrong and what was probably meant.</summary>
public sealed class MessagesTests
{
    [Theory]
    [InlineData("unknown command 'lnt'; did you mean 'lint'?", "lnt", "x.jsonl")]
    [InlineData("unknown command 'doctr'; did you mean 'doctor'?", "doctr")]
    [InlineData("unknown option '--bogus' for 'transcriptlint lint'", "lint", "--bogus", "fixtures/samples")]
    [InlineData("unknown option '--selct' for 'transcriptlint lint'; did you mean '--select'?", "lint", "--selct", "TL3", "fixtures/samples")]
    [InlineData("unknown option '--unsafe' for 'transcriptlint fix'; did you mean '--unsafe-fixes'?", "fix", "--unsafe", "x.jsonl")]
    [InlineData("unknown option '--colour' for 'transcriptlint rules'; did you mean '--color'?", "rules", "--colour")]
    [InlineData("--format: unknown value 'sarf'; did you mean 'sarif'?", "lint", "--format", "sarf", "fixtures/samples")]
    [InlineData("--profile: unknown value 'antropic'; did you mean 'anthropic'?", "lint", "--profile", "antropic", "fixtures/samples")]
    [InlineData("--color: unknown value 'alway'; did you mean 'always'?", "lint", "--color", "alway", "fixtures/samples")]
    [InlineData("unknown rule id or prefix 'TL301'", "lint", "--select", "TL301", "fixtures/samples")]
    [InlineData("did you mean 'TL3001'?", "lint", "--select", "TL3011", "fixtures/samples")]
    [InlineData("run 'transcriptlint doctor'", "lint")]
    public void A_mistake_is_named_in_one_line_with_what_was_meant(string expected, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var cwd = Directory.GetCurrentDirectory();
        var code = CliApp.Run([.. args.Select(a => a == "fixtures/samples" ? Path.Combine(RepoPaths.Fixtures, "samples") : a)], stdout, stderr);
        code.ShouldBe(2, stderr.ToString());
        stderr.ToString().ShouldContain(expected);
        stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("transcriptlint: error:", StringComparison.Ordinal)).ShouldBe(1, stderr.ToString());
        stdout.ToString().ShouldBeEmpty();
        Directory.GetCurrentDirectory().ShouldBe(cwd);
    }

    [Theory]
    [InlineData("--select", true)]
    [InlineData("-q", true)]
    [InlineData("--max-passes=3", true)]
    [InlineData("--format=", true)]
    [InlineData("--x9-y", true)]
    [InlineData("-", false)]
    [InlineData("--", false)]
    [InlineData("---x", false)]
    [InlineData("--9x", false)]
    [InlineData("--a_b", false)]
    [InlineData("--a.b", false)]
    [InlineData("--a=b\nc", false)]
    [InlineData("x.jsonl", false)]
    [InlineData("-x.jsonl", false)]
    public void Option_like_tokens_are_a_dash_or_two_a_letter_letters_digits_and_dashes_and_an_optional_value(string token, bool optionLike)
    {
        CliApp.IsOptionLike(token).ShouldBe(optionLike);
        System.Text.RegularExpressions.Regex.IsMatch(token, @"\A--?[A-Za-z][A-Za-z0-9-]*(=[^\n]*)?\z").ShouldBe(optionLike, "the pattern the check spells out");
    }

    [Fact]
    public void A_file_named_like_an_option_is_still_a_path()
    {
        var dir = Directory.CreateTempSubdirectory("tl-opt-");
        try
        {
            File.Copy(Path.Combine(RepoPaths.Fixtures, "samples", "b-crash-mid-tool.jsonl"), Path.Combine(dir.FullName, "--weird.jsonl"));
            var (exit, stdout, stderr) = CliProcess.RunIn(dir.FullName, "lint", "--", "--weird.jsonl");
            exit.ShouldBe(1, stderr);
            stdout.ShouldContain("TL3001");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Root_help_is_short_and_each_command_keeps_its_details()
    {
        var stdout = new StringWriter();
        CliApp.Run(["--help"], stdout, new StringWriter()).ShouldBe(0);
        var root = stdout.ToString();
        root.ShouldContain("transcriptlint doctor");
        root.ShouldNotContain("fsync", Case.Sensitive, "fix's details belong to 'fix --help'");
        root.Split('\n').Length.ShouldBeLessThan(40);

        var fix = new StringWriter();
        CliApp.Run(["fix", "--help"], fix, new StringWriter()).ShouldBe(0);
        fix.ToString().ShouldContain("fsync");
        fix.ToString().ShouldContain("Exit codes");
    }

    [Fact]
    public void Help_placeholders_are_written_one_way()
    {
        foreach (var command in new[] { "lint", "fix", "doctor", "explain-error" })
        {
            var stdout = new StringWriter();
            CliApp.Run([command, "--help"], stdout, new StringWriter()).ShouldBe(0);
            // Every value placeholder is <UPPERCASE>; System.CommandLine's default would be the option's own name in lower case.
            System.Text.RegularExpressions.Regex.Matches(stdout.ToString(), @"--[a-z-]+ <([^>]+)>").Select(m => m.Groups[1].Value)
                .ShouldAllBe(p => p == p.ToUpperInvariant(), command);
        }
    }

    [Fact]
    public void Explain_error_ends_with_the_command_to_run_next()
    {
        var stdout = new StringWriter();
        var transcript = Path.Combine(RepoPaths.Fixtures, "samples", "b-crash-mid-tool.jsonl");
        CliApp.Run(["explain-error", "messages.3: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01JMJoVTpGUDkLvpkD2WDtsv", "--transcript", transcript], stdout, new StringWriter());
        var lines = stdout.ToString().TrimEnd().Split('\n');
        lines[^1].ShouldStartWith("Next: quit the agent, preview the repair with 'transcriptlint fix --diff ");

        var bare = new StringWriter();
        CliApp.Run(["explain-error", "tool_use ids were found without tool_result blocks immediately after"], bare, new StringWriter());
        bare.ToString().TrimEnd().Split('\n')[^1].ShouldContain("transcriptlint doctor");
    }

    [Theory]
    [InlineData("lint", "lint")]
    [InlineData("lnit", "lint")]
    [InlineData("--unsafe", "--unsafe-fixes")]
    [InlineData("anthropc", "anthropic")]
    [InlineData("zzzzzz", null)]
    [InlineData("fox", "fix")]
    public void Suggestions_pick_the_closest_candidate_or_none(string input, string? expected)
    {
        var candidates = new[] { "lint", "fix", "doctor", "--unsafe-fixes", "--diff", "anthropic", "bedrock" };
        Suggest.Closest(input, candidates).ShouldBe(expected);
    }

    [Fact]
    public void Distance_counts_a_swap_as_one_edit()
    {
        Suggest.Distance("lnit", "lint").ShouldBe(1);
        Suggest.Distance("kitten", "sitting").ShouldBe(3);
    }
}
