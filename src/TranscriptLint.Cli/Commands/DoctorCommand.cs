using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TranscriptLint.Cli.Output;
using TranscriptLint.Cli.Sessions;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>transcriptlint doctor [--session ID]</c>: finds the sessions every supported harness keeps on this machine,
/// lints them in parallel (read-only), and lists those that would not resume intact, newest first, each with the
/// command that fixes it and the command that resumes it.
/// </summary>
public static class DoctorCommand
{
    public const string Description = "Find this machine's agent sessions that would not resume intact (the resume fails, or the harness drops part of the conversation), and say how to fix each (changes nothing).";

    public const string Details =
        "Looks where each harness keeps its sessions: Claude Code $CLAUDE_CONFIG_DIR/projects (default ~/.claude/projects), " +
        "Codex $CODEX_HOME/sessions (default ~/.codex/sessions), Gemini CLI $GEMINI_CLI_HOME/.gemini/tmp/*/chats (default ~/.gemini), " +
        "Copilot CLI $COPILOT_HOME/session-state (default ~/.copilot) and Amplifier ~/.amplifier/projects. Every session is linted " +
        "(in parallel, read-only); those with an error finding are listed newest first with the project, the last prompt, the age, " +
        "the rule, the command that fixes the file and the command that resumes the session.\n\n" +
        "Exit codes: 0 every session would resume intact; 1 some would not (listed); 2 usage error (e.g. no session has the --session id).";

    /// <summary>Where sessions are looked for; tests point it at a fake home.</summary>
    public static Func<IReadOnlyList<SessionRoot>> DefaultRoots { get; set; } = SessionLocator.Roots;

    private const string NotATranscript = "TL1006";

