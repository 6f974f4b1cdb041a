using TranscriptLint.Cli;

namespace TranscriptLint.Tests;

/// <summary>The benchmark command measures the floor, lint, parallel files and fix in one run (numbers only, never asserted).</summary>
public sealed class BenchmarkCommandTests
{
    [Fact]
    public void Reports_each_measurement_beside_the_floor()
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };

        var exit = CliApp.Run(["benchmark", "--files", "2", "--file-mb", "1", "--sizes", "", "--huge-line-mb", "0", "--cold-runs", "2"], stdout, stderr);

        exit.ShouldBe(0, stderr.ToString());
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // One core against all, through taskset, where there is more than one core and a taskset to pin with.
        var pinning = Environment.ProcessorCount > 1 && OperatingSystem.IsLinux() && (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "taskset")));
        lines.Select(l => l.Split(':')[0].Trim()).ShouldBe(["corpus", "floor", "masked", "lint", "memory", "gc", "rules", "files", "cores", .. (pinning ? new[] { "1 core" } : []), "cold", "fix", "fix"]);
        if (pinning)
        {
            lines.Single(l => l.StartsWith("1 core:", StringComparison.Ordinal)).ShouldMatch(@"on 1 core \(taskset -c \d+\) [\d.]+ s, on \d+ cores [\d.]+ s: [\d.]+x");
        }

        lines.Single(l => l.StartsWith("cold:", StringComparison.Ordinal)).ShouldMatch(@"`lint` of a \d+ KB session median [\d.]+ s \([\d.]+-[\d.]+ s over 2 runs\); `--version` median [\d.]+ s");
        lines[0].ShouldContain("real Claude Code sessions", customMessage: "the corpus is built from the vendored real sessions");
        lines.Single(l => l.StartsWith("lint:", StringComparison.Ordinal)).ShouldContain("of the floor");
        lines.Single(l => l.StartsWith("rules:", StringComparison.Ordinal)).ShouldMatch(@"every rule's actions [\d.]+ s of a timed pass's CPU [\d.]+ s \(\d+ %\); most: TL\d{4} \d+ %, TL\d{4} \d+ %, TL\d{4} \d+ % \(lint --timing for all\)");
        var fix = lines.Where(l => l.StartsWith("fix:", StringComparison.Ordinal)).ToList();
        fix[0].ShouldContain("changed: True", customMessage: "the torn last line is repaired");
        fix[1].ShouldMatch(@"written again, [\d.]+ s, [\d.]+ MB/s, CPU [\d.]+ s; [1-9]\d* fixes in 1 pass\(es\)", "the copied head goes in one pass");
    }

    [Fact]
    public void A_single_file_is_measured_in_alternated_rounds_with_every_peak()
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };

        var exit = CliApp.Run(["benchmark", "--files", "1", "--file-mb", "1", "--sizes", "1", "--single-runs", "2", "--huge-line-mb", "0", "--cold-runs", "0"], stdout, stderr);

        exit.ShouldBe(0, stderr.ToString());
        var single = stdout.ToString().Split('\n').Single(l => l.StartsWith("single:", StringComparison.Ordinal));
        // Medians of the rounds, the ratio's range round by round, and the lowest and highest peak: one jumping peak shows.
        single.ShouldMatch(@"^single: 1 MB file, medians of 2 rounds: lint [\d.]+ s, CPU [\d.]+ s .*lint at \d+ % of it \(\d+ %-\d+ % round by round\)\), peak [\d.]+-[\d.]+ MiB; ");
        if (Environment.ProcessorCount > 1)
        {
            single.ShouldMatch(@"\(parse-ahead\) [\d.]+ s, CPU [\d.]+ s, peak [\d.]+-[\d.]+ MiB; fix \(torn\)");
        }

        // What the lint's runtime compiled and collected, beside the floor's process, from the same children.
        var runtime = stdout.ToString().Split('\n').Single(l => l.StartsWith("runtime:", StringComparison.Ordinal));
        runtime.ShouldMatch(@"^runtime: 1 MB file, medians: lint --jobs 1 [\d.]+ s compiling [1-9][\d,]* methods, [\d.]+ s of pauses in [\d,]+ collections \([\d,]+ full\); the floor's process [\d.]+ s compiling [1-9][\d,]* methods, [\d.]+ s of pauses in [\d,]+ collections \([\d,]+ full\)$");
    }
}

/// <summary>The benchmark corpus: real sessions copied with every id rewritten, deterministic, one session per file.</summary>
public sealed class RealCorpusTests
{
    private static readonly System.Text.RegularExpressions.Regex Uuids = new("\"uuid\":\"([^\"]+)\"");

    [Fact]
    public void Copies_are_deterministic_share_no_ids_and_read_as_one_session()
    {
        var corpus = TranscriptLint.Cli.Benchmarking.RealCorpus.Load(TranscriptLint.Cli.Benchmarking.RealCorpus.FindVendored()!)!;
        var dir = Directory.CreateTempSubdirectory("tl-corpus-").FullName;
        var a = Path.Combine(dir, "a.jsonl");
        var b = Path.Combine(dir, "b.jsonl");
        corpus.Write(a, 3, 3_000_000);
        corpus.Write(b, 3, 3_000_000);

        File.ReadAllBytes(a).ShouldBe(File.ReadAllBytes(b), "the same file index gives the same bytes");
        var lines = File.ReadAllLines(a);
        new FileInfo(a).Length.ShouldBeGreaterThanOrEqualTo(3_000_000);
        var ids = lines.Select(l => Uuids.Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        ids.Count.ShouldBeGreaterThan(100);
        ids.Distinct().Count().ShouldBe(ids.Count, "no uuid repeats across copies of the same session");
        lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, "\"sessionId\":\"([^\"]+)\"")).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().Count().ShouldBe(1);

