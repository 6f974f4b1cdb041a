using System.Text.Json;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Engine.Configuration;

/// <summary>
/// Checks configured rule options against the options a rule declares (<see cref="RuleDescriptor.Options"/>), for
/// every loaded rule, built-in or plugin: a typo or a wrong type would otherwise be ignored and the default used.
/// The messages are those the config schema gives for a built-in rule.
/// </summary>
public static class RuleOptionsValidator
{
    /// <summary>The first problem of one rule's options, or null when they are valid.</summary>
    /// <param name="descriptor">The rule's descriptor.</param>
    /// <param name="values">The configured values.</param>
    /// <returns>The option name and a one-line problem, or null.</returns>
    public static (string Option, string Problem)? Check(RuleDescriptor descriptor, IReadOnlyDictionary<string, JsonElement> values)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (name, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var declared = descriptor.Options.FirstOrDefault(o => o.Name == name);
            if (declared is null)
            {
                var names = descriptor.Options.Select(o => o.Name).ToList();
                return (name, $"unknown property '{name}'" + (names.Count == 0 ? " (this rule has no options)" : $" (expected one of {string.Join(", ", names)})"));
            }

            if (Problem(declared, value) is { } problem)
            {
                return (name, problem);
            }
        }

        return null;
    }

    /// <summary>
    /// Throws on the first invalid option of any loaded rule: the config's with a <see cref="ConfigException"/> naming
    /// the file and JSON path, the command line's with an <see cref="ArgumentException"/>.
    /// </summary>
    /// <param name="rules">The loaded rules.</param>
    /// <param name="commandLine">The command-line layer.</param>
    /// <param name="config">The config in force, or null.</param>
    /// <exception cref="ConfigException">An invalid option in the config.</exception>
    /// <exception cref="ArgumentException">An invalid option on the command line.</exception>
    public static void CheckAll(IReadOnlyList<LoadedRule> rules, LintOptions commandLine, TranscriptLintConfig? config)
    {
        var descriptors = rules.Where(Declares).SelectMany(Descriptors).GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var (id, options) in config?.RuleOptions ?? new Dictionary<string, RuleOptions>())
        {
            if (descriptors.TryGetValue(id, out var d) && Check(d, options.Values) is var (option, problem))
            {
                throw new ConfigException(config!.FilePath, $"$.options.{id}.{option}", problem);
            }
        }

        foreach (var (id, options) in commandLine.RuleOptions)
        {
            if (descriptors.TryGetValue(id, out var d) && Check(d, options.Values) is var (option, problem))
            {
                throw new ArgumentException($"option {id}.{option}: {problem}");
            }
        }
    }

    private static string? Problem(RuleOptionDescriptor option, JsonElement value)
    {
        switch (option.Type)
        {
            case RuleOptionType.Integer when value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _):
                return $"expected an integer, found {Show(value)}";
            case RuleOptionType.Integer when option.Minimum is { } min && value.GetInt64() < min:
                return $"expected a number of at least {min}, found {Show(value)}";
            case RuleOptionType.Boolean when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                return $"expected a boolean, found {Show(value)}";
            case RuleOptionType.String when value.ValueKind != JsonValueKind.String:
                return $"expected a string, found {Show(value)}";
            default:
                return null;
        }
    }

    private static string Show(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.Null => "null",
            _ => value.GetRawText(),
        };
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    // Contract 1.0 had no RuleDescriptor.Options: a 1.0 plugin that declares none may still read options, so its
    // options are not checked (its rebuild against 1.1 declares them).
    private static bool Declares(LoadedRule rule) =>
        Descriptors(rule).Any(d => d.Options.Count > 0)
        || rule.Rule.GetType().Assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == "TranscriptLint.Abstractions") is not { Version: { } v }
        || v >= new Version(1, 1);

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
