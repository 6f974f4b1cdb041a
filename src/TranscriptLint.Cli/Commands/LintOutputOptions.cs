using System.CommandLine;
using System.Text;
using TranscriptLint.Cli.Output;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// The <c>lint</c> options about where and how results are written: <c>--format</c>, <c>--output</c>,
/// <c>--output-format FORMAT=FILE</c> (several reports from one run), <c>--source-root</c>, <c>--category</c>.
/// </summary>
/// <param name="defaultFormat">The --format when none is given (text for lint, html for report).</param>
/// <param name="defaultOutput">The --output when none is given (standard output for lint).</param>
internal sealed class LintOutputOptions(string? defaultFormat = null, string? defaultOutput = null)
{
    /// <summary>Every output format.</summary>
    public static readonly string[] Formats = ["text", "json", "sarif", "github", "junit", "gitlab", "html"];

    public Option<string> Format { get; } = new("--format", "-f")
    {
        Description = "Output format: text (compiler style), json, sarif (SARIF 2.1.0 for GitHub code scanning), github (workflow-command annotations), junit (JUnit XML), gitlab (code quality JSON) or html (a self-contained page: the conversation with every finding pinned to its message; see 'transcriptlint report').",
        DefaultValueFactory = _ => defaultFormat ?? "text",
        HelpName = "FORMAT",
    };

