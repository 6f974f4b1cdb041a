using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Plugins;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Configuration;

/// <summary>What the command line says, before the config file is merged in.</summary>
public sealed class CommandLineSettings
{
    /// <summary>Selection, severity and option overrides from the command line (its <see cref="LintOptions.Profile"/> is ignored: use <see cref="Profile"/>).</summary>
    public LintOptions Options { get; init; } = new();

    /// <summary>The <c>--profile</c> name, or null when not given.</summary>
    public string? Profile { get; init; }

    /// <summary>The <c>--config</c> file, or null to search upward from each transcript.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The <c>--plugins</c> folders, in order.</summary>
    public IReadOnlyList<string> PluginFolders { get; init; } = [];

    /// <summary>The <c>--dialect</c> name that forces one format instead of detecting it, or null.</summary>
    public string? Dialect { get; init; }

    /// <summary>The <c>--rule-timeout</c> budget, or null when not given.</summary>
    public TimeSpan? RuleTimeout { get; init; }

    /// <summary>The folder of built-in plugins (defaults to <c>plugins/</c> beside the executable).</summary>
    public string BuiltInPluginFolder { get; init; } = PluginRuleSource.BuiltInFolder;
}

/// <summary>
/// Merges command line, config file, provider profile and rule defaults (in that order of precedence) and
/// builds one rule host per distinct config, with the built-in, <c>--plugins</c> and config plugin folders.
/// </summary>
/// <param name="commandLine">The command-line layer.</param>
public sealed class LintSetup(CommandLineSettings commandLine)
{
    private readonly Dictionary<string, TranscriptLintConfig?> _configByDirectory = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TranscriptLintConfig> _configByPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (LintEngine Engine, IReadOnlyList<ToolNotification> Notifications)> _engines = new(StringComparer.Ordinal);

    /// <summary>The command-line layer.</summary>
    public CommandLineSettings CommandLine { get; } = commandLine;

    /// <summary>Whether the engines read and parse large files ahead of the rules on a second thread (<see cref="LintOptions.ParseAhead"/>), whatever the command line's options say.</summary>
    public bool ParseAhead { get; init; }

    /// <summary>The config that applies to a transcript: <c>--config</c>, else the nearest one above it.</summary>
    /// <param name="transcriptPath">The transcript.</param>
    /// <returns>The config, or null when there is none.</returns>
    /// <exception cref="ConfigException">The config file is invalid.</exception>
    public TranscriptLintConfig? ConfigFor(string transcriptPath) =>
        ConfigForDirectory(Path.GetDirectoryName(Path.GetFullPath(transcriptPath)) ?? ".");

    /// <summary>The config that applies in a folder (used by commands without a transcript, searching from the working directory).</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>The config, or null.</returns>
    /// <exception cref="ConfigException">The config file is invalid.</exception>
    public TranscriptLintConfig? ConfigForDirectory(string directory)
    {
        if (CommandLine.ConfigPath is { } explicitPath)
        {
            return LoadOnce(explicitPath);
        }

        var full = Path.GetFullPath(directory);
        if (!_configByDirectory.TryGetValue(full, out var config))
        {
            var found = ConfigFile.Find(full);
            config = found is null ? null : LoadOnce(found);
            _configByDirectory[full] = config;
        }

        return config;
    }

    /// <summary>The effective options under a config: command line &gt; config &gt; profile &gt; rule default.</summary>
    /// <param name="config">The config, or null.</param>
    /// <returns>The merged options.</returns>
    public LintOptions OptionsFor(TranscriptLintConfig? config) => Merge(CommandLine, config, ParseAhead);

    /// <summary>The plugin folders under a config: built-in, then <c>--plugins</c>, then the config's.</summary>
    /// <param name="config">The config, or null.</param>
    /// <returns>The folders, in load order.</returns>
    public IReadOnlyList<string> PluginFoldersFor(TranscriptLintConfig? config) =>
        [CommandLine.BuiltInPluginFolder, .. CommandLine.PluginFolders, .. config?.Plugins ?? []];

