using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TranscriptLint.Cli.Benchmarking;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Reporting;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>transcriptlint benchmark</c>: generates a real-shaped corpus and measures, in one process run, the floor
/// (<c>JsonDocument.Parse</c> per line plus the same field reads, one thread; and the same floor parsing as lint
/// parses, its long escaped strings masked), lint beside it (throughput, CPU, ratio to the floor), linting the files
/// on one core and on all, fix on a broken copy, and one file with a single huge line. Numbers, not assertions: run
/// it on the machine you care about.
/// </summary>
public static class BenchmarkCommand
{
    /// <summary>Set to 1 in a child <c>transcriptlint</c>: it prints <see cref="FormatResources"/> on standard error at exit.</summary>
    public const string ReportResourcesVariable = "TRANSCRIPTLINT_REPORT_RESOURCES";

    private const string ResourcesPrefix = "transcriptlint-resources:";

    /// <summary>The line a child prints at exit: its peak working set and what the runtime spent (<see cref="RuntimeCosts"/>).</summary>
    /// <param name="peakWorkingSet">The process's peak working set in bytes.</param>
    /// <param name="costs">The process's totals.</param>
    /// <returns>The line.</returns>
    internal static string FormatResources(long peakWorkingSet, RuntimeCosts costs) =>
        string.Create(CultureInfo.InvariantCulture, $"{ResourcesPrefix} peak={peakWorkingSet} cpu={costs.Cpu.TotalSeconds:F3} jit={costs.Jit.TotalSeconds:F3} jitMethods={costs.JitMethods} gcPause={costs.GcPause.TotalSeconds:F3} collections={costs.Collections} fullCollections={costs.FullCollections}");

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var files = new Option<int>("--files") { Description = "Number of corpus files.", DefaultValueFactory = _ => 20 };
        var fileMb = new Option<int>("--file-mb") { Description = "Size of each corpus file in MB (real corpus).", DefaultValueFactory = _ => 18 };
        var lines = new Option<int>("--lines") { Description = "Lines per generated session (--synthetic).", DefaultValueFactory = _ => 5_000 };
        var corpus = new Option<string?>("--corpus") { Description = "Folder of real Claude Code sessions to build the corpus from (default: the repository's fixtures/real, found from the current folder up)." };
        var synthetic = new Option<bool>("--synthetic") { Description = "Generate synthetic real-shaped sessions instead of copying real ones." };
        var sizes = new Option<string>("--sizes") { Description = "Single files of these sizes in MB (comma-separated; empty skips) are linted and fixed by a child transcriptlint, one process each, for peak memory and CPU as a user meets them, each beside the floor measured on the same file in this process and in a process of its own (as the issue measured it).", DefaultValueFactory = _ => "10,100" };
        var hugeLineMb = new Option<int>("--huge-line-mb") { Description = "Size of the single-line file in MB (0 skips it).", DefaultValueFactory = _ => 100 };
        var keep = new Option<string?>("--dir") { Description = "Write the corpus here and keep it (default: a temp folder, deleted afterwards)." };
        var generateOnly = new Option<bool>("--generate-only") { Description = "Write the corpus (needs --dir) and the --sizes files, measure nothing." };
        var singleRuns = new Option<int>("--single-runs") { Description = "Rounds of the --sizes files' floor process, lint (`--jobs 1`) and read-ahead lint, alternated: the single: line gives their medians and ranges (one pair on a shared machine moves by 10 % or more).", DefaultValueFactory = _ => 3 };
        var coldRuns = new Option<int>("--cold-runs") { Description = "Cold starts of `lint` on a small session (a new process each, alternated with `--version`) for the cold: line's medians; 0 skips them.", DefaultValueFactory = _ => 15 };
        // The floor alone in a process of its own, for the `single:` line: the issue measured its floor as a program (its
        // peak memory is in its table), start-up and compilation included, as a lint's child process pays them.
        var floorOf = new Option<string?>("--floor-of") { Description = "Run only the floor on this file and exit (the single: line runs it as a child process).", Hidden = true };
        var command = new Command("benchmark", "Build a real-shaped corpus and measure, in one run: the floor (JSON parse per line; again parsed as lint parses), lint beside it (MB/s, CPU, % of the floor, allocations, GC), files on one core and on all, fix, and peak memory of single files of several sizes.")
        {
            files, fileMb, lines, corpus, synthetic, sizes, hugeLineMb, keep, generateOnly, coldRuns, singleRuns, floorOf,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(floorOf) is { } floorFile)
            {
                if (!File.Exists(floorFile))
                {
                    stderr.WriteLine($"transcriptlint: error: --floor-of {floorFile}: no such file.");
                    return ExitCodes.UsageOrInput;
                }

                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"floor: {floorFile}: {Floor(floorFile)} characters of fields read"));
                return ExitCodes.Clean;
            }

            if (parse.GetValue(generateOnly) && parse.GetValue(keep) is null)
            {
                stderr.WriteLine("transcriptlint: error: --generate-only needs --dir, the folder to keep the corpus in.");
                return ExitCodes.UsageOrInput;
            }

            if (parse.GetValue(coldRuns) < 0)
            {
                stderr.WriteLine($"transcriptlint: error: --cold-runs takes a number of runs (0 skips them); got {parse.GetValue(coldRuns)}.");
                return ExitCodes.UsageOrInput;
            }

            if (parse.GetValue(singleRuns) < 1)
            {
                stderr.WriteLine($"transcriptlint: error: --single-runs takes a number of rounds, at least 1; got {parse.GetValue(singleRuns)}.");
                return ExitCodes.UsageOrInput;
            }

            List<int> sizeList;
            try
            {
                sizeList = [.. parse.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
            }
            catch (FormatException)
            {
                stderr.WriteLine($"transcriptlint: error: --sizes takes sizes in MB separated by commas, e.g. 10,100,1000; got '{parse.GetValue(sizes)}'.");
                return ExitCodes.UsageOrInput;
            }

            RealCorpus? real = null;
            string? realFrom = null;
            if (!parse.GetValue(synthetic))
            {
                realFrom = parse.GetValue(corpus) ?? RealCorpus.FindVendored();
                if (parse.GetValue(corpus) is { } given && !Directory.Exists(given))
                {
                    stderr.WriteLine($"transcriptlint: error: --corpus {given}: no such folder.");
                    return ExitCodes.UsageOrInput;
                }

                real = realFrom is null ? null : RealCorpus.Load(realFrom);
                if (real is null && parse.GetValue(corpus) is { } empty)
                {
                    stderr.WriteLine($"transcriptlint: error: --corpus {empty}: no Claude Code session (*.jsonl) in it.");
                    return ExitCodes.UsageOrInput;
                }
            }

            var dir = parse.GetValue(keep) ?? Directory.CreateTempSubdirectory("transcriptlint-bench-").FullName; // its own, even beside another run
            Directory.CreateDirectory(dir);
            try
            {
                var plan = new Plan(dir, parse.GetValue(files), parse.GetValue(fileMb), parse.GetValue(lines), real, realFrom, sizeList, parse.GetValue(hugeLineMb), parse.GetValue(generateOnly), parse.GetValue(synthetic), parse.GetValue(coldRuns), parse.GetValue(singleRuns));
                Run(stdout, plan);
            }
            finally
            {
                if (parse.GetValue(keep) is null)
                {
                    Directory.Delete(dir, recursive: true);
                }
            }

            return ExitCodes.Clean;
        });
        return command;
    }

    // Floor and lint runs, alternated, for the ratio to the floor.
    private const int MeasuredRounds = 3;

    private sealed record Plan(string Dir, int Files, int FileMb, int Lines, RealCorpus? Real, string? RealFrom, List<int> Sizes, int HugeLineMb, bool GenerateOnly, bool Synthetic, int ColdRuns, int SingleRuns = 3);

    // The cold: line's session: the corpus's first whole lines up to this size, what a user checks when one session broke.
    private const int ColdFileBytes = 12_000;

    private static void Run(TextWriter stdout, Plan plan)
    {
        var paths = new List<string>();
        long bytes = 0;
        var generator = new SessionGenerator(seed: 42);
        for (var i = 0; i < plan.Files; i++)
        {
            var path = Path.Combine(plan.Dir, $"session-{i:D4}.jsonl");
            bytes += plan.Real is { } real ? real.Write(path, i, plan.FileMb * 1_000_000L) : generator.Write(path, plan.Lines);
            paths.Add(path);
        }

        var source = plan.Real is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"copies of {r.SessionCount} real Claude Code sessions ({r.SourceBytes / 1e6:F1} MB) from {plan.RealFrom}, ids rewritten per copy")
            : plan.RealFrom is null && !plan.Synthetic
                ? "synthetic Claude Code 2.1 sessions (seed 42): no fixtures/real here or above, give --corpus DIR for real ones"
                : "synthetic Claude Code 2.1 sessions (seed 42)";
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus: {plan.Files} files, {bytes / 1e6:F1} MB: {source}; {Environment.ProcessorCount} cores"));

        var single = new List<(int Mb, string Path)>();
        foreach (var mb in plan.Sizes)
        {
            var path = Path.Combine(plan.Dir, $"single-{mb}mb.jsonl");
            if (plan.Real is { } rc)
            {
                rc.Write(path, 9_000 + mb, mb * 1_000_000L);
            }
            else
            {
                new SessionGenerator(seed: mb).Write(path, (int)(mb * 1_000_000L / 3_600));
            }

            single.Add((mb, path));
        }

        if (plan.GenerateOnly)
        {
            stdout.WriteLine($"written to {plan.Dir}");
            return;
        }

        if (paths.Count == 0)
        {
            return;
        }

        // Lint as `transcriptlint lint` runs with its default text output: every rule, no file hash (only SARIF, JSON
        // and HTML reports carry one). The fixer below lints the bytes it holds, unhashed, whatever the options.
        var lintOptions = new LintOptions { HashFiles = false };
        var engine = new LintEngine(BuiltInRules.Source.LoadRules(new List<ToolNotification>()), lintOptions);

        // Warm up on the whole corpus, once: tiered compilation reaches its final code only after many calls, and one
        // file left the first measured pass 10-20 % slower than the later ones.
        foreach (var path in paths)
        {
            engine.LintFile(path);
            Floor(path);
            Floor(path, masked: true);
        }

        // The floor: what reading the same lines costs with nothing but the JSON parser and the fields every dialect reads.
        // Floor and lint alternate, three rounds: on a shared machine the speed drifts by 10-20 % within minutes, and a
        // ratio of two runs taken apart swung from 50 to 76 %. Interference only adds time, so the best run of each is the
        // closest to its cost; each round's own ratio (runs side by side) is reported too, as a range and a median.
        var floors = new List<(double Seconds, double Cpu)>();
        var maskedFloors = new List<(double Seconds, double Cpu)>();
        var lints = new List<(double Seconds, double Cpu)>();
        long allocated = 0, lineCount = 0, findings = 0;
        var pause = TimeSpan.Zero;
        (int, int, int) gcCounts = default;
        for (var round = 0; round < MeasuredRounds; round++)
        {
            // Each run starts on a collected heap: the floor ran right after a lint and paid for collecting its index
            // (the floor of a build that kept less ran faster, and the ratio hid the difference).
            GC.Collect();
            floors.Add(Timed(() =>
            {
                foreach (var path in paths)
                {
                    Floor(path);
                }
            }));

            // The same floor parsing as lint parses (EscapedStringMask): how much of the ratio is lint's faster parse.
            GC.Collect();
            maskedFloors.Add(Timed(() =>
            {
                foreach (var path in paths)
                {
                    Floor(path, masked: true);
                }
            }));

            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var pauseBefore = GC.GetTotalPauseDuration();
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            long roundLines = 0, roundFindings = 0;
            lints.Add(Timed(() =>
            {
                foreach (var path in paths)
                {
                    var result = engine.LintFile(path);
                    roundLines += result.LineCount;
                    roundFindings += result.Diagnostics.Count;
                }
            }));

            if (round == 0)
            {
                // The same bytes each round: allocation and collections from the first.
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                pause = GC.GetTotalPauseDuration() - pauseBefore;
                gcCounts = (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3);
                (lineCount, findings) = (roundLines, roundFindings);
            }
        }

        var (floorSeconds, floorCpu) = floors.MinBy(f => f.Seconds);
        var (seconds, cpu) = lints.MinBy(l => l.Seconds);
        var floorRate = bytes / 1e6 / floorSeconds;
        var rate = bytes / 1e6 / seconds;
        var ratios = floors.Zip(lints, (f, l) => f.Seconds / l.Seconds).Order().ToList();
        var cpuRatios = floors.Zip(lints, (f, l) => f.Cpu / l.Cpu).Order().ToList();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"floor:  {floorSeconds:F2} s, {floorRate:F1} MB/s, CPU {floorCpu:F2} s (JsonDocument.Parse per line + field reads, 1 thread; best of {MeasuredRounds} rounds alternated with lint's, {floors.Min(f => f.Seconds):F2}-{floors.Max(f => f.Seconds):F2} s)"));
        var (maskedSeconds, maskedCpu) = maskedFloors.MinBy(f => f.Seconds);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"masked: {maskedSeconds:F2} s, {bytes / 1e6 / maskedSeconds:F1} MB/s, CPU {maskedCpu:F2} s (the floor with each line parsed as lint parses it, long escaped strings masked while the reader runs; lint at {maskedSeconds / seconds:P0} of it)"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lint:   {seconds:F2} s, {rate:F1} MB/s, {lineCount / seconds:N0} lines/s, CPU {cpu:F2} s, {rate / floorRate:P0} of the floor, best against best ({floorCpu / cpu:P0} by CPU); round by round {ratios[0]:P0}-{ratios[^1]:P0}, median {ratios[ratios.Count / 2]:P0} ({cpuRatios[cpuRatios.Count / 2]:P0} by CPU); {findings} findings (every rule, text output: no file hash)"));
        // This process also built the corpus (the GC keeps that memory): peak memory is measured per file by the
        // `single:` children below.
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory: allocated {allocated / (double)lineCount:F0} bytes/line ({allocated / (double)bytes:F1} per input byte); peak memory: see single"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gc:     {gcCounts.Item1} gen0, {gcCounts.Item2} gen1, {gcCounts.Item3} gen2 collections; paused {pause.TotalSeconds:F2} s ({pause.TotalSeconds / lints[0].Seconds:P0} of lint)"));

        // Where lint's time beyond the floor goes: one more pass with each rule's actions timed (lint --timing), apart from
        // the measured rounds so the clock reads do not touch the ratio.
        var timedEngine = new LintEngine(engine.Rules, new LintOptions { HashFiles = false, TimeRules = true });
        var timedResults = new List<FileLintResult>();
        var timedCpu = Timed(() => timedResults.AddRange(paths.Select(path => timedEngine.LintFile(path)))).Cpu;
        var ruleTimes = RuleTimingReport.Totals(timedResults);
        var inRules = ruleTimes.Sum(t => t.Value.TotalSeconds);
        var top = string.Join(", ", ruleTimes.Take(3).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.TotalSeconds / timedCpu:P0}")));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rules:  every rule's actions {inRules:F2} s of a timed pass's CPU {timedCpu:F2} s ({inRules / timedCpu:P0}); most: {top} (lint --timing for all)"));

        // Many files: one at a time against one per core, through the same path `lint` takes; alternated, best of two each.
        var settings = new CommandLineSettings { Options = lintOptions };
        double oneCore = double.MaxValue, allCores = double.MaxValue;
        for (var round = 0; round < 2; round++)
        {
            oneCore = Math.Min(oneCore, Timed(() => LintRun.Execute(paths, settings, TextWriter.Null, null, jobs: 1)).Wall);
            allCores = Math.Min(allCores, Timed(() => LintRun.Execute(paths, settings, TextWriter.Null, null, jobs: Environment.ProcessorCount)).Wall);
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"files:  --jobs 1 {oneCore:F2} s, --jobs {Environment.ProcessorCount} {allCores:F2} s: {oneCore / allCores:F2}x (best of 2 each, alternated)"));

        // What this machine's cores give at best: N separate processes (nothing shared) on 1/N of the files each, all at
        // once, against one of them alone. Each pays its own start-up in both, so the ratio is the cores' alone.
        var cores = Environment.ProcessorCount;
        var groups = Enumerable.Range(0, cores).Select(k => paths.Where((_, i) => i % cores == k).ToList()).ToList();
        var alone = Children([groups[0]]);
        var together = Children(groups);
        var ceiling = cores * alone / together;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cores:  one process on 1/{cores} of the files {alone:F2} s alone, {cores} such processes at once {together:F2} s: {ceiling:F2}x, the machine's ceiling for --jobs {cores}; --jobs {cores} reached {oneCore / allCores / ceiling:P0} of it"));

        // The same `lint` of every file as a user runs it, on one core against all of them: the machine restricted to
        // its first core (taskset; Linux) for one, nothing restricted for the other. Child processes, alternated, best of
        // two each. Unlike --jobs 1 above, the one-core run has no second core for the runtime's compiler and collector.
        if (cores > 1 && OperatingSystem.IsLinux() && FindOnPath("taskset") is { } taskset)
        {
            var core = System.Numerics.BitOperations.TrailingZeroCount((long)Process.GetCurrentProcess().ProcessorAffinity).ToString(CultureInfo.InvariantCulture);
            double pinned = double.MaxValue, free = double.MaxValue;
            for (var round = 0; round < 2; round++)
            {
                pinned = Math.Min(pinned, Wall(ChildStart(["lint", .. paths, "--quiet"], [taskset, "-c", core])));
                free = Math.Min(free, Wall(ChildStart(["lint", .. paths, "--quiet"])));
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1 core: `lint` of the files on 1 core (taskset -c {core}) {pinned:F2} s, on {cores} cores {free:F2} s: {pinned / free:F2}x (best of 2 each, alternated)"));
        }

        if (plan.ColdRuns > 0)
        {
            // A cold start as a user meets it: a new process per run, `lint` of a small session alternated with `--version`
            // (the runtime's and the command line's own start), medians: single runs on a shared machine vary by a third.
            var small = Path.Combine(plan.Dir, "small.jsonl");
            File.WriteAllBytes(small, WholeLinesUpTo(paths[0], ColdFileBytes));
            var versions = new List<double>();
            var colds = new List<double>();
            for (var run = 0; run < plan.ColdRuns; run++)
            {
                versions.Add(Wall(ChildStart(["--version"])));
                colds.Add(Wall(ChildStart(["lint", small, "--quiet"])));
            }

            versions.Sort();
            colds.Sort();
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold:   `lint` of a {new FileInfo(small).Length / 1000.0:F0} KB session median {Median(colds):F3} s ({colds[0]:F3}-{colds[^1]:F3} s over {colds.Count} runs); `--version` median {Median(versions):F3} s (the runtime's own start); a new process each, alternated"));
        }

        // Fix: the first file with its last line torn (a crash mid-write), fixed by the real fixer from the file, as
        // `fix` reads it (hashed, then read by offset), without writing it back.
        var brokenPath = Path.Combine(plan.Dir, "broken.jsonl");
        var broken = File.ReadAllBytes(paths[0]);
        File.WriteAllBytes(brokenPath, broken.AsSpan(0, broken.Length - 40));
        var fixer = new TranscriptFixer(engine, new FixOptions { IncludeUnsafe = false });
        (double Seconds, double Cpu, long Length, FixOutcome Outcome) FixFile(string path)
        {
            var (length, outcome) = (0L, (FixOutcome?)null);
            var (seconds, cpu) = Timed(() =>
            {
                using var source = FixSource.OpenFile(path);
                outcome = fixer.Fix(source, Path.GetFileName(path));
                length = source.Length;
            });
            File.Delete(path);
            return (seconds, cpu, length, outcome!);
        }

        var torn = FixFile(brokenPath);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fix:    {torn.Length / 1e6:F1} MB torn at the end, {torn.Seconds:F2} s, {torn.Length / 1e6 / torn.Seconds:F1} MB/s, CPU {torn.Cpu:F2} s; changed: {torn.Outcome.Changed}"));

        // Fix of a session written twice (a resume that re-appended its history): its first 4 MB again, every line of the
        // copy a TL1003 duplicate, side by side; the passes and fixes it takes show the plan's work, not only the lints'.
        var copiedPath = Path.Combine(plan.Dir, "copied.jsonl");
        var head = broken.AsSpan(0, broken.AsSpan(0, Math.Min(broken.Length, 4_000_000)).LastIndexOf((byte)'\n') + 1);
        File.WriteAllBytes(copiedPath, [.. broken, .. (broken.Length > 0 && broken[^1] != (byte)'\n' ? "\n"u8 : []), .. head]);
        var copied = FixFile(copiedPath);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fix:    {copied.Length / 1e6:F1} MB with its first {head.Length / 1e6:F1} MB written again, {copied.Seconds:F2} s, {copied.Length / 1e6 / copied.Seconds:F1} MB/s, CPU {copied.Cpu:F2} s; {copied.Outcome.Applied.Count} fixes in {copied.Outcome.Passes} pass(es)"));

        // One file of each size, linted and then fixed (torn at the end) by a child transcriptlint: peak memory as a user meets it.
        foreach (var (mb, path) in single)
        {
            var length = new FileInfo(path).Length;

            // The floor on this very file, in this process (issue 13's target: lint at 70 % of it on one 1 GiB file, by
            // CPU), where it pays no start-up while the child's lint below does; and again as a child of its own, which
            // pays them as the lint does (the issue's floor was a program: its table gives its peak memory).
            GC.Collect();
            var fileFloorCpu = Timed(() => Floor(path)).Cpu;
            GC.Collect();

            // The floor's process, lint's and the read-ahead lint's, round by round, so the VM's drift reaches each alike.
            var ownFloors = new List<ChildRun>();
            var singleLints = new List<ChildRun>();
            var aheads = new List<ChildRun>();
            for (var round = 0; round < plan.SingleRuns; round++)
            {
                ownFloors.Add(Child(["benchmark", "--floor-of", path]));
                singleLints.Add(Child(["lint", path, "--jobs", "1", "--quiet"]));
                if (Environment.ProcessorCount > 1)
                {
                    aheads.Add(Child(["lint", path, "--quiet"])); // one file, more jobs than files: parsed ahead from 128 MiB
                }
            }

            var lint = MedianRun(singleLints);
            var ownFloor = MedianRun(ownFloors);
            var pairRatios = ownFloors.Zip(singleLints, (f, l) => f.Cpu / l.Cpu).Order().ToList();
            var rounds = plan.SingleRuns == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({pairRatios[0]:P0}-{pairRatios[^1]:P0} round by round)");
            var floorText = string.Create(CultureInfo.InvariantCulture,
                $" (floor CPU {fileFloorCpu:F2} s, {length / 1e6 / fileFloorCpu:F0} MB/s: lint at {fileFloorCpu / lint.Cpu:P0} of it; the floor as a process of its own, as the issue measured it: CPU {ownFloor.Cpu:F2} s, peak {ownFloor.Peak / 1048576.0:F0} MiB: lint at {Median(pairRatios):P0} of it{rounds})");
            var aheadText = "";
            if (aheads.Count > 0)
            {
                var ahead = MedianRun(aheads);
                aheadText = string.Create(CultureInfo.InvariantCulture, $"--jobs {Environment.ProcessorCount} (parse-ahead) {ahead.Wall:F2} s, CPU {ahead.Cpu:F2} s, peak {PeakText(aheads)}; ");
            }

            using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                file.SetLength(length - 40);
            }

            var fix = Child(["fix", path, "--no-backup", "--quiet"]);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"single: {length / 1e6:F0} MB file{(plan.SingleRuns == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $", medians of {plan.SingleRuns} rounds"))}: lint {lint.Wall:F2} s, CPU {lint.Cpu:F2} s ({length / 1e6 / lint.Cpu:F0} MB/s){floorText}, peak {PeakText(singleLints)}; {aheadText}fix (torn) {fix.Wall:F2} s, CPU {fix.Cpu:F2} s ({length / 1e6 / fix.Cpu:F0} MB/s), peak {fix.Peak / 1048576.0:F0} MiB ({fix.Peak / (double)length:F1}x the file)"));

            // Where the lint's CPU goes beyond the floor's: the runtime's compiling and collecting, from the same children.
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"runtime: {length / 1e6:F0} MB file{(plan.SingleRuns == 1 ? "" : ", medians")}: lint --jobs 1 {lint.Costs.JitText}, {lint.Costs.GcText}; the floor's process {ownFloor.Costs.JitText}, {ownFloor.Costs.GcText}"));
        }

        if (plan.HugeLineMb > 0)
        {
            var huge = Path.Combine(plan.Dir, "huge-line.jsonl");
            WriteHugeLine(huge, plan.HugeLineMb);
            var sw = Stopwatch.StartNew();
            var result = engine.LintFile(huge);
            sw.Stop();
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"huge line: {plan.HugeLineMb} MB in one line, {sw.Elapsed.TotalSeconds:F2} s, {result.Diagnostics.Count} findings; peak working set now {peak / 1e6:F0} MB"));
        }
    }

    // Lints each group of files in its own child process (`lint --jobs 1`), all at once: the wall time until the last ends.
    private static double Children(List<List<string>> groups) =>
        Wall([.. groups.Where(g => g.Count > 0).Select(g => ChildStart(["lint", .. g, "--jobs", "1", "--quiet"]))]);

    // Starts the children all at once: the wall time until the last ends.
    private static double Wall(params ProcessStartInfo[] starts)
    {
        var stopwatch = Stopwatch.StartNew();
        var processes = starts.Select(s => Process.Start(s)!).ToList();
        string? failed = null;
        foreach (var p in processes)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode > ExitCodes.Findings)
            {
                failed ??= $"a child transcriptlint failed (exit {p.ExitCode}): {stderr.Result.Trim()}";
            }

            p.Dispose();
        }

        return failed is null ? stopwatch.Elapsed.TotalSeconds : throw new InvalidOperationException(failed);
    }

    // This transcriptlint with these arguments, run through a launcher (taskset …) when one is given.
    private static ProcessStartInfo ChildStart(IReadOnlyList<string> arguments, IReadOnlyList<string>? launcher = null)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(launcher?[0] ?? self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in launcher?.Skip(1).Append(self) ?? [])
        {
            start.ArgumentList.Add(a);
        }

        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchmarkCommand).Assembly.Location); // run as `dotnet transcriptlint.dll`
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }

    // Runs this transcriptlint as a child with the resources report switched on: its wall time, CPU and peak working set.
    private static ChildRun Child(IReadOnlyList<string> arguments)
    {
        var start = ChildStart(arguments);
        start.Environment[ReportResourcesVariable] = "1";
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        stopwatch.Stop();
        var line = stderr.Result.Split('\n').LastOrDefault(l => l.StartsWith(ResourcesPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the child transcriptlint {string.Join(' ', arguments)} reported no resources (exit {process.ExitCode}): {stderr.Result.Trim()}");
        var fields = line[ResourcesPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        double Seconds(string name) => double.Parse(fields[name], CultureInfo.InvariantCulture);
        int Count(string name) => int.Parse(fields[name], CultureInfo.InvariantCulture);
        return new ChildRun(
            stopwatch.Elapsed.TotalSeconds,
            long.Parse(fields["peak"], CultureInfo.InvariantCulture),
            new RuntimeCosts(TimeSpan.FromSeconds(Seconds("cpu")), TimeSpan.FromSeconds(Seconds("jit")), Count("jitMethods"), TimeSpan.FromSeconds(Seconds("gcPause")), Count("collections"), Count("fullCollections")));
    }

    // Each measure's own median (wall, CPU and peak need not come from one run).
    private static ChildRun MedianRun(List<ChildRun> runs)
    {
        double Of(Func<ChildRun, double> measure) => Median([.. runs.Select(measure).Order()]);
        return new ChildRun(
            Of(r => r.Wall),
            (long)Of(r => r.Peak),
            new RuntimeCosts(
                TimeSpan.FromSeconds(Of(r => r.Cpu)),
                TimeSpan.FromSeconds(Of(r => r.Costs.Jit.TotalSeconds)),
                (long)Of(r => r.Costs.JitMethods),
                TimeSpan.FromSeconds(Of(r => r.Costs.GcPause.TotalSeconds)),
                (int)Of(r => r.Costs.Collections),
                (int)Of(r => r.Costs.FullCollections)));
    }

    /// <summary>One child <c>transcriptlint</c>: its wall time and peak working set, and what its runtime spent (its CPU among them).</summary>
    private sealed record ChildRun(double Wall, long Peak, RuntimeCosts Costs)
    {
        /// <summary>The child's CPU, user and system, in seconds (what the issue's table gives beside wall time and peak).</summary>
        public double Cpu => Costs.Cpu.TotalSeconds;
    }

    // The peak of one run, or every run's as a range: a peak that jumps in one run of three is what a median hides.
    private static string PeakText(List<ChildRun> runs)
    {
        var low = runs.Min(r => r.Peak) / 1048576.0;
        var high = runs.Max(r => r.Peak) / 1048576.0;
        return runs.Count == 1 ? string.Create(CultureInfo.InvariantCulture, $"{low:F0} MiB") : string.Create(CultureInfo.InvariantCulture, $"{low:F1}-{high:F1} MiB");
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    // The first whole lines of a file up to `limit` bytes (all of its first line when that alone is longer).
    private static byte[] WholeLinesUpTo(string path, int limit)
    {
        using var file = File.OpenRead(path);
        var head = new byte[limit];
        var read = file.ReadAtLeast(head, limit, throwOnEndOfStream: false);
        var end = head.AsSpan(0, read).LastIndexOf((byte)'\n');
        return end >= 0 ? head[..(end + 1)] : head[..read];
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private static (double Wall, double Cpu) Timed(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        action();
        stopwatch.Stop();
        process.Refresh();
        return (stopwatch.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
    }

    // Parse each line and read what every dialect reads first (type, uuid, parent, role, content kinds). The file is
    // streamed through a buffer, as lint reads it: read whole, a 1 GB file was one array on the large-object heap that
    // the collector moved while the lines' copies came and went (7.3 s of CPU where lint took 3.6).
    private static long Floor(string path, bool masked = false)
    {
        long seen = 0;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var have = 0;
        while (true)
        {
            var read = file.Read(buffer, have, buffer.Length - have);
            have += read;
            var consumed = 0;
            int end;
            while ((end = buffer.AsSpan(consumed, have - consumed).IndexOf((byte)'\n')) >= 0)
            {
                seen += FloorLine(buffer.AsSpan(consumed, end), masked);
                consumed += end + 1;
            }

            if (read == 0)
            {
                return seen + FloorLine(buffer.AsSpan(consumed, have - consumed), masked); // the last line, without a newline
            }

            // The partial line moves to the front; a line longer than the buffer doubles it.
            buffer.AsSpan(consumed, have - consumed).CopyTo(buffer);
            have -= consumed;
            if (have == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }
    }

    private static long FloorLine(ReadOnlySpan<byte> line, bool masked)
    {
        if (line.IsEmpty)
        {
            return 0;
        }

        // Real sessions hold real breakage (lines glued by a lost newline): the parser's failure is part of the
        // floor, as it is of a lint.
        JsonDocument doc;
        try
        {
            doc = masked ? EscapedStringMask.Parse(line.ToArray(), default) : JsonDocument.Parse(line.ToArray());
        }
        catch (JsonException)
        {
            return 1;
        }

        using (doc)
        {
            return ReadFields(doc.RootElement);
        }
    }

    private static long ReadFields(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        long seen = StringLength(root, "type") + StringLength(root, "uuid");
        seen += root.TryGetProperty("parentUuid", out var parent) && parent.ValueKind == JsonValueKind.String ? 1 : 0;
        if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
        {
            seen += StringLength(message, "role");
            if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                foreach (var block in content.EnumerateArray())
                {
                    seen += block.ValueKind == JsonValueKind.Object ? StringLength(block, "type") : 0;
                }
            }
        }

        return seen;
    }

    private static int StringLength(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Length : 0;

    private static void WriteHugeLine(string path, int megabytes)
    {
        using var w = new StreamWriter(path);
        w.Write("{\"parentUuid\":null,\"type\":\"user\",\"uuid\":\"0b1f5a4e-8a8e-4c37-9d7e-1f2a3b4c5d6e\",\"sessionId\":\"s\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"");
        var chunk = new string('A', 1 << 20);
        for (var i = 0; i < megabytes; i++)
        {
            w.Write(chunk);
        }

        w.Write("\"}}]}}\n");
    }
}
