using System.CommandLine;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Cli.Commands;

/// <summary>The options every rule-loading command shares: <c>--config</c>, <c>--plugins</c>, <c>--profile</c>, <c>--dialect</c> and <c>--rule-timeout</c>.</summary>
public sealed class ConfigOptions
{
    public Option<string?> Config { get; } = new("--config")
    {
        Description = "Use this config file instead of searching for .transcriptlint.json upward from each transcript.",
        HelpName = "FILE",
    };

    public Option<string[]> Plugins { get; } = new("--plugins")
    {
        Description = "Also load rule plugins from this folder (DIR/<Name>/<Name>.dll); may be repeated.",
        HelpName = "DIR",
    };

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "Provider profile (overrides the config file): " + string.Join(", ", ProviderProfile.Names) + ".",
        HelpName = "NAME",
    };

    public Option<string?> Dialect { get; } = new("--dialect")
    {
        Description = "Read every file as this format instead of detecting it: " + string.Join(", ", DialectNames) + ". A file that is not in it gets one TL1006 finding and is never changed.",
        HelpName = "NAME",
    };

    /// <summary>The formats <c>--dialect</c> accepts.</summary>
    public static IReadOnlyList<string> DialectNames { get; } = [.. TranscriptLint.Engine.Dialects.DialectRegistry.All.Select(d => d.Name)];

    public Option<double?> RuleTimeout { get; } = new("--rule-timeout")
    {
        Description = "Seconds one rule may spend on one transcript (default 10, or ruleTimeoutSeconds in the config; 0: no limit). A rule over budget is stopped, reported, and off for the rest of the run.",
        HelpName = "SECONDS",
    };

    public static ConfigOptions AddTo(Command command)
    {
        var options = new ConfigOptions();
        Suggest.OneOf(options.Profile, [.. ProviderProfile.Names]);
        Suggest.OneOf(options.Dialect, [.. DialectNames]);
        command.Options.Add(options.Config);
        command.Options.Add(options.Plugins);
        command.Options.Add(options.Profile);
        command.Options.Add(options.Dialect);
        command.Options.Add(options.RuleTimeout);
        return options;
    }

    /// <summary>The command-line layer: these options plus the command's own selection.</summary>
    public CommandLineSettings Settings(ParseResult parse, LintOptions options)
    {
        var plugins = parse.GetValue(Plugins) ?? [];
        foreach (var folder in plugins)
        {
            if (!Directory.Exists(folder))
            {
                throw new UsageException($"--plugins: no such folder: {folder}");
            }
        }

        var config = parse.GetValue(Config);
        if (config is not null && !File.Exists(config))
        {
            throw new UsageException($"--config: no such file: {config}");
        }

        var timeout = parse.GetValue(RuleTimeout);
        if (timeout is < 0 or > 86_400)
        {
            throw new UsageException($"--rule-timeout: expected seconds between 0 and 86400, got {timeout}");
        }

        return new CommandLineSettings
        {
            RuleTimeout = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            Options = options,
            ConfigPath = config,
            PluginFolders = plugins,
            Profile = parse.GetValue(Profile),
            Dialect = parse.GetValue(Dialect),
        };
    }
}
