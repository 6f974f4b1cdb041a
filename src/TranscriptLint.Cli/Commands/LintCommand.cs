using System.CommandLine;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Cli.Commands;

/// <summary><c>transcriptlint lint &lt;paths&gt;…</c></summary>
public static class LintCommand
{
    public const string Description = "Lint transcripts and report their findings (text, json, sarif, github, junit, gitlab).";

    public const string Details =
        "On a terminal, findings are printed as each file finishes, in colour, with a progress line on standard error for long runs " +
        "(none when redirected, in CI, or with --quiet); machine formats are written whole and never coloured.\n\n" +
        "Exit codes: 0 nothing at or above --fail-level; 1 findings; 2 usage error, unknown rule id, no file to lint, or unreadable input; " +
        "3 a plugin failed to load or a rule crashed (unless --allow-rule-failures).";

    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(stdout, stderr, TerminalInfo.None);

    public static Command Create(TextWriter stdout, TextWriter stderr, TerminalInfo terminal) => Create(stdout, stderr, terminal, null);

    /// <summary>The lint command, or (with <paramref name="report"/>) a command of the same options that writes a report by default (<c>transcriptlint report</c>).</summary>
    internal static Command Create(TextWriter stdout, TextWriter stderr, TerminalInfo terminal, ReportCommand.Shape? report)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Transcript files, directories (searched recursively for *.jsonl, and *.json files that are saved sessions or request bodies), globs such as 'sessions/**/*.jsonl', or - for standard input.",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "PATH",
        };
        var select = new Option<string[]>("--select")
        {
            Description = "Run only these rules: ids or prefixes, comma-separated or repeated (e.g. TL3,TL4001). An id no loaded rule has is an error.",
            HelpName = "IDS",
        };
        var ignore = new Option<string[]>("--ignore")
        {
            Description = "Skip these rules: ids or prefixes, comma-separated or repeated.",
            HelpName = "IDS",
        };
        var failLevel = new Option<string>("--fail-level")
        {
            Description = "Lowest severity that makes the exit code 1: error, warning or note.",
            DefaultValueFactory = _ => "warning",
            HelpName = "LEVEL",
        };
        Suggest.OneOf(failLevel, ["error", "warning", "note"]);
        var statistics = new Option<bool>("--statistics")
        {
            Description = "Text format: print how many findings each rule has (most first) instead of every finding.",
        };
        var timing = new Option<bool>("--timing")
        {
            Description = "After the run, print on standard error the time each rule spent in its actions over all files, most first, beside the run's CPU time (the rest is reading, parsing and the conversation graph). Adds two clock reads per rule call.",
        };
        var allowRuleFailures = new Option<bool>("--allow-rule-failures")
        {
            Description = "A plugin that fails to load or a rule that crashes is still reported (and SARIF says executionSuccessful: false), but does not make the exit code 3.",
        };
        var baseline = new Option<string?>("--baseline")
        {
            Description = "Report only findings not in this baseline file (see --write-baseline); says how many were suppressed and how many entries no longer match.",
            HelpName = "FILE",
        };
        var writeBaseline = new Option<string?>("--write-baseline")
        {
            Description = "Record every current finding (by path and SARIF fingerprint) in this baseline file.",
            HelpName = "FILE",
        };
        var pruneBaseline = new Option<bool>("--prune-baseline")
        {
            Description = "With --baseline: rewrite the baseline file without the entries that no longer match any finding.",
        };
        var shard = new Option<string?>("--shard")
        {
            Description = "Lint only shard K of N (e.g. 2/4): files are split by a hash of their path relative to --source-root. Merge the SARIF of all shards with 'transcriptlint merge'.",
            HelpName = "K/N",
        };

        var jobs = new Option<int?>("--jobs", "-j")
        {
            Description = "Lint up to N files at once (default: one per core). With fewer files than N, a file from 128 MiB is also read and parsed on a second thread while its rules run. Output is the same bytes, in the same order, for any N.",
            HelpName = "N",
        };

        var command = new Command(report?.Name ?? "lint", report?.Description ?? Description)
        {
            paths, select, ignore, failLevel, allowRuleFailures, baseline, writeBaseline, pruneBaseline, shard, statistics, timing, jobs,
        };
        var outputOptions = new LintOutputOptions(report?.Format, report?.Output);
        outputOptions.AddTo(command);
        var configOptions = ConfigOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var options = new LintOptions
            {
                Select = SplitIds(parse.GetValue(select)),
                Ignore = SplitIds(parse.GetValue(ignore)),
                HashFiles = outputOptions.NeedsFileHashes(parse),
                RenderFixes = outputOptions.NeedsRenderedFixes(parse),
                HashFindingLines = outputOptions.NeedsFingerprints(parse) || parse.GetValue(baseline) is not null || parse.GetValue(writeBaseline) is not null,
                TimeRules = parse.GetValue(timing),
            };
            if (parse.GetValue(pruneBaseline) && parse.GetValue(baseline) is null)
            {
                throw new UsageException("--prune-baseline needs --baseline FILE (the file to prune)");
            }

            var inputs = parse.GetValue(paths) ?? [];
            if (inputs.Length == 0)
            {
                throw new UsageException("give the transcripts to lint (files, folders, globs, or - for standard input); to find the sessions on this machine, run 'transcriptlint doctor'");
            }

            var terminalText = outputOptions.IsTerminalText(parse);
            if (parse.GetValue(statistics) && !terminalText)
            {
                throw new UsageException("--statistics works with the text format on standard output; the other formats already carry every finding");
            }

            var quiet = parse.GetValue(GlobalOptions.Quiet);
            var painter = new Painter(terminalText && terminal.Colors(GlobalOptions.ColorOf(parse)));
            var problems = new List<InputProblem>();
            var files = InputFiles.Expand(inputs, allowStandardInput: true, problems);
            InputFiles.Report(problems, stderr);
            if (files.Count == 0)
            {
                throw new UsageException($"no transcript to lint: {string.Join(", ", inputs)} matched no transcript (*.jsonl, or a *.json session or request body)");
            }

            var reportPaths = new ReportPaths(outputOptions.SourceRootOf(parse));
            var shardOf = parse.GetValue(shard) is { } shardText ? Shard.Parse(shardText) : (Shard?)null;
            var allPaths = files.Select(f => RelativeOrFull(f, reportPaths)).ToHashSet(StringComparer.Ordinal);
            if (shardOf is { } s)
            {
                if (files.Contains(InputFiles.StandardInput))
                {
                    throw new UsageException("--shard splits files by path; standard input (-) cannot be sharded");
                }

                files = [.. files.Where(f => s.Holds(RelativeOrFull(f, reportPaths)))];
            }

            // Findings stream as each file finishes, unless a baseline must first take some away or they are counted instead.
            var stream = terminalText && !parse.GetValue(statistics) && parse.GetValue(baseline) is null;
            using var progress = ProgressLine.For(stderr, terminal, quiet);
            var withFindings = 0;
            var jobCount = parse.GetValue(jobs) ?? Environment.ProcessorCount;
            if (jobCount is < 1 or > 256)
            {
                throw new UsageException($"--jobs: expected a number of files from 1 to 256, got {jobCount}");
            }

            // Within large files too: how many MB of how many have been read ("3/20 files, 412 of 1,001 MB").
            var totalBytes = progress.Enabled ? files.Where(f => f != InputFiles.StandardInput).Sum(LintRun.SizeOf) : 0;
            var filesDone = 0;
            long bytesRead = 0;
            string Status() => totalBytes >= 16 * 1024 * 1024
                ? $"linting: {filesDone:N0}/{files.Count:N0} files, {Interlocked.Read(ref bytesRead) / 1_000_000:N0} of {totalBytes / 1_000_000:N0} MB, {withFindings:N0} with findings"
                : $"linting: {filesDone:N0}/{files.Count:N0} files, {withFindings:N0} with findings";
            // Only --timing reports them: reading the process's CPU loads System.Diagnostics.Process and reads /proc.
            var costsBefore = options.TimeRules ? RuntimeCosts.Now() : null;
            var run = LintRun.Execute(files, configOptions.Settings(parse, options), stderr, (result, done) =>
            {
                filesDone = done;
                if (result is { Diagnostics.Count: > 0 })
                {
                    withFindings++;
                    if (stream)
                    {
                        foreach (var d in result.Diagnostics)
                        {
                            progress.WriteLine(stdout, TextReporter.Line(d, painter));
                        }
                    }
                }

                progress.Report(Status());
            }, jobCount, progress.Enabled ? read =>
            {
                // Workers report in any order: keep the largest total, so the line never goes back.
                long seen;
                while ((seen = Interlocked.Read(ref bytesRead)) < read && Interlocked.CompareExchange(ref bytesRead, read, seen) != seen)
                {
                }

                progress.Report(Status());
            } : null);
            progress.Clear();
            var lintCosts = costsBefore is null ? null : RuntimeCosts.Now().Since(costsBefore);

            if (run.FileCount == 0 && shardOf is null)
            {
                throw new UsageException($"no transcript to lint: all {files.Count} files matched are under a config's ignorePaths");
            }

            if (shardOf is { } shown && run.FileCount == 0)
            {
                stderr.WriteLine($"transcriptlint: note: shard {shown} holds none of the {allPaths.Count} files matched; writing empty reports.");
            }

            if (parse.GetValue(writeBaseline) is { Length: > 0 } writeTo)
            {
                var entries = Baseline.Entries(run, reportPaths);
                Baseline.Write(writeTo, entries);
                stderr.WriteLine($"transcriptlint: baseline: recorded {entries.Count} findings in {writeTo}.");
            }

            if (parse.GetValue(baseline) is { Length: > 0 } baselineFile)
            {
                var outcome = Baseline.Apply(run, Baseline.Read(baselineFile), reportPaths, allPaths);
                run = outcome.Run;
                var prune = parse.GetValue(pruneBaseline);
                if (prune && outcome.Stale.Count > 0)
                {
                    Baseline.Write(baselineFile, outcome.Kept);
                }

                stderr.WriteLine($"transcriptlint: baseline: {outcome.Suppressed} findings suppressed by {baselineFile}; " + (outcome.Stale.Count == 0
                    ? "every baseline entry still matches."
                    : prune
                        ? $"{outcome.Stale.Count} entries no longer matched and were pruned from it."
                        : $"{outcome.Stale.Count} baseline entries no longer match (fixed or changed); drop them with --prune-baseline."));
            }

            outputOptions.Write(parse, run, stdout, stderr, new TextReporter { Painter = painter, Quiet = quiet, Statistics = parse.GetValue(statistics), FindingsWritten = stream });
            if (report is not null && !quiet)
            {
                ReportCommand.Summarise(parse, outputOptions, run, stderr);
            }

            if (lintCosts is not null)
            {
                RuleTimingReport.Write(run, lintCosts, stderr); // last, after the findings and their summary
            }

            var threshold = parse.GetValue(failLevel) switch
            {
                "error" => Severity.Error,
                "note" => Severity.Note,
                _ => Severity.Warning,
            };
            if (run.UnreadableFiles > 0 || problems.Any(p => p.IsError))
            {
                return ExitCodes.UsageOrInput;
            }

            if (run.Failures.Count > 0 && !parse.GetValue(allowRuleFailures))
            {
                stderr.WriteLine($"transcriptlint: error: the run is incomplete ({run.Failures.Count} plugin or rule failures above); exit code {ExitCodes.ToolFailure}. Pass --allow-rule-failures to tolerate it.");
                return ExitCodes.ToolFailure;
            }

            return run.Results.SelectMany(r => r.Diagnostics).Any(d => d.Severity >= threshold) ? ExitCodes.Findings : ExitCodes.Clean;
        });
        return command;
    }

    internal static IReadOnlyList<string> SplitIds(string[]? values)
    {
        var ids = (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        foreach (var id in ids)
        {
            if (!id.Equals("ALL", StringComparison.OrdinalIgnoreCase) && !(id.Length >= 2 && char.IsAsciiLetter(id[0])))
            {
                throw new UsageException($"'{id}' is not a rule id or prefix (expected e.g. TL3001, TL3 or ALL)");
            }
        }

        return ids;
    }

    // Sharding and stale-baseline checks key on the path relative to the source root; a file outside it keeps its full path.
    private static string RelativeOrFull(string file, ReportPaths paths)
    {
        var full = Path.GetFullPath(file);
        var relative = Path.GetRelativePath(paths.SourceRoot, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full.Replace('\\', '/') : relative.Replace('\\', '/');
    }
}
