using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Plugins;

namespace TranscriptLint.Cli.Commands;

/// <summary>The results of linting a set of files, with what went wrong on the way.</summary>
public sealed class LintRun
{
    public required IReadOnlyList<FileLintResult> Results { get; init; }

    public required IReadOnlyList<ToolNotification> Notifications { get; init; }

    public required LintEngine Engine { get; init; }

    public int UnreadableFiles { get; init; }

    public int FileCount { get; init; }

    /// <summary>What made the run incomplete: plugin load failures, rule crashes, unreadable files (error-level notifications).</summary>
    public IReadOnlyList<ToolNotification> Failures => [.. Notifications.Where(n => n.Level == "error")];

    /// <summary>Lints every file with the command-line options only (config files are still found and merged).</summary>
    public static LintRun Execute(IReadOnlyList<string> files, LintOptions options, TextWriter stderr) =>
        Execute(files, new CommandLineSettings { Options = options }, stderr);

    /// <summary>
    /// Lints every file: each transcript gets the config found above it (or --config), merged under the command
    /// line; files under a config's ignorePaths are skipped. An unreadable file is reported in one line and the
    /// run goes on; an invalid config file is a usage error (one line, exit 2).
    /// </summary>
    public static LintRun Execute(IReadOnlyList<string> files, CommandLineSettings settings, TextWriter stderr) => Execute(files, settings, stderr, null);

    /// <summary>As above; <paramref name="finished"/> sees each file's result as soon as it is linted (to stream findings and show progress).</summary>
    public static LintRun Execute(IReadOnlyList<string> files, CommandLineSettings settings, TextWriter stderr, Action<FileLintResult?, int>? finished)
    {
        var done = 0;
        var setup = new LintSetup(settings);
        var notifications = new List<ToolNotification>();
        var results = new List<FileLintResult>();
        var unreadable = 0;
        var linted = 0;
        LintEngine? first = null;
        foreach (var file in files)
        {
            if (file == InputFiles.StandardInput)
            {
                // A transcript piped in: buffered (the engine needs to seek), configured from the working directory.
                var stdinEngine = Guard(() => setup.EngineFor(setup.ConfigForDirectory(Directory.GetCurrentDirectory()), notifications));
                first ??= stdinEngine;
                linted++;
                using var buffer = new MemoryStream();
                using (var stdin = Console.OpenStandardInput())
                {
                    stdin.CopyTo(buffer);
                }

                buffer.Position = 0;
                var piped = stdinEngine.LintStream(buffer, "<stdin>");
                results.Add(piped);
                notifications.AddRange(piped.Notifications);
                finished?.Invoke(piped, ++done);
                continue;
            }

            var display = InputFiles.Display(file);
            var config = Guard(() => setup.ConfigFor(file));
            if (config is not null && config.IsIgnored(file))
            {
                finished?.Invoke(null, ++done);
                continue;
            }

            var engine = Guard(() => setup.EngineFor(config, notifications));
            first ??= engine;
            linted++;
            try
            {
                var result = engine.LintFile(file, display);
                results.Add(result);
                notifications.AddRange(result.Notifications);
                finished?.Invoke(result, ++done);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreadable++;
                notifications.Add(new ToolNotification("error", $"cannot read {display}: {ex.Message}", Path: display));
                finished?.Invoke(null, ++done);
            }
        }

        // With no file to lint, still build the host of the working directory's config so reporters can list rules.
        first ??= Guard(() => setup.EngineFor(setup.ConfigForDirectory(Directory.GetCurrentDirectory()), notifications));
        var distinct = notifications.Distinct().ToList();
        foreach (var n in distinct)
        {
            stderr.WriteLine($"transcriptlint: {n.Level}: {n.Message}");
        }

        return new LintRun { Results = results, Notifications = distinct, Engine = first, UnreadableFiles = unreadable, FileCount = linted };
    }

    // "unknown rule id or prefix 'TL301'": suggest the closest built-in id (only on this error path, so loading is fine).
    private static string RuleIdSuggestion(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "unknown rule id or prefix '([^']+)'");
        if (!match.Success)
        {
            return "";
        }

        var ids = BuiltInRules.Source.LoadRules(new List<ToolNotification>()).SelectMany(r => r.Rule.SupportedDescriptors).Select(d => d.Id).Distinct().ToList();
        return Suggest.Closest(match.Groups[1].Value, ids) is { } id ? $"; did you mean '{id}'?" : "";
    }

    /// <summary>Turns config problems into usage errors: one line naming the file and JSON path, exit 2.</summary>
    internal static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message);
        }
        catch (ArgumentException ex) when (ex.ParamName is null)
        {
            throw new UsageException(ex.Message + RuleIdSuggestion(ex.Message));
        }
    }
}

/// <summary>Where the built-in rules come from. One place, so the plugin folder can replace it.</summary>
public static class BuiltInRules
{
    /// <summary>The built-in rules: plugins/ beside the executable (plugins/TranscriptLint.Rules.Core/), loaded like any plugin.</summary>
    public static IRuleSource Source { get; } = new PluginRuleSource([PluginRuleSource.BuiltInFolder]);
}
