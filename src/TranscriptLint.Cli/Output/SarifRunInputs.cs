using TranscriptLint.Engine.Hosting;
using TranscriptLint.Sarif;

namespace TranscriptLint.Cli.Output;

/// <summary>What a SARIF run says about the engine that made it (the SARIF writer itself does not know the engine).</summary>
public static class SarifRunInputs
{
    /// <summary>Every plugin that provided a loaded rule: its name, its assembly version and the ids it declares.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>The plugins, ordered by name.</returns>
    public static IReadOnlyList<SarifExtension> PluginsOf(LintEngine engine) =>
        [.. engine.Rules.GroupBy(r => r.Source, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SarifExtension(
                g.Key,
                g.First().Rule.GetType().Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                [.. g.SelectMany(r => r.Rule.SupportedDescriptors).DistinctBy(d => d.Id).OrderBy(d => d.Id, StringComparer.Ordinal)]))];

    /// <summary>The enabled rules of an engine: every descriptor whose effective severity is not None.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>The rules, ordered by id.</returns>
    public static IReadOnlyList<SarifRule> EnabledRules(LintEngine engine) =>
        [.. engine.Rules.SelectMany(r => r.Rule.SupportedDescriptors)
            .Select(d => new SarifRule(d, engine.Options.EffectiveSeverity(d)))
            .Where(r => r.Severity != Severity.None)
            .DistinctBy(r => r.Descriptor.Id)
            .OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal)];
}
