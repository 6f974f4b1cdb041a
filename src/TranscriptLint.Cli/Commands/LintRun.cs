using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Cli.Commands;

/// <summary>The results of linting a set of files, with what went wrong on the way.</summary>
public sealed class LintRun
{
    public required IReadOnlyList<FileLintResult> Results { get; init; }

    public required IReadOnlyList<ToolNotification> Notifications { get; init; }

    public required LintEngine Engine { get; init; }

    public int UnreadableFiles { get; init; }

    public int FileCount { get; init; }

    /// <summary>Lints every file; an unreadable file is reported in one line and the run goes on.</summary>
    public static LintRun Execute(IReadOnlyList<string> files, LintOptions options, TextWriter stderr)
    {
        var notifications = new List<ToolNotification>();
        var rules = BuiltInRules.Source.LoadRules(notifications);
        var engine = new LintEngine(rules, options);
        notifications.AddRange(engine.InitializationNotifications);
        var results = new List<FileLintResult>();
        var unreadable = 0;
        foreach (var file in files)
        {
            var display = InputFiles.Display(file);
            try
            {
                var result = engine.LintFile(file, display);
                results.Add(result);
                notifications.AddRange(result.Notifications);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreadable++;
                stderr.WriteLine($"transcriptlint: error: cannot read {display}: {ex.Message}");
            }
        }

        foreach (var n in notifications)
        {
            stderr.WriteLine($"transcriptlint: {n.Level}: {n.Message}");
        }

        return new LintRun { Results = results, Notifications = notifications, Engine = engine, UnreadableFiles = unreadable, FileCount = files.Count };
    }
}

/// <summary>Where the built-in rules come from. One place, so the plugin folder can replace it.</summary>
public static class BuiltInRules
{
    public static IRuleSource Source { get; } = new AssemblyRuleSource(typeof(TranscriptLint.Rules.Core.RuleIdentifiers).Assembly);
}