        var result = new TranscriptLint.Engine.Hosting.LintEngine(TranscriptLint.Cli.Commands.BuiltInRules.Source.LoadRules(new List<TranscriptLint.Reporting.ToolNotification>()), new TranscriptLint.Engine.Hosting.LintOptions()).LintFile(a);
        result.Dialect.ShouldBe("claude-code");
        result.Diagnostics.ShouldNotContain(d => d.Id == "TL1005" || d.Id == "TL3003" || d.Id == "TL1003", "rewritten ids neither mix sessions nor repeat tool or line ids");
        Directory.Delete(dir, recursive: true);
    }
}

/// <summary>The benchmark's usage errors are one line and exit 2.</summary>
public sealed class BenchmarkUsageTests
{
    [Theory]
    [InlineData("--generate-only", "--generate-only needs --dir")]
    [InlineData("--sizes=10,x", "--sizes takes sizes in MB separated by commas")]
    [InlineData("--corpus=/nonexistent-corpus-folder", "--corpus /nonexistent-corpus-folder: no such folder")]
    [InlineData("--cold-runs=-1", "--cold-runs takes a number of runs")]
    [InlineData("--single-runs=0", "--single-runs takes a number of rounds, at least 1")]
    public void Bad_options_are_one_line_and_exit_2(string option, string message)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        CliApp.Run(["benchmark", option], stdout, stderr).ShouldBe(2);
        stderr.ToString().ShouldStartWith("transcriptlint: error: ");
        stderr.ToString().ShouldContain(message);
        stderr.ToString().TrimEnd('\n').ShouldNotContain('\n');
    }

    [Fact]
    public void A_corpus_with_real_breakage_is_measured_not_thrown()
    {
        // Real sessions hold lines glued by a lost newline (two in fixtures/real); the floor must parse past them.
        var dir = Directory.CreateTempSubdirectory("tl-glued-corpus-").FullName;
        const string User = "{\"parentUuid\":null,\"isSidechain\":false,\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"hi\"},\"uuid\":\"11111111-1111-4111-8111-111111111111\",\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"sessionId\":\"22222222-2222-4222-8222-222222222222\"}";
        const string Assistant = "{\"parentUuid\":\"11111111-1111-4111-8111-111111111111\",\"isSidechain\":false,\"type\":\"assistant\",\"message\":{\"id\":\"msg_01\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"}]},\"uuid\":\"33333333-3333-4333-8333-333333333333\",\"timestamp\":\"2026-01-01T00:00:01.000Z\",\"sessionId\":\"22222222-2222-4222-8222-222222222222\"}";
        File.WriteAllText(Path.Combine(dir, "glued.jsonl"), User + "\n" + Assistant + "\n" + User + Assistant + "\n" + "[1]\n");
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };

        var exit = CliApp.Run(["benchmark", "--corpus", dir, "--files", "1", "--file-mb", "1", "--sizes", "", "--huge-line-mb", "0"], stdout, stderr);

        exit.ShouldBe(0, stderr.ToString());
        stdout.ToString().ShouldContain("floor:");
        stdout.ToString().ShouldContain("masked:", customMessage: "the floor parsed as lint parses, beside the plain one");
        stdout.ToString().ShouldContain("of the floor");
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void A_corpus_folder_without_a_Claude_Code_session_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("tl-empty-corpus-").FullName;
        File.WriteAllText(Path.Combine(dir, "notes.jsonl"), "{\"role\":\"user\",\"content\":\"hi\"}\n");
        var stderr = new StringWriter { NewLine = "\n" };
        CliApp.Run(["benchmark", "--corpus", dir], new StringWriter(), stderr).ShouldBe(2);
        stderr.ToString().ShouldContain("no Claude Code session");
        Directory.Delete(dir, recursive: true);
    }
}

/// <summary>The floor alone (`benchmark --floor-of FILE`), what the `single:` line runs as a process of its own.</summary>
public sealed class BenchmarkFloorOfTests
{
    [Fact]
    public void Reads_every_lines_fields_and_exits_0()
    {
        var dir = Directory.CreateTempSubdirectory("tl-floor-of-").FullName;
        var file = Path.Combine(dir, "s.jsonl");
        // Two lines and a glued pair the parser refuses.
        const string User = "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"hi\"}}";
        const string Assistant = "{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"}]}}";
        File.WriteAllText(file, User + "\n" + Assistant + "\n" + User + Assistant + "\n");
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };

        CliApp.Run(["benchmark", "--floor-of", file], stdout, stderr).ShouldBe(0, stderr.ToString());

        // user 4+4, assistant 9+9 + the block's type 4, the glued line counted once as a failed parse.
        stdout.ToString().ShouldBe($"floor: {file}: 31 characters of fields read\n");
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void A_missing_file_is_one_line_and_exit_2()
    {
        var stderr = new StringWriter { NewLine = "\n" };
        CliApp.Run(["benchmark", "--floor-of", "/nonexistent/s.jsonl"], new StringWriter(), stderr).ShouldBe(2);
        stderr.ToString().ShouldBe("transcriptlint: error: --floor-of /nonexistent/s.jsonl: no such file.\n");
    }
}
