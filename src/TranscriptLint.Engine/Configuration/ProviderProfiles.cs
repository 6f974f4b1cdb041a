namespace TranscriptLint.Engine.Configuration;

/// <summary>The provider profiles a config file or <c>--profile</c> may name (spec/RULES.md, "Provider profiles").</summary>
public static class ProviderProfiles
{
    private static readonly Dictionary<string, ProviderProfile> ByNameMap = new(StringComparer.OrdinalIgnoreCase)
    {
        ["anthropic"] = ProviderProfile.Anthropic,
        ["bedrock"] = new("bedrock")
        {
            MaxToolIdLength = 64,
            RequiresProviderMessageIds = false,
            Severities = new Dictionary<string, Severity> { ["TL4003"] = Severity.Error },
        },
        ["vertex"] = new("vertex") { RequiresProviderMessageIds = false },
        ["openai-chat"] = new("openai-chat") { MaxToolIdLength = 40, RequiresProviderMessageIds = false },
        ["openai-responses"] = new("openai-responses") { MaxToolIdLength = 64, RequiresProviderMessageIds = false },
    };

    /// <summary>Every profile name, in the order the docs list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["anthropic", "bedrock", "vertex", "openai-chat", "openai-responses"];

    /// <summary>The profile of a name, or null when the name is unknown.</summary>
    /// <param name="name">A profile name such as <c>anthropic</c>.</param>
    /// <returns>The profile.</returns>
    public static ProviderProfile? ByName(string name) => ByNameMap.GetValueOrDefault(name);
}
