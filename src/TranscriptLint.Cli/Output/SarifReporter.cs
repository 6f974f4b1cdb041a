using TranscriptLint.Cli.Commands;
using TranscriptLint.Sarif;

namespace TranscriptLint.Cli.Output;

/// <summary>SARIF 2.1.0 for GitHub code scanning (one run; see TranscriptLint.Sarif).</summary>
/// <param name="sourceRoot">The directory <c>%SRCROOT%</c> stands for; null: git root, else the current directory.</param>
/// <param name="category">The analysis category (<c>automationDetails.id</c>).</param>
/// <param name="stderr">Where warnings (GitHub limits hit) go.</param>
public sealed class SarifReporter(string? sourceRoot, string? category, TextWriter stderr) : IReporter
{
    public void Write(LintRun run, TextWriter output)
    {
        var input = new SarifRunInput
        {
            Results = run.Results,
            Rules = SarifRunInputs.EnabledRules(run.Engine),
            Notifications = run.Notifications,
            Extensions = SarifRunInputs.PluginsOf(run.Engine),
        };
        var options = new SarifWriterOptions
        {
            SourceRoot = sourceRoot,
            Category = string.IsNullOrWhiteSpace(category) ? "transcriptlint" : category,
        };
        SarifWriteReport report;
        try
        {
            using var stream = new Utf8ToTextWriter(output);
            report = SarifWriter.Write(input, options, stream);
        }
        catch (SourceRootException ex)
        {
            throw new UsageException(ex.Message);
        }

        foreach (var warning in report.Warnings)
        {
            stderr.WriteLine($"transcriptlint: warning: {warning}");
        }
    }
}
