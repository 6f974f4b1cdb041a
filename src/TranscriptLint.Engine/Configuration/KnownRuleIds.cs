using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Engine.Configuration;

/// <summary>
/// Refuses rule ids and prefixes that match no loaded rule, in <c>--select</c>/<c>--ignore</c> and in a config's
/// <c>severities</c> and <c>options</c>: a typo there would otherwise silently run nothing (or everything). The ids
/// of every loaded plugin count, so a plugin's own ids are accepted once it is loaded.
/// </summary>
public static class KnownRuleIds
{
    /// <summary>Throws when a selector matches no loaded rule id.</summary>
    /// <param name="rules">The loaded rules.</param>
    /// <param name="commandLine">The command-line layer.</param>
    /// <param name="config">The config in force, or null.</param>
    /// <exception cref="ArgumentException">An unknown id on the command line (one line naming it).</exception>
    /// <exception cref="ConfigException">An unknown id in the config file (names the file and JSON path).</exception>
    public static void Check(IReadOnlyList<LoadedRule> rules, LintOptions commandLine, TranscriptLintConfig? config)
    {
        var ids = rules.SelectMany(Descriptors).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (option, values) in new[] { ("--select", commandLine.Select), ("--ignore", commandLine.Ignore) })
        {
            foreach (var selector in values.Where(s => !IsKnown(s, ids)))
            {
                throw new ArgumentException($"{option}: unknown rule id or prefix '{selector}': no loaded rule matches it ({Hint})");
            }
        }

        if (config is null)
        {
            return;
        }

        foreach (var (section, keys) in new[] { ("severities", config.Severities.Keys), ("options", config.RuleOptions.Keys) })
        {
            foreach (var key in keys.Where(k => !IsKnown(k, ids)))
            {
                throw new ConfigException(config.FilePath, $"$.{section}.{key}", $"unknown rule id or prefix '{key}': no loaded rule matches it ({Hint})");
            }
        }
    }

    /// <summary>Whether a selector (an id, a prefix such as <c>TL3</c>, or <c>ALL</c>) matches one of <paramref name="ids"/>.</summary>
    /// <param name="selector">The selector.</param>
    /// <param name="ids">The known ids.</param>
    /// <returns>True when it matches.</returns>
    public static bool IsKnown(string selector, IReadOnlyCollection<string> ids) =>
        selector.Equals("ALL", StringComparison.OrdinalIgnoreCase) || ids.Any(id => LintOptions.Matches(id, selector));

    private const string Hint = "'transcriptlint rules' lists the ids; a plugin's ids are known once it is loaded with --plugins or the config's plugins";

    // A rule whose descriptors throw was already reported and dropped by the loader; never fail here because of it.
    private static IEnumerable<RuleDescriptor> Descriptors(LoadedRule rule)
    {
        try
        {
            return rule.Rule.SupportedDescriptors;
        }
        catch (Exception)
        {
            return [];
        }
    }
}
