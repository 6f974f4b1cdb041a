using System.Reflection;

namespace TranscriptLint.Engine.Hosting;

/// <summary>A rule instance and where it came from (shown by <c>transcriptlint rules</c>).</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Source">The assembly or plugin name it was loaded from.</param>
public sealed record LoadedRule(TranscriptRule Rule, string Source)
{
    /// <summary>The plugin assembly's path, when the rule came from a plugin folder.</summary>
    public string? AssemblyPath { get; init; }
}

/// <summary>A problem met while loading or running rules; reported, never fatal for the run.</summary>
/// <param name="Level">error or warning.</param>
/// <param name="Message">One line saying what happened.</param>
/// <param name="RuleId">The rule concerned, when known.</param>
/// <param name="Path">The transcript concerned, when known.</param>
public sealed record ToolNotification(string Level, string Message, string? RuleId = null, string? Path = null);

/// <summary>Where rules come from. The built-in assembly today; plugin folders plug in behind the same interface.</summary>
public interface IRuleSource
{
    /// <summary>Loads the rules.</summary>
    /// <param name="notifications">Receives load problems.</param>
    /// <returns>The loaded rules.</returns>
    IReadOnlyList<LoadedRule> LoadRules(ICollection<ToolNotification> notifications);
}

/// <summary>Loads every public concrete <see cref="TranscriptRule"/> with a parameterless constructor from an assembly.</summary>
/// <param name="assembly">The assembly.</param>
public sealed class AssemblyRuleSource(Assembly assembly) : IRuleSource
{
    /// <inheritdoc/>
    public IReadOnlyList<LoadedRule> LoadRules(ICollection<ToolNotification> notifications)
    {
        var source = assembly.GetName().Name ?? assembly.FullName ?? "rules";
        var rules = new List<LoadedRule>();
        foreach (var type in assembly.GetExportedTypes().Where(t => !t.IsAbstract && typeof(TranscriptRule).IsAssignableFrom(t)).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            try
            {
                if (type.GetConstructor(Type.EmptyTypes) is null)
                {
                    notifications.Add(new ToolNotification("warning", $"{source}: rule type {type.FullName} has no public parameterless constructor; skipped."));
                    continue;
                }

                rules.Add(new LoadedRule((TranscriptRule)Activator.CreateInstance(type)!, source));
            }
            catch (Exception ex)
            {
                notifications.Add(new ToolNotification("error", $"{source}: rule type {type.FullName} could not be created: {ExceptionText.OneLine(ex)}"));
            }
        }

        return rules;
    }
}
