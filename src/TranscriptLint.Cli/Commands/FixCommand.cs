using System.CommandLine;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Files;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Cli.Output;
using TranscriptLint.Cli.Sessions;
using TranscriptLint.Reporting;

namespace TranscriptLint.Cli.Commands;

/// <summary><c>transcriptlint fix &lt;paths&gt;…</c>: apply fixes so a broken session resumes again.</summary>
public static class FixCommand
{
    /// <summary>Reads fixes recorded in a report for <c>--from-sarif</c>: our own SARIF, read back.</summary>
    public static IRecordedFindingsReader? DefaultRecordedFindingsReader { get; set; } = new SarifRecordedFindingsReader();

    public const string Description = "Repair transcripts so the session resumes: apply the findings' fixes (safe ones unless --unsafe-fixes), keeping FILE.bak.";

    public const string Details =
        "Each file is linted, fixed in passes (at most 10) until nothing more applies, verified, and replaced atomically " +
        "(temp file in the same folder, fsync, rename); the original is kept as FILE.bak unless --no-backup " +
        "(FILE.bak is never overwritten: later runs keep FILE.bak.1, FILE.bak.2, ...; each is printed with its undo command). " +
        "One fix per file at a time (lock .FILE.tl-lock); a file another process has open for writing, or that changed after " +
        "it was read (an agent still writing to it), is left alone: stop the agent first. FIFOs, sockets and devices are skipped.\n\n" +
        "Exit codes:\n" +
        "  0  every file was fixed or needed nothing, and no warning or error is left (with --diff: nothing would change)\n" +
        "  1  with --diff: some file would change. Otherwise: findings at warning or error remain after fixing\n" +
        "     (they have no fix, only an Unsafe one without --unsafe-fixes, or the fix could not be applied); they are listed\n" +
        "  2  usage error, unreadable file or folder, a FIFO/socket/device given by name, or a file refused: another fix holds it,\n" +
        "     a process has it open for writing, it changed after it was read, sha-256 differs from --from-sarif, write failed,\n" +
        "     or the fixes did not converge (nothing is written then). A file that is not a transcript (TL1006) is never changed";

