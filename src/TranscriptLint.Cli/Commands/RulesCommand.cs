using System.CommandLine;
using TranscriptLint.Cli.Catalog;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>transcriptlint rules</c>: every rule with its id, effective severity, whether it is enabled (after the
/// config file, the profile, <c>--select</c> and <c>--ignore</c>), fixability, name, source plugin and title.
/// </summary>
public static class RulesCommand
{
    public static Command Create(TextWriter stdout) => Create(stdout, TextWriter.Null);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var select = new Option<string[]>("--select")
        {
            Description = "Show which rules run with this selection: ids or prefixes, comma-separated or repeated.",
            AllowMultipleArgumentsPerToken = true,
        };
        var ignore = new Option<string[]>("--ignore")
        {
            Description = "Show which rules run when these are skipped: ids or prefixes.",
            AllowMultipleArgumentsPerToken = true,
        };
        var markdown = new Option<bool>("--markdown")
        {
            Description = "Print the rules as the markdown table README.md carries (default severities, links to the doc pages).",
        };
        var writeCatalog = new Option<bool>("--write-catalog")
        {
            Description = "Regenerate the rule catalog from the built-in rules' descriptors: the rules table of README.md, docs/rules/README.md and the rule part of rules.schema.json, in the repository at or above the working directory.",
        };
        var command = new Command("rules", "List the available rules: id, effective severity, enabled, fix availability, name, source plugin and title. The config file is searched from the working directory.")
        {
            select, ignore, markdown, writeCatalog,
        };
        var configOptions = ConfigOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(writeCatalog))
            {
                return WriteCatalog(Directory.GetCurrentDirectory(), stdout, stderr);
            }

            var settings = configOptions.Settings(parse, new LintOptions
            {
                Select = LintCommand.SplitIds(parse.GetValue(select)),
                Ignore = LintCommand.SplitIds(parse.GetValue(ignore)),
            });
            var setup = new LintSetup(settings);
            var config = LintRun.Guard(() => setup.ConfigForDirectory(Directory.GetCurrentDirectory()));
            var options = LintRun.Guard(() => setup.OptionsFor(config));
            var notifications = new List<ToolNotification>();
            var rules = setup.RulesFor(config, notifications);
            foreach (var n in notifications.Distinct())
            {
                stderr.WriteLine($"transcriptlint: {n.Level}: {n.Message}");
            }

            // The source is the plugin and its version (its assembly version, as SARIF's tool.extensions gives it).
            var rows = rules.SelectMany(r => r.Rule.SupportedDescriptors.Select(d => (d, Source: $"{r.Source} {r.Rule.GetType().Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}"))).OrderBy(x => x.d.Id, StringComparer.Ordinal).ToList();
            if (parse.GetValue(markdown))
            {
                stdout.Write(RuleCatalog.ReadmeTable(rows.Select(r => r.d)));
                return ExitCodes.Clean;
            }

            stdout.WriteLine($"{"ID",-8} {"SEVERITY",-8} {"ENABLED",-7} {"FIX",-9} {"NAME",-36} {"SOURCE",-32} TITLE");
            var enabled = 0;
            foreach (var (d, source) in rows)
            {
                var severity = options.EffectiveSeverity(d);
                var on = severity != Severity.None;
                enabled += on ? 1 : 0;
                var shown = on ? TextReporter.SeverityName(severity) : "off";
                stdout.WriteLine($"{d.Id,-8} {shown,-8} {(on ? "yes" : "no"),-7} {d.FixAvailability.ToString().ToLowerInvariant(),-9} {d.Name,-36} {source,-32} {d.Title}");
            }

            var from = config is null ? "" : $" Config: {InputFiles.Display(config.FilePath)}.";
            stdout.WriteLine($"{rows.Count} rules, {enabled} enabled (profile {options.Profile.Name}).{from}");
            return ExitCodes.Clean;
        });
        return command;
    }

    /// <summary><c>rules --write-catalog</c> run from <paramref name="workingDirectory"/>.</summary>
    internal static int WriteCatalog(string workingDirectory, TextWriter stdout, TextWriter stderr)
    {
        if (RuleCatalog.FindRoot(workingDirectory) is not { } root)
        {
            stderr.WriteLine($"transcriptlint: error: --write-catalog: no {RuleCatalog.SchemaPath} with docs/rules/ beside it at or above {workingDirectory}; run it inside the repository");
            return ExitCodes.UsageOrInput;
        }

        try
        {
            var written = RuleCatalog.Write(root, RuleCatalog.BuiltInDescriptors());
            foreach (var f in written)
            {
                stdout.WriteLine($"wrote {f.RelativePath}");
            }

            stdout.WriteLine(written.Count == 0 ? "The rule catalog is up to date." : $"{written.Count} catalog file(s) regenerated from the rule descriptors.");
            return ExitCodes.Clean;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"transcriptlint: error: --write-catalog: {ex.Message}");
            return ExitCodes.UsageOrInput;
        }
    }
}
