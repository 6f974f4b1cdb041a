using System.CommandLine;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Cli.Commands;

/// <summary><c>transcriptlint explain TL3001</c>: prints a rule's doc page (its descriptor's help markdown).</summary>
public static class ExplainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string>("rule-id") { Description = "The rule id, e.g. TL3001 (plugin rules too, with --plugins or the config file)." };
        var command = new Command("explain", "Print a rule's documentation: what it checks, why, the provider error it prevents and its fix.")
        {
            id,
        };
        var configOptions = ConfigOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var wanted = parse.GetValue(id)!.Trim();
            var setup = new LintSetup(configOptions.Settings(parse, new LintOptions()));
            var config = LintRun.Guard(() => setup.ConfigForDirectory(Directory.GetCurrentDirectory()));
            var notifications = new List<ToolNotification>();
            var rules = setup.RulesFor(config, notifications);
            foreach (var n in notifications.Distinct())
            {
                stderr.WriteLine($"transcriptlint: {n.Level}: {n.Message}");
            }

            var match = rules
                .SelectMany(r => r.Rule.SupportedDescriptors.Select(d => (Descriptor: d, r.Source)))
                .FirstOrDefault(x => x.Descriptor.Id.Equals(wanted, StringComparison.OrdinalIgnoreCase) || x.Descriptor.Name.Equals(wanted, StringComparison.OrdinalIgnoreCase));
            if (match.Descriptor is not { } d)
            {
                throw new UsageException($"no rule '{wanted}' is loaded; run 'transcriptlint rules' to list the rules (plugin rules need --plugins or the config file)");
            }

            if (!string.IsNullOrWhiteSpace(d.HelpMarkdown))
            {
                var page = d.HelpMarkdown.Replace("\r\n", "\n", StringComparison.Ordinal);
                stdout.Write(page.EndsWith('\n') ? page : page + "\n");
                return ExitCodes.Clean;
            }

            // No page: say so plainly, and show what the descriptor does carry.
            stdout.WriteLine($"# {d.Id} {d.Name}: {d.Title}");
            stdout.WriteLine();
            stdout.WriteLine($"Source: {match.Source}. Category: {d.Category}. Default severity: {TextReporter.SeverityName(d.DefaultSeverity)}. Fix: {d.FixAvailability.ToString().ToLowerInvariant()}.");
            if (!string.IsNullOrWhiteSpace(d.FullDescription))
            {
                stdout.WriteLine();
                stdout.WriteLine(d.FullDescription);
            }

            if (d.PreventsErrors.Count > 0)
            {
                stdout.WriteLine();
                stdout.WriteLine("Prevents:");
                foreach (var error in d.PreventsErrors)
                {
                    stdout.WriteLine($"- {error}");
                }
            }

            stdout.WriteLine();
            stdout.WriteLine(d.HelpUri is { } uri
                ? $"{d.Id} has no doc page in this build; see {uri}."
                : $"{d.Id} has no doc page: its plugin ships no help text.");
            return ExitCodes.Clean;
        });
        return command;
    }
}
