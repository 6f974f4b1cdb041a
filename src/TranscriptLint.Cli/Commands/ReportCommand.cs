using System.CommandLine;
using TranscriptLint.Cli.Output;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>transcriptlint report &lt;paths&gt;… [-o report.html]</c>: lint, then write the self-contained HTML report. It is
/// <c>lint --format html --output FILE</c> with its own defaults, so options and exit codes are lint's.
/// </summary>
public static class ReportCommand
{
    public const string DefaultOutput = "transcriptlint-report.html";

    public const string Description = "Lint transcripts and write one self-contained HTML report: each conversation as a resume would send it, with every finding and its fix pinned to its message.";

    public const string Details =
        "The report is one file that works offline from file:// (inline style and script, nothing loaded from the network): a summary " +
        "(findings per rule, files worst first), a search box, and per transcript the resume chain as messages (tool calls with their " +
        "results, thinking folded, harness-made rows marked), the branches and sidechains a resume does not send, and each finding with " +
        "its rule, message, severity, doc link and the before/after of its fix. Long texts are folded and cut so the report stays within " +
        "1.2 times the transcripts' size plus 1 MiB; secrets found by TL5001 are masked unless --show-secrets. See docs/report.md.\n\n" +
        "Exit codes (as lint): 0 nothing at or above --fail-level; 1 findings; 2 usage error, unknown rule id, no file to lint, or unreadable input; " +
        "3 a plugin failed to load or a rule crashed (unless --allow-rule-failures). A usage or config error writes no report.";

    public static Command Create(TextWriter stdout, TextWriter stderr, TerminalInfo terminal) =>
        LintCommand.Create(stdout, stderr, terminal, new Shape("report", Description, "html", DefaultOutput));

    /// <summary>One line on standard error: where the report is and what it holds.</summary>
    internal static void Summarise(ParseResult parse, LintOutputOptions output, LintRun run, TextWriter stderr)
    {
        if (output.PrimaryFile(parse) is not { } file)
        {
            return;
        }

        var findings = run.Results.Sum(r => r.Diagnostics.Count);
        var size = new FileInfo(file).Length;
        stderr.WriteLine($"transcriptlint: wrote {file} ({findings} finding{(findings == 1 ? "" : "s")} in {run.Results.Count(r => r.Diagnostics.Count > 0)} of {run.FileCount} files; {size:N0} bytes). Open it in a browser.");
    }

    /// <summary>How the report command differs from lint: its name, help and defaults.</summary>
    internal sealed record Shape(string Name, string Description, string Format, string Output);
}
