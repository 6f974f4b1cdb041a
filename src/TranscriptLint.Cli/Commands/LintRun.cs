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
    public static LintRun Execute(IReadOnlyList<string> files, CommandLineSettings settings, TextWriter stderr) => Execute(files, settings, stderr, null);

    /// <summary>As above; <paramref name="finished"/> sees each file's result as soon as it is linted (to stream findings and show progress).</summary>
    public static LintRun Execute(IReadOnlyList<string> files, CommandLineSettings settings, TextWriter stderr, Action<FileLintResult?, int>? finished) =>
        Execute(files, settings, stderr, finished, jobs: 1);

    /// <summary>
    /// As above, on up to <paramref name="jobs"/> files at once. Each worker has its own setup and engines (rules keep
    /// per-transcript state), and results, notifications and <paramref name="finished"/> calls come in file order
    /// whatever order the files finish in, so the output is the same bytes for any number of jobs.
    /// <paramref name="bytesRead"/>, when given, is told the bytes read so far over all files (every few MB per file,
    /// from the workers' threads), for a progress line within large files.
    /// </summary>
    public static LintRun Execute(IReadOnlyList<string> files, CommandLineSettings settings, TextWriter stderr, Action<FileLintResult?, int>? finished, int jobs, Action<long>? bytesRead = null)
    {
        var progress = bytesRead is null ? null : new ReadTotal(bytesRead);
        // Fewer files than jobs: a core would idle, so each large file is read and parsed on a second thread ahead of its
        // rules (the same findings, byte for byte); with more files, the files themselves keep the cores busy.
        var parseAhead = jobs >= 2 && files.Count(f => f != InputFiles.StandardInput) < jobs;
        var setup = new LintSetup(settings) { ParseAhead = parseAhead };
        var outcomes = new Outcome?[files.Count];
        var emitter = new InOrder(outcomes, finished);
        LintEngine? first = null;
        var parallel = new List<int>();
        for (var i = 0; i < files.Count; i++)
        {
            if (files[i] == InputFiles.StandardInput)
            {
                // A transcript piped in: buffered (the engine needs to seek), configured from the working directory.
                var notes = new List<ToolNotification>();
                var stdinEngine = Guard(() => setup.EngineFor(setup.ConfigForDirectory(Directory.GetCurrentDirectory()), notes));
                first ??= stdinEngine;
                using var buffer = new MemoryStream();
                using (var stdin = Console.OpenStandardInput())
                {
                    stdin.CopyTo(buffer);
                }

                buffer.Position = 0;
                var piped = stdinEngine.LintStream(buffer, "<stdin>");
                emitter.Done(i, new Outcome(piped, [.. notes, .. piped.Notifications], Linted: true, Unreadable: false));
            }
            else
            {
                parallel.Add(i);
            }
        }

        if (jobs <= 1 || parallel.Count <= 1)
        {
            foreach (var i in parallel)
            {
                emitter.Done(i, LintOne(files[i], setup, progress));
            }
        }
        else
        {
            LintInParallel(parallel, files, settings, parseAhead, jobs, emitter, progress);
        }

        var notifications = new List<ToolNotification>();
        var results = new List<FileLintResult>();
        var unreadable = 0;
        var linted = 0;
        for (var i = 0; i < outcomes.Length; i++)
        {
            var o = outcomes[i]!;
            notifications.AddRange(o.Notifications);
            linted += o.Linted ? 1 : 0;
            unreadable += o.Unreadable ? 1 : 0;
            if (o.Result is { } r)
            {
                results.Add(r);
            }

            if (first is null && o.Linted && files[i] != InputFiles.StandardInput)
            {
                // The reporters list the rules of the first linted file's engine (same config as its worker's).
                first = Guard(() => setup.EngineFor(setup.ConfigFor(files[i]), notifications));
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

    // Largest files first, one at a time to whichever worker is free: a big file started last would run alone while the
    // other cores idle. Results still come out in file order (the emitter), whatever finishes first. A method of its own:
    // naming Parallel and the partitioner loads two assemblies, which a lint of one file does without.
    private static void LintInParallel(List<int> parallel, IReadOnlyList<string> files, CommandLineSettings settings, bool parseAhead, int jobs, InOrder emitter, ReadTotal? progress)
    {
        try
        {
            var largestFirst = parallel.OrderByDescending(i => SizeOf(files[i])).ThenBy(i => i).ToList();
            Parallel.ForEach(
                System.Collections.Concurrent.Partitioner.Create(largestFirst, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = jobs },
                () => new LintSetup(settings) { ParseAhead = parseAhead },
                (i, _, own) =>
                {
                    emitter.Done(i, LintOne(files[i], own, progress));
                    return own;
                },
                _ => { });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.FirstOrDefault(e => e is UsageException) is { } usage)
        {
            throw usage; // a config error is one line, exit 2, as when linting one file at a time
        }
    }

    /// <summary>The file's size, or 0 when it cannot be asked (it is reported when it is linted).</summary>
    internal static long SizeOf(string file)
    {
        try
        {
            return new FileInfo(file).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return 0; // reported when it is linted
        }
    }

    private static Outcome LintOne(string file, LintSetup setup, ReadTotal? progress)
    {
        var display = InputFiles.Display(file);
        var config = Guard(() => setup.ConfigFor(file));
        if (config is not null && config.IsIgnored(file))
        {
            return new Outcome(null, [], Linted: false, Unreadable: false);
        }

        var notes = new List<ToolNotification>();
        var engine = Guard(() => setup.EngineFor(config, notes));
        try
        {
            var result = engine.LintFile(file, display, progress?.ForFile());
            return new Outcome(result, [.. notes, .. result.Notifications], Linted: true, Unreadable: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new Outcome(null, [.. notes, new ToolNotification("error", $"cannot read {display}: {ex.Message}", Path: display)], Linted: true, Unreadable: true);
        }
    }

    private sealed record Outcome(FileLintResult? Result, IReadOnlyList<ToolNotification> Notifications, bool Linted, bool Unreadable);

    /// <summary>Adds up how far each file's reading has come into one total across the workers.</summary>
    private sealed class ReadTotal(Action<long> report)
    {
        private long _total;

        public Action<long> ForFile()
        {
            long before = 0;
            return upTo =>
            {
                var total = Interlocked.Add(ref _total, upTo - before);
                before = upTo;
                report(total);
            };
        }
    }

    /// <summary>Hands finished files on in file order: a file that finishes early waits until those before it are done.</summary>
    private sealed class InOrder(Outcome?[] outcomes, Action<FileLintResult?, int>? finished)
    {
        private readonly Lock _gate = new();
        private int _next;

        public void Done(int index, Outcome outcome)
        {
            lock (_gate)
            {
                outcomes[index] = outcome;
                while (_next < outcomes.Length && outcomes[_next] is { } ready)
                {
                    _next++;
                    finished?.Invoke(ready.Result, _next);
                }
            }
        }
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