    /// <summary>The rules and their load problems under a config.</summary>
    /// <param name="config">The config, or null.</param>
    /// <param name="notifications">Receives load problems.</param>
    /// <returns>The rules.</returns>
    public IReadOnlyList<LoadedRule> RulesFor(TranscriptLintConfig? config, ICollection<ToolNotification> notifications) =>
        new PluginRuleSource(PluginFoldersFor(config)).LoadRules(notifications);

    /// <summary>The rule host for a config, built once per config.</summary>
    /// <param name="config">The config, or null.</param>
    /// <param name="notifications">Receives load and initialisation problems the first time the host is built.</param>
    /// <returns>The host.</returns>
    /// <exception cref="ArgumentException">An unknown rule id or prefix on the command line.</exception>
    /// <exception cref="ConfigException">The config is invalid or names an unknown rule id or prefix.</exception>
    public LintEngine EngineFor(TranscriptLintConfig? config, ICollection<ToolNotification> notifications)
    {
        var key = config?.FilePath ?? "";
        if (!_engines.TryGetValue(key, out var built))
        {
            var loadNotes = new List<ToolNotification>();
            var rules = RulesFor(config, loadNotes);
            KnownRuleIds.Check(rules, CommandLine.Options, config);
            RuleOptionsValidator.CheckAll(rules, CommandLine.Options, config);
            var engine = new LintEngine(rules, OptionsFor(config));
            loadNotes.AddRange(engine.InitializationNotifications);
            built = (engine, loadNotes);
            _engines[key] = built;
            foreach (var n in loadNotes)
            {
                notifications.Add(n);
            }
        }

        return built.Engine;
    }

    /// <summary>Merges the layers: command line over config over profile over rule defaults.</summary>
    /// <param name="commandLine">The command-line layer.</param>
    /// <param name="config">The config, or null.</param>
    /// <param name="parseAhead">Whether large files are read ahead even when the command line's options do not ask (<see cref="ParseAhead"/>).</param>
    /// <returns>The options the rule host runs with.</returns>
    public static LintOptions Merge(CommandLineSettings commandLine, TranscriptLintConfig? config, bool parseAhead = false)
    {
        var cli = commandLine.Options;
        var profileName = commandLine.Profile ?? config?.Profile;
        var profile = profileName is null
            ? cli.Profile
            : ProviderProfile.Find(profileName) ?? throw new ArgumentException(
                $"unknown provider profile '{profileName}' (expected one of {string.Join(", ", ProviderProfile.Names)})");

        var severities = new Dictionary<string, Severity>(StringComparer.Ordinal);
        foreach (var (key, value) in config?.Severities ?? new Dictionary<string, Severity>())
        {
            severities[key] = value;
        }

        foreach (var (key, value) in cli.Severities)
        {
            severities[key] = value; // the command line wins over the config for the same key
        }

        var ruleOptions = new Dictionary<string, RuleOptions>(StringComparer.Ordinal);
        foreach (var (key, value) in config?.RuleOptions ?? new Dictionary<string, RuleOptions>())
        {
            ruleOptions[key] = value;
        }

        foreach (var (key, value) in cli.RuleOptions)
        {
            ruleOptions[key] = value;
        }

        return new LintOptions
        {
            Profile = profile,
            Select = cli.Select,
            Ignore = cli.Ignore,
            Severities = severities,
            RuleOptions = ruleOptions,
            MaxLineBytes = cli.MaxLineBytes,
            HashFiles = cli.HashFiles,
            HashFindingLines = cli.HashFindingLines,
            RenderFixes = cli.RenderFixes,
            ParseAhead = cli.ParseAhead || parseAhead,
            TimeRules = cli.TimeRules,
            Dialect = commandLine.Dialect ?? cli.Dialect,
            RuleTimeout = commandLine.RuleTimeout ?? (config?.RuleTimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : cli.RuleTimeout),
        };
    }

    private TranscriptLintConfig LoadOnce(string path)
    {
        var full = Path.GetFullPath(path);
        if (!_configByPath.TryGetValue(full, out var config))
        {
            if (!File.Exists(full))
            {
                throw new ConfigException(path, "$", "the config file does not exist");
            }

            config = ConfigFile.Load(full);
            _configByPath[full] = config;
        }

        return config;
    }
}
