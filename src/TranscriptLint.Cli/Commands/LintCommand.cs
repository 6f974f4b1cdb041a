using System.CommandLine;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Cli.Commands;

/// <summary><c>transcriptlint lint &lt;paths&gt;…</c></summary>
public static class LintCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Transcript files, directories (searched recursively for *.jsonl), globs such as 'sessions/**/*.jsonl', or - for standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: text (compiler style), json or sarif (SARIF 2.1.0 for GitHub code scanning).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var select = new Option<string[]>("--select")
        {
            Description = "Run only these rules: ids or prefixes, comma-separated or repeated (e.g. TL3,TL4001).",
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
        };
        failLevel.AcceptOnlyFromAmong("error", "warning", "note");

        var command = new Command("lint", "Lint transcripts and report findings. Exit 0: nothing at or above --fail-level; 1: findings; 2: usage error or unreadable input.")
        {
            paths, format, select, ignore, failLevel,
        };
        var outputOptions = new LintOutputOptions();
        outputOptions.AddTo(command);
        var configOptions = ConfigOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var options = new LintOptions
            {
                Select = SplitIds(parse.GetValue(select)),
                Ignore = SplitIds(parse.GetValue(ignore)),
            };
            var problems = new List<InputProblem>();
            var files = InputFiles.Expand(parse.GetValue(paths) ?? [], allowStandardInput: true, problems);
            InputFiles.Report(problems, stderr);
            var run = LintRun.Execute(files, configOptions.Settings(parse, options), stderr);
            var reporter = outputOptions.Reporter(parse, parse.GetValue(format), stderr);
            outputOptions.Write(parse, reporter, run, stdout);
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
}
