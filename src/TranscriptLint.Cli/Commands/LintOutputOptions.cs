using System.CommandLine;
using System.Text;
using TranscriptLint.Cli.Output;

namespace TranscriptLint.Cli.Commands;

/// <summary>The <c>lint</c> options about where and how results are written: <c>--output</c>, <c>--source-root</c>, <c>--category</c>.</summary>
internal sealed class LintOutputOptions
{
    public Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = "Write the report to this file instead of standard output (any --format).",
        HelpName = "FILE",
    };

    public Option<string?> SourceRoot { get; } = new("--source-root")
    {
        Description = "SARIF: the directory result paths are relative to (%SRCROOT%). Default: the git root, else the current directory.",
        HelpName = "DIR",
    };

    public Option<string?> Category { get; } = new("--category")
    {
        Description = "SARIF: the analysis category written as automationDetails.id (default: transcriptlint). Use one per upload.",
        HelpName = "NAME",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Output);
        command.Options.Add(SourceRoot);
        command.Options.Add(Category);
    }

    /// <summary>The reporter for <paramref name="format"/>.</summary>
    public IReporter Reporter(ParseResult parse, string? format, TextWriter stderr)
    {
        if (format != "sarif")
        {
            return format == "json" ? new JsonReporter() : new TextReporter();
        }

        var root = parse.GetValue(SourceRoot);
        if (root is not null && !Directory.Exists(root))
        {
            throw new UsageException($"--source-root: no such directory: {root}");
        }

        return new SarifReporter(root, parse.GetValue(Category), stderr);
    }

    /// <summary>Writes the report to <c>--output</c> when given, else to <paramref name="stdout"/>.</summary>
    public void Write(ParseResult parse, IReporter reporter, LintRun run, TextWriter stdout)
    {
        if (parse.GetValue(Output) is not { Length: > 0 } path)
        {
            reporter.Write(run, stdout);
            return;
        }

        // Render fully first so a failing reporter never leaves a half-written file behind.
        var text = new StringWriter { NewLine = "\n" };
        reporter.Write(run, text);
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }
}