    public static Command Create(TextWriter stdout, TextWriter stderr, IRecordedFindingsReader? recordedReader = null, TerminalInfo? terminal = null)
    {
        terminal ??= TerminalInfo.None;
        var paths = new Argument<string[]>("paths")
        {
            Description = "Transcript files, directories (searched recursively for *.jsonl, and *.json files that are saved sessions or request bodies) or globs. With --from-sarif, optional: every file in the report.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var unsafeFixes = new Option<bool>("--unsafe-fixes") { Description = "Also apply Unsafe fixes (they may drop or rewrite content; review with --diff first)." };
        var diff = new Option<bool>("--diff")
        {
            Description = "Show what would change and change nothing: per fix, the finding and the JSON values that change; --diff=unified prints a unified diff instead (for patch and review tools). Exit 1 if something would change, 0 if not.",
        };
        // --diff=unified arrives as --diff --diff-format unified (CliApp splits it), so `--diff FILE` leaves FILE to the paths.
        var diffFormat = Suggest.OneOf(new Option<string?>("--diff-format") { Hidden = true, HelpName = "STYLE" }, ["readable", "unified"]);
        var interactive = new Option<bool>("--interactive", "-i")
        {
            Description = "On a terminal: walk the findings one by one, show each fix, and ask before applying it (y/n/a/q); Unsafe fixes are asked about even after 'a'. Ends with the command that resumes the session.",
        };
        var noBackup = new Option<bool>("--no-backup") { Description = "Do not keep the original as FILE.bak." };
        var fromSarif = new Option<string>("--from-sarif") { HelpName = "FILE", Description = "Apply the fixes recorded in this SARIF file instead of linting afresh; a transcript whose sha-256 differs from the one recorded is refused." };

        var sourceRoot = new Option<string?>("--source-root") { HelpName = "DIR", Description = "With --from-sarif: the folder the report's paths are relative to (the --source-root given to lint). Default: the git root, else the current directory." };

        var command = new Command("fix", Description) { paths, unsafeFixes, diff, diffFormat, interactive, noBackup, fromSarif, sourceRoot };
        var configOptions = ConfigOptions.AddTo(command);
        // Files are fixed one at a time. A fix's lints read ahead only with a core to spare beside the write-ahead thread:
        // on two cores, reading ahead left the torn 102 MB fix at 1.08 s and its --diff at 1.94 s, for 10 % more CPU
        // (decision 0003, "Measured at stop 52").
        command.SetAction(parse => Execute(
            new LintSetup(configOptions.Settings(parse, new LintOptions())) { ParseAhead = Environment.ProcessorCount > 2 },
            parse.GetValue(paths) ?? [],
            new FixOptions { IncludeUnsafe = parse.GetValue(unsafeFixes) },
            new Manners(
                parse.GetValue(diff) || parse.GetValue(diffFormat) is not null ? parse.GetValue(diffFormat) ?? "readable" : null,
                parse.GetValue(interactive),
                new Painter(terminal.Colors(GlobalOptions.ColorOf(parse))),
                parse.GetValue(GlobalOptions.Quiet),
                terminal),
            !parse.GetValue(noBackup),
            parse.GetValue(fromSarif),
            parse.GetValue(sourceRoot) is { } root && (recordedReader ?? DefaultRecordedFindingsReader) is SarifRecordedFindingsReader
                ? new SarifRecordedFindingsReader(Directory.Exists(root) ? root : throw new UsageException($"--source-root: no such directory: {root}"))
                : recordedReader ?? DefaultRecordedFindingsReader,
            stdout,
            stderr));
        return command;
    }

    /// <summary>How fix talks to the person: the diff style (null: fix), --interactive, colour, --quiet, the terminal.</summary>
    private sealed record Manners(string? Diff, bool Interactive, Painter Painter, bool Quiet, TerminalInfo Terminal);

    private static int Execute(LintSetup setup, string[] inputs, FixOptions options, Manners manners, bool backup, string? sarifPath, IRecordedFindingsReader? reader, TextWriter stdout, TextWriter stderr)
    {
        var diffOnly = manners.Diff is not null;
        var painter = manners.Painter;

        // A large file's lints take seconds each: say which lint is at which MB (cleared before anything is printed).
        using var progress = manners.Interactive ? ProgressLine.Off(stderr) : ProgressLine.For(stderr, manners.Terminal, manners.Quiet);
        if (progress.Enabled)
        {
            options = options with
            {
                Progress = p =>
                {
                    var what = p.Lint == 1 ? "finding fixes" : $"checking the result (lint {p.Lint})";
                    progress.Report(p.Length >= 16 * 1024 * 1024
                        ? $"fixing {p.DisplayPath}: {what}, {p.Read / 1_000_000:N0} of {p.Length / 1_000_000:N0} MB"
                        : $"fixing {p.DisplayPath}: {what}");
                },
            };
        }

        if (manners.Interactive)
        {
            if (diffOnly || sarifPath is not null)
            {
                throw new UsageException("--interactive asks about each fix itself; it does not combine with --diff or --from-sarif");
            }

            if (!manners.Terminal.StdinIsTerminal || !manners.Terminal.StdoutIsTerminal)
            {
                throw new UsageException("--interactive needs a terminal to ask on; review with 'transcriptlint fix --diff FILE', then run 'transcriptlint fix FILE'");
            }
        }

        Dictionary<string, RecordedFindings>? recorded = null;
        if (sarifPath is not null)
        {
            if (!File.Exists(sarifPath))
            {
                throw new UsageException($"no such file: {sarifPath}");
            }

            if (reader is null)
            {
                throw new UsageException("--from-sarif is not available in this build (no SARIF reader is wired in)");
            }

            IReadOnlyList<RecordedFindings> read;
            try
            {
                read = reader.Read(sarifPath);
            }
            catch (Exception ex) when (ex is not UsageException)
            {
                throw new UsageException($"cannot read the fixes in {sarifPath}: {ex.Message}");
            }

            recorded = [];
            foreach (var r in read)
            {
                recorded[Path.GetFullPath(r.Path)] = r;
            }
        }
        else if (inputs.Length == 0)
        {
            throw new UsageException("give the transcripts to fix (or --from-sarif FILE)");
        }

        var problems = new List<InputProblem>();
        var files = inputs.Length > 0 ? InputFiles.Expand(inputs, allowStandardInput: false, problems) : [.. recorded!.Keys.Order(StringComparer.Ordinal)];
        InputFiles.Report(problems, stderr);
        if (files.Count == 0 && inputs.Length > 0 && problems.Count == 0)
        {
            // As lint: a folder or glob with no transcript in it is a mistake in the command, not "nothing to fix" (inputs
            // that were refused have said so already and end in exit 2).
            throw new UsageException($"no transcript to fix: {string.Join(", ", inputs)} matched no transcript (*.jsonl, or a *.json session or request body)");
        }

        // Each file is fixed with the rules, plugins and severities its own config selects, as lint does.
        var notifications = new List<ToolNotification>();
        var fixers = new Dictionary<TranscriptLintConfig, (TranscriptFixer, LintEngine)>(ReferenceEqualityComparer.Instance);
        (TranscriptFixer, LintEngine)? defaultFixer = null;
        (TranscriptFixer Fixer, LintEngine Engine) FixerFor(string file)
        {
            var config = LintRun.Guard(() => setup.ConfigFor(file));
            if (config is null)
            {
                if (defaultFixer is null)
                {
                    var engine = LintRun.Guard(() => setup.EngineFor(null, notifications));
                    defaultFixer = (new TranscriptFixer(engine, options), engine);
                }

                return defaultFixer.Value;
            }

            if (!fixers.TryGetValue(config, out var f))
            {
                var engine = LintRun.Guard(() => setup.EngineFor(config, notifications));
                fixers[config] = f = (new TranscriptFixer(engine, options), engine);
            }

            return f;
        }

        var resumes = new List<string>();

        var refused = problems.Count(p => p.IsError);
        var pending = 0;
        var remaining = 0;
        var fixedFiles = 0;
        var fixCount = 0;
        // Opening or hashing a file failed: it is refused, and named.
        void CannotRead(string display, Exception ex)
        {
            refused++;
            stderr.WriteLine($"transcriptlint: error: cannot read {display}: {ex.Message}");
        }

        foreach (var file in files)
        {
            var display = InputFiles.Display(file);
            FixSource source;
            DateTime readAt;
            FixLock? fixLock = null;
            try
            {
                // One fix per file at a time, and none while an agent has the file open for writing.
                fixLock = diffOnly ? null : FixLock.Acquire(file, display);
                ReportRemovedTemps(fixLock, stderr);
                readAt = File.GetLastWriteTimeUtc(file);
                // The file is hashed now and read again by offset as the fix needs it, never held whole (a 1 GB session
                // is fixed in about the memory its lint takes); the writer proves it copied exactly these bytes.
                source = FixSource.OpenFile(file);
            }
            catch (TranscriptBusyException ex)
            {
                fixLock?.Dispose();
                refused++;
                stderr.WriteLine($"transcriptlint: error: refused: {ex.Message}");
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                fixLock?.Dispose();
                CannotRead(display, ex);
                continue;
            }

            using var heldLock = fixLock;
            using var heldSource = source;

            // The lint is set up while the file is hashed on another core.
            var (fixer, engine) = FixerFor(file);
            try
            {
                source.WaitUntilRead();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                CannotRead(display, ex); // the hash's read failed
                continue;
            }

            // The result is written while the fix's last lint runs (disposed first: it reads the source).
            using var writeAhead = diffOnly || manners.Interactive ? null : new WriteAhead(file, source.Hash, source.Length, backup, readAt);

            foreach (var n in notifications)
            {
                stderr.WriteLine($"transcriptlint: {n.Level}: {n.Message}");
            }

            notifications.Clear();
            FixOutcome outcome;
            try
            {
                if (recorded is not null)
                {
                    if (!recorded.TryGetValue(file, out var findings))
                    {
                        stderr.WriteLine($"transcriptlint: warning: {display} is not in {sarifPath}; left alone");
                        continue;
                    }

                    outcome = fixer.Fix(source, display, findings, writeAhead);
                }
                else if (manners.Interactive)
                {
                    outcome = InteractiveFix.Ask(engine, source.ToArray(), display, painter, Console.In, stdout);
                }
                else
                {
                    outcome = fixer.Fix(source, display, writeAhead);
                }
            }
            catch (TranscriptChangedException ex)
            {
                progress.Clear();
                refused++;
                stderr.WriteLine($"transcriptlint: error: refused: {ex.Message}");
                continue;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Never lose data and never print a stack trace: nothing has been written yet, so leave the file alone.
                progress.Clear();
                refused++;
                stderr.WriteLine($"transcriptlint: error: could not fix {display} ({ex.GetType().Name}: {ex.Message}); the file was left unchanged");
                continue;
            }

            progress.Clear();
            foreach (var n in outcome.Notifications)
            {
                stderr.WriteLine($"transcriptlint: {n.Level}: {n.Message}");
            }

            foreach (var r in outcome.Rejected)
            {
                stderr.WriteLine($"transcriptlint: warning: {display}: {r.Candidate.RuleId} fix '{r.Candidate.Fix.Title}' not applied: {r.Reason}");
            }

            if (outcome.Refusal is { } refusal)
            {
                // Non-convergence (or fixes that would leave no transcript) writes nothing: the file stays as it was.
                refused++;
                stderr.WriteLine($"transcriptlint: error: refused: {display}: {refusal}; the file was left unchanged");
                continue;
            }

            if (diffOnly)
            {
                if (outcome.Changed)
                {
                    pending++;
                    if (manners.Diff == "unified")
                    {
                        WriteUnified(UnifiedDiff.Create(display, outcome.DiffBase, outcome.Fixed, outcome.Restoration), painter, stdout);
                    }
                    else
                    {
                        // The findings come from the fix's own first lint: linting the original a third time took as long.
                        ReadableDiff.Write(stdout, display, outcome.DiffBase, outcome.Fixed, outcome.Applied, outcome.DiffFindings, painter, outcome.Restoration);
                    }
                }

                continue;
            }

            if (outcome.Changed)
            {
                try
                {
                    var backupPath = writeAhead is not null
                        ? writeAhead.Commit(outcome.Content)
                        : SafeFileWriter.Replace(file, outcome.OriginalHash, outcome.Source.Length, outcome.Content.WriteTo, backup, expectedWriteTimeUtc: readAt);
                    if (backupPath is not null)
                    {
                        stderr.WriteLine($"transcriptlint: {display}: original kept as {InputFiles.Display(backupPath)} ({painter.Bold("undo")}: mv {Quote(InputFiles.Display(backupPath))} {Quote(display)})");
                    }

                    if (SessionLocator.Identify(file) is { } session)
                    {
                        var details = SessionDetails.Read(session);
                        resumes.Add($"{SessionLocator.ResumeCommand(session.Harness, details.Id, details.Project)}   (quit {SessionLocator.Program(session.Harness)} first if it is still running)");
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    refused++;
                    stderr.WriteLine($"transcriptlint: error: refused: {display} was not written: {ex.Message}");
                    continue;
                }

                fixedFiles++;
                fixCount += outcome.Applied.Count;
                foreach (var a in outcome.Applied)
                {
                    stdout.WriteLine($"{display}: {painter.Good("fixed")} {a.RuleId} (pass {a.Pass}, line {a.Line}): {a.Title}");
                }
            }

            foreach (var d in outcome.FinalLint.Diagnostics.Where(d => d.Severity >= Severity.Warning))
            {
                remaining++;
                var hint = d.Fixes.Any(f => f.Applicability == Applicability.Unsafe) && !options.IncludeUnsafe ? " [unsafe fix available: --unsafe-fixes]" : "";
                stdout.WriteLine($"{d.Location.Path}({d.Location.StartLine},{d.Location.StartColumn}): {d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.Message}{hint}");
            }
        }

        if (diffOnly)
        {
            stderr.WriteLine(pending == 0 ? "transcriptlint: nothing to fix" : $"transcriptlint: {pending} file(s) would change");
            return refused > 0 ? ExitCodes.UsageOrInput : pending > 0 ? ExitCodes.Findings : ExitCodes.Clean;
        }

        if (resumes.Count > 0 && remaining == 0 && refused == 0)
        {
            foreach (var resume in resumes)
            {
                stdout.WriteLine($"{painter.Good("Resume")}: {resume}");
            }
        }

        stderr.WriteLine(refused > 0
            ? $"transcriptlint: {fixCount} fix(es) applied in {fixedFiles} file(s); {refused} input(s) refused or unreadable and left unchanged (see above); {remaining} finding(s) remain in the others"
            : $"transcriptlint: {fixCount} fix(es) applied in {fixedFiles} file(s); {remaining} finding(s) remain");
        return refused > 0 ? ExitCodes.UsageOrInput : remaining > 0 ? ExitCodes.Findings : ExitCodes.Clean;
    }

    // The unified diff as is, with its - and + lines coloured on a terminal.
    private static void WriteUnified(string diff, Painter painter, TextWriter stdout)
    {
        if (!painter.Enabled)
        {
            stdout.Write(diff);
            return;
        }

        foreach (var line in diff.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            stdout.WriteLine(line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("+++", StringComparison.Ordinal) ? painter.Bold(line)
                : line.StartsWith("@@", StringComparison.Ordinal) ? painter.Paint(line, "cyan")
                : line.StartsWith('+') ? painter.Good(line)
                : line.StartsWith('-') ? painter.Error(line)
                : line);
        }
    }

    private static void ReportRemovedTemps(FixLock? fixLock, TextWriter stderr)
    {
        if (fixLock is { RemovedTempFiles.Count: > 0 } held)
        {
            stderr.WriteLine($"transcriptlint: note: removed {held.RemovedTempFiles.Count} temp file(s) an interrupted fix left: {string.Join(", ", held.RemovedTempFiles.Select(InputFiles.Display))}");
        }
    }

    // Shell quoting for the undo hint, only when the path needs it.
    private static string Quote(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '~' or '+' or ',' or ':' or '@') ? path : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
