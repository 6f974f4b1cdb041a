using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Plugins;
using TranscriptLint.Reporting;

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
    public static LintRun Execute(IReadOnlyList<string> files, CommandLineSettings settings, TextWriter stderr)
    {
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
                continue;
            }

            var display = InputFiles.Display(file);
            var config = Guard(() => setup.ConfigFor(file));
            if (config is not null && config.IsIgnored(file))
            {
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
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreadable++;
                notifications.Add(new ToolNotification("error", $"cannot read {display}: {ex.Message}", Path: display));
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
            throw new UsageException(ex.Message);
        }
    }
}

/// <summary>Where the built-in rules come from. One place, so the plugin folder can replace it.</summary>
public static class BuiltInRules
{
    /// <summary>The built-in rules: plugins/ beside the executable (plugins/TranscriptLint.Rules.Core/), loaded like any plugin.</summary>
    public static IRuleSource Source { get; } = new PluginRuleSource([PluginRuleSource.BuiltInFolder]);
}
