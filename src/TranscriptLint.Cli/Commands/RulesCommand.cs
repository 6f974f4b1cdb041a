using System.CommandLine;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Cli.Commands;

/// <summary><c>transcriptlint rules</c>: every rule with its id, name, default severity, fixability and source.</summary>
public static class RulesCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("rules", "List the available rules: id, default severity, fix availability, name, source and title.");
        command.SetAction(_ =>
        {
            var notifications = new List<ToolNotification>();
            var rules = BuiltInRules.Source.LoadRules(notifications);
            var rows = rules.SelectMany(r => r.Rule.SupportedDescriptors.Select(d => (d, r.Source))).OrderBy(x => x.d.Id, StringComparer.Ordinal).ToList();
            stdout.WriteLine($"{"ID",-8} {"SEVERITY",-8} {"FIX",-9} {"NAME",-36} {"SOURCE",-26} TITLE");
            foreach (var (d, source) in rows)
            {
                stdout.WriteLine($"{d.Id,-8} {TextReporter.SeverityName(d.DefaultSeverity),-8} {d.FixAvailability.ToString().ToLowerInvariant(),-9} {d.Name,-36} {source,-26} {d.Title}");
            }

            stdout.WriteLine($"{rows.Count} rules.");
            return ExitCodes.Clean;
        });
        return command;
    }
}