    public static Command Create(TextWriter stdout, TextWriter stderr, TerminalInfo terminal)
    {
        var session = new Option<string?>("--session", "-s")
        {
            Description = "Check only the session with this id (as 'claude --resume' or 'codex resume' shows it; a unique prefix is enough).",
            HelpName = "ID",
        };
        var all = new Option<bool>("--all", "-a") { Description = "List every session found, healthy ones too, not only those that would fail." };
        var limit = new Option<int>("--limit", "-n")
        {
            Description = "Show at most N sessions (newest first); 0 shows all.",
            HelpName = "N",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command("doctor", Description) { session, all, limit };
        var configOptions = ConfigOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var settings = configOptions.Settings(parse, new LintOptions());
            var painter = new Painter(terminal.Colors(GlobalOptions.ColorOf(parse)));
            var quiet = parse.GetValue(GlobalOptions.Quiet);
            var max = parse.GetValue(limit);
            if (max < 0)
            {
                throw new UsageException($"--limit: expected 0 or more, got {max}");
            }

            return Run(DefaultRoots(), settings, parse.GetValue(session), parse.GetValue(all), max, quiet, painter, terminal, stdout, stderr);
        });
        return command;
    }

    /// <summary>One session's verdict: what is kept of its lint (never the findings of healthy files).</summary>
    internal sealed record Checked(SessionFile Session, int Errors, int Warnings, Diagnostic? First, bool SafeFix, bool UnsafeFix, string? Unreadable, bool Unsupported = false);

    internal static int Run(
        IReadOnlyList<SessionRoot> roots, CommandLineSettings settings, string? sessionId, bool all, int limit, bool quiet,
        Painter painter, TerminalInfo terminal, TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        var found = roots.Select(r => (Root: r, Files: SessionLocator.Find(r).ToList())).ToList();
        var sessions = found.SelectMany(f => f.Files).ToList();
        if (sessionId is { Length: > 0 })
        {
            var exact = sessions.Where(s => string.Equals(s.Id, sessionId, StringComparison.OrdinalIgnoreCase)).ToList();
            sessions = exact.Count > 0 ? exact : [.. sessions.Where(s => s.Id.StartsWith(sessionId, StringComparison.OrdinalIgnoreCase) || (s.Harness == Harness.GeminiCli && sessionId.StartsWith(s.Id, StringComparison.OrdinalIgnoreCase)))];
            if (sessions.Count == 0)
            {
                throw new UsageException($"no session has the id '{sessionId}' (looked in {string.Join(", ", roots.Select(r => Shell.Tilde(r.Folder)))}); run 'transcriptlint doctor --all' to list them");
            }

            if (sessions.Select(s => s.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
            {
                throw new UsageException($"'{sessionId}' matches {sessions.Count} sessions ({string.Join(", ", sessions.Take(5).Select(s => s.Id))}{(sessions.Count > 5 ? ", …" : "")}); give more of the id");
            }

            all = true;
        }

        sessions = [.. sessions.OrderByDescending(s => s.LastWriteUtc).ThenBy(s => s.Path, StringComparer.Ordinal)];
        using var progress = ProgressLine.For(stderr, terminal, quiet);
        var results = Check(sessions, settings, progress, out var notifications);
        progress.Clear();
        foreach (var n in notifications.Distinct())
        {
            stderr.WriteLine($"transcriptlint: {n.Level}: {n.Message}");
        }

        var failing = results.Where(r => r.Errors > 0 || r.Unreadable is not null).ToList();
        var shown = (all ? results : failing).ToList();
        var omitted = limit > 0 && shown.Count > limit ? shown.Count - limit : 0;
        if (omitted > 0)
        {
            shown = shown[..limit];
        }

        if (!quiet)
        {
            stdout.WriteLine(painter.Bold("Sessions on this machine:"));
            foreach (var (root, files) in found)
            {
                var unsupported = results.Count(r => r.Unsupported && r.Session.Harness == root.Harness);
                var count = files.Count == 0 ? painter.Dim(Directory.Exists(root.Folder) ? "no sessions" : "not found") : Plural(files.Count, "session")
                    + (unsupported > 0 ? painter.Dim($" ({unsupported:N0} not read as a transcript{(all ? "" : "; --all lists them")})") : "");
                var why = root.Why == "default" ? "" : painter.Dim($" (from {root.Why})");
                stdout.WriteLine($"  {SessionLocator.Name(root.Harness),-12} {Shell.Tilde(root.Folder)}{why}: {count}");
            }

            stdout.WriteLine();
        }

        var now = DateTime.UtcNow;
        foreach (var r in shown)
        {
            Write(r, now, painter, stdout);
        }

        if (omitted > 0)
        {
            stdout.WriteLine(painter.Dim($"… and {omitted} more (--limit 0 shows all)."));
            stdout.WriteLine();
        }

        if (!quiet)
        {
            var warned = results.Count(r => r.Errors == 0 && r.Warnings > 0 && r.Unreadable is null);
            var seconds = clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            var checkedCount = results.Count(r => !r.Unsupported);
            var verdict = failing.Count == 0
                ? checkedCount == 0 && results.Count > 0
                    ? $"No session could be checked ({Plural(results.Count, "file")} not read as a transcript)."
                    : painter.Good(checkedCount == 0 ? "No session found." : $"Every session would resume intact ({Plural(checkedCount, "session")} checked in {seconds} s).")
                : painter.Error($"{failing.Count} of {Plural(checkedCount, "session")} would not resume intact") + $" (checked in {seconds} s).";
            stdout.WriteLine(verdict + (warned > 0 ? $" {Plural(warned, "other session")} {(warned == 1 ? "has" : "have")} only warnings ({(all ? "listed" : "--all lists them")})." : ""));
            if (failing.Count > 0)
            {
                stdout.WriteLine("Quit the agent in that project before fixing: a running session keeps writing to its file. Every fix keeps the original as FILE.bak.");
            }
        }

        return failing.Count > 0 ? ExitCodes.Findings : ExitCodes.Clean;
    }

    private static List<Checked> Check(IReadOnlyList<SessionFile> sessions, CommandLineSettings settings, ProgressLine progress, out List<ToolNotification> notifications)
    {
        var results = new Checked[sessions.Count];
        var notes = new ConcurrentBag<ToolNotification>();
        var done = 0;
        var broken = 0;
        // One engine per worker: rules may keep per-transcript state, so an engine is never shared between threads.
        Parallel.For(
            0,
            sessions.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, 8) },
            () => new LintSetup(settings),
            (i, _, setup) =>
            {
                results[i] = CheckOne(sessions[i], setup, notes);
                if (results[i].Errors > 0)
                {
                    Interlocked.Increment(ref broken);
                }

                var n = Interlocked.Increment(ref done);
                progress.Report($"checking sessions: {n:N0}/{sessions.Count:N0}, {broken:N0} would not resume intact");
                return setup;
            },
            _ => { });
        notifications = [.. notes.OrderBy(n => n.Message, StringComparer.Ordinal)];
        return [.. results];
    }

    private static Checked CheckOne(SessionFile session, LintSetup setup, ConcurrentBag<ToolNotification> notes)
    {
        try
        {
            var list = new List<ToolNotification>();
            var engine = LintRun.Guard(() => setup.EngineFor(LintRun.Guard(() => setup.ConfigFor(session.Path)), list));
            var result = engine.LintFile(session.Path, Shell.Tilde(session.Path));
            foreach (var n in list.Concat(result.Notifications))
            {
                notes.Add(n);
            }

            var diagnostics = result.Diagnostics;
            if (diagnostics.FirstOrDefault(d => d.Id == NotATranscript) is { } notRead && !notRead.Fixes.Any())
            {
                // In a harness's session folder, but no format transcriptlint reads and no repair it knows: counted and
                // listed by --all, not judged. One it can restore (cut off or padded by a crash, saved as UTF-16, holding
                // invalid UTF-8) is a broken session like any other, listed below with its fix.
                return new Checked(session, 0, 0, notRead, false, false, null, Unsupported: true);
            }

            var first = diagnostics.FirstOrDefault(d => d.Severity == Severity.Error) ?? diagnostics.FirstOrDefault(d => d.Severity == Severity.Warning);
            return new Checked(
                session,
                diagnostics.Count(d => d.Severity == Severity.Error),
                diagnostics.Count(d => d.Severity == Severity.Warning),
                first,
                diagnostics.Any(d => d.Severity >= Severity.Warning && d.Fixes.Any(f => f.Applicability == Applicability.Safe)),
                diagnostics.Any(d => d.Severity >= Severity.Warning && d.Fixes.Any(f => f.Applicability == Applicability.Unsafe)),
                null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new Checked(session, 0, 0, null, false, false, ex.Message);
        }
    }

    private static void Write(Checked r, DateTime now, Painter painter, TextWriter stdout)
    {
        var s = r.Session;
        var details = SessionDetails.Read(s);
        var path = Shell.Quote(Shell.Tilde(s.Path));
        var mark = r.Unreadable is not null || r.Errors > 0 ? painter.Error("✗") : r.Unsupported ? painter.Warning("?") : r.Warnings > 0 ? painter.Warning("!") : painter.Good("✓");
        // Gemini CLI records no folder, only its project's short name (or hash) as the folder under tmp/.
        var project = details.Project is { } p ? Shell.Tilde(p)
            : s.Harness == Harness.GeminiCli ? $"project {Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(s.Path)))}"
            : s.Harness == Harness.Amplifier ? $"project {Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(s.Path))))}"
            : "(project not recorded)";
        stdout.WriteLine($"{mark} {painter.Bold(project)}  {painter.Dim($"{SessionLocator.Name(s.Harness)}, {Age(now - s.LastWriteUtc)}")}");
        stdout.WriteLine($"  session      {details.Id}");
        if (details.LastPrompt is { } prompt)
        {
            stdout.WriteLine($"  last prompt  \"{prompt}\"");
        }

        stdout.WriteLine($"  file         {path}");
        if (r.Unsupported && r.First is { } notRead)
        {
            stdout.WriteLine($"  {painter.Warning("not read")}     {notRead.Message}");
            stdout.WriteLine();
            return;
        }

        if (r.Unreadable is { } why)
        {
            stdout.WriteLine($"  {painter.Error("cannot read it")}: {why}");
            stdout.WriteLine();
            return;
        }

        if (r.First is { } d)
        {
            var more = r.Errors + r.Warnings - 1;
            stdout.WriteLine($"  {painter.Severity(TextReporter.SeverityName(d.Severity)),-5} {painter.Bold(d.Id)} line {d.Location.StartLine}: {d.Message}");
            if (more > 0)
            {
                stdout.WriteLine(painter.Dim($"               and {Plural(more, "more finding")}: transcriptlint lint {path}"));
            }

            var fix = r.SafeFix
                ? $"transcriptlint fix {path}" + (r.UnsafeFix ? painter.Dim("   (some fixes need --unsafe-fixes; preview with fix --diff --unsafe-fixes)") : "")
                : r.UnsafeFix
                    ? $"transcriptlint fix --diff --unsafe-fixes {path}" + painter.Dim("   (review; then the same without --diff)")
                    : painter.Dim($"no automatic fix; see transcriptlint explain {d.Id}");
            stdout.WriteLine($"  {painter.Good("fix")}          {fix}");
            var where = details.Project is null && s.Harness is Harness.ClaudeCode or Harness.GeminiCli or Harness.Amplifier ? " in the project folder" : "";
            stdout.WriteLine($"  {painter.Good("then")}         {SessionLocator.ResumeCommand(s.Harness, details.Id, details.Project)}" + painter.Dim($"   (after quitting {SessionLocator.Program(s.Harness)}{where})"));
        }
        else
        {
            stdout.WriteLine($"  {painter.Good("ok")}           resumes: {SessionLocator.ResumeCommand(s.Harness, details.Id, details.Project)}");
        }

        stdout.WriteLine();
    }

    /// <summary>"3 minutes ago", "2 days ago".</summary>
    internal static string Age(TimeSpan age) => age.TotalSeconds switch
    {
        < 0 => "just now",
        < 60 => "just now",
        < 3600 => Ago((int)age.TotalMinutes, "minute"),
        < 86_400 => Ago((int)age.TotalHours, "hour"),
        < 86_400 * 60 => Ago((int)age.TotalDays, "day"),
        _ => Ago((int)(age.TotalDays / 30), "month"),
    };

    private static string Ago(int n, string unit) => n == 1 ? $"1 {unit} ago" : $"{n} {unit}s ago";

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n:N0} {word}s";
}