    public Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = defaultOutput is null ? "Write the --format report to this file instead of standard output." : $"Write the report to this file (default: {defaultOutput}; - for standard output).",
        HelpName = "FILE",
        DefaultValueFactory = _ => defaultOutput,
    };

    public Option<string[]> OutputFormats { get; } = new("--output-format")
    {
        Description = "Also write a report in FORMAT to FILE; may be repeated, e.g. --output-format sarif=tl.sarif --output-format junit=tl.xml.",
        HelpName = "FORMAT=FILE",
    };

    public Option<string?> SourceRoot { get; } = new("--source-root")
    {
        Description = "The directory report paths are relative to (SARIF %SRCROOT%, annotations, GitLab, JUnit, baselines, shards). Default: the git root, else the current directory.",
        HelpName = "DIR",
    };

    public Option<string?> Category { get; } = new("--category")
    {
        Description = "SARIF: the analysis category written as automationDetails.id (default: transcriptlint). Use one per upload.",
        HelpName = "NAME",
    };

    public Option<bool> ShowSecrets { get; } = new("--show-secrets")
    {
        Description = "HTML report: show the credentials TL5001 found instead of masking them (the report may then be as sensitive as the transcript).",
    };

    public void AddTo(Command command)
    {
        Suggest.OneOf(Format, Formats);
        command.Options.Add(Format);
        command.Options.Add(Output);
        command.Options.Add(OutputFormats);
        command.Options.Add(SourceRoot);
        command.Options.Add(Category);
        command.Options.Add(ShowSecrets);
    }

    /// <summary>The source root given, checked; null when not given.</summary>
    public string? SourceRootOf(ParseResult parse)
    {
        var root = parse.GetValue(SourceRoot);
        if (root is not null && !Directory.Exists(root))
        {
            throw new UsageException($"--source-root: no such directory: {root}");
        }

        return root;
    }

    /// <summary>The reports to write: the --format one (to --output or standard output, file null) and each --output-format.</summary>
    public IReadOnlyList<(IReporter Reporter, string? File)> Reports(ParseResult parse, TextWriter stderr, TextReporter? terminalText = null)
    {
        var primaryFile = PrimaryFile(parse);
        var primaryFormat = parse.GetValue(Format) ?? "text";
        var reports = new List<(IReporter, string?)>
        {
            // Only the text report on standard output gets the terminal's manners (colour, --quiet, --statistics).
            (primaryFormat == "text" && primaryFile is null && terminalText is not null ? terminalText : Reporter(parse, primaryFormat, stderr), primaryFile),
        };
        foreach (var (format, file) in ExtraReports(parse))
        {
            reports.Add((Reporter(parse, format, stderr), file));
        }

        return reports;
    }

    /// <summary>Whether any report written carries each file's SHA-256 (SARIF artifacts, JSON, the HTML report's re-read check).</summary>
    public bool NeedsFileHashes(ParseResult parse) => AnyFormat(parse, format => format is "sarif" or "json" or "html");

    /// <summary>Whether any report shows fixes as text edits with regions (<see cref="TranscriptLint.Engine.Hosting.LintOptions.RenderFixes"/>): SARIF and HTML.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>True when the lint should render its fixes.</returns>
    public bool NeedsRenderedFixes(ParseResult parse) => AnyFormat(parse, format => format is "sarif" or "html");

    /// <summary>Whether any report identifies findings by fingerprint (<see cref="TranscriptLint.Engine.Hosting.LintOptions.HashFindingLines"/>): SARIF and GitLab.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>True when the lint should hash the lines of findings without an entry id.</returns>
    public bool NeedsFingerprints(ParseResult parse) => AnyFormat(parse, format => format is "sarif" or "gitlab");

    private bool AnyFormat(ParseResult parse, Func<string, bool> format) =>
        ExtraReports(parse).Select(r => r.Format).Prepend(parse.GetValue(Format) ?? "text").Any(format);

    // Each --output-format FORMAT=FILE, checked.
    private IEnumerable<(string Format, string File)> ExtraReports(ParseResult parse)
    {
        foreach (var spec in parse.GetValue(OutputFormats) ?? [])
        {
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            var format = eq > 0 ? spec[..eq] : "";
            var file = eq > 0 ? spec[(eq + 1)..] : "";
            if (!Formats.Contains(format) || file.Length == 0)
            {
                throw new UsageException($"--output-format: expected FORMAT=FILE with FORMAT one of {string.Join(", ", Formats)}, got '{spec}'");
            }

            yield return (format, file);
        }
    }

    /// <summary>The reporter for <paramref name="format"/>.</summary>
    public IReporter Reporter(ParseResult parse, string format, TextWriter stderr)
    {
        var root = SourceRootOf(parse);
        return format switch
        {
            "json" => new JsonReporter(),
            "sarif" => new SarifReporter(root, parse.GetValue(Category), stderr),
            "github" => new GitHubReporter(new ReportPaths(root)),
            "junit" => new JUnitReporter(new ReportPaths(root)),
            "gitlab" => new GitLabReporter(new ReportPaths(root)),
            "html" => new HtmlReporter(parse.GetValue(ShowSecrets)),
            _ => new TextReporter(),
        };
    }

    /// <summary>Whether the --format report goes to standard output as text (the only report that streams and is coloured).</summary>
    public bool IsTerminalText(ParseResult parse) => (parse.GetValue(Format) ?? "text") == "text" && PrimaryFile(parse) is null;

    /// <summary>The file the --format report goes to; null for standard output (report: <c>-o -</c>).</summary>
    public string? PrimaryFile(ParseResult parse) => parse.GetValue(Output) is { Length: > 0 } o && !(defaultOutput is not null && o == "-") ? o : null;

    /// <summary>Writes every report: to its file, else to <paramref name="stdout"/>.</summary>
    public void Write(ParseResult parse, LintRun run, TextWriter stdout, TextWriter stderr, TextReporter? terminalText = null)
    {
        // Render every report before writing any, so a failing reporter never leaves a half-written set behind. Each is
        // held in a SpilledText (in memory while small, else in a temp file): a run with tens of thousands of findings
        // makes tens of MB of JSON or SARIF, which as one string took several times that. Then each is written where it
        // goes, as before: a file opened and written (a symlink followed, a device or pipe written to), or standard output.
        var made = new List<(string? File, SpilledText? Text, byte[]? Bytes)>();
        try
        {
            foreach (var (reporter, file) in Reports(parse, stderr, terminalText))
            {
                if (reporter is IBinaryReporter binary && file is not null)
                {
                    made.Add((file, null, binary.Render(run)));
                    continue;
                }

                var text = new SpilledText();
                made.Add((file, text, null));
                reporter.Write(run, text);
            }

            foreach (var (file, text, bytes) in made)
            {
                if (file is null)
                {
                    text!.CopyTo(stdout);
                }
                else if (bytes is not null)
                {
                    File.WriteAllBytes(file, bytes);
                }
                else
                {
                    using var writer = new StreamWriter(file, append: false, new UTF8Encoding(false), 1 << 16);
                    text!.CopyTo(writer);
                }
            }
        }
        finally
        {
            foreach (var (_, text, _) in made)
            {
                text?.Dispose(); // its temp file, if it had one, goes with it
            }
        }
    }
}
