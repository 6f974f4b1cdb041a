using System.CommandLine;
using TranscriptLint.Cli.Catalog;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>transcriptlint schema</c>: the JSON Schema of <c>.transcriptlint.json</c> with every loaded rule in it
/// (built-in and the plugins of <c>--plugins</c> and the config), so an editor completes and checks a plugin rule's
/// severity key and options as it does a built-in one's.
/// </summary>
public static class SchemaCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the schema to this file instead of stdout (point the config's $schema at it).",
            HelpName = "FILE",
        };
        var command = new Command("schema", "Print the JSON Schema of the config file, including the options and ids of every loaded rule (built-in and plugins).")
        {
            output,
        };
        var configOptions = ConfigOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var setup = new LintSetup(configOptions.Settings(parse, new LintOptions()));
            var config = LintRun.Guard(() => setup.ConfigForDirectory(Directory.GetCurrentDirectory()));
            var notifications = new List<ToolNotification>();
            var rules = setup.RulesFor(config, notifications);
            foreach (var n in notifications.Distinct())
            {
                stderr.WriteLine($"transcriptlint: {n.Level}: {n.Message}");
            }

            var descriptors = rules.SelectMany(r => r.Rule.SupportedDescriptors).GroupBy(d => d.Id, StringComparer.Ordinal).Select(g => g.First());
            var schema = RuleCatalog.Schema(ConfigFile.SchemaText, descriptors);
            if (parse.GetValue(output) is { } path)
            {
                try
                {
                    File.WriteAllText(path, schema);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"transcriptlint: error: schema: cannot write {path}: {ex.Message}");
                    return ExitCodes.UsageOrInput;
                }

                stderr.WriteLine($"wrote {path}");
            }
            else
            {
                stdout.Write(schema);
            }

            return ExitCodes.Clean;
        });
        return command;
    }
}
