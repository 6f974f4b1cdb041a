namespace TranscriptLint.Engine.Profiles;

/// <summary>
/// The built-in provider profiles (RULES.md "Provider profiles"): what each provider accepts, so one rule serves
/// every provider. A profile sets rule severities, the tool-id length limit (TL3006), whether a request may end
/// on an assistant message (TL4009), whether previous-response ids must be <c>msg_</c> ids (TL4002) and the
/// context window (TL6003).
/// </summary>
public static class ProviderProfiles
{
    /// <summary>The name of the default profile.</summary>
    public const string DefaultName = "anthropic";

    /// <summary>The Anthropic Messages API (first party): merges consecutive same-role messages silently.</summary>
    public static ProviderProfile Anthropic { get; } = new("anthropic")
    {
        MaxToolIdLength = null,
        AllowsAssistantPrefill = true,
        ContextWindowTokens = 200_000,
        RequiresProviderMessageIds = true,
        Severities = new Dictionary<string, Severity>(StringComparer.Ordinal)
        {
            ["TL4003"] = Severity.Note,
        },
    };

    /// <summary>Claude on AWS Bedrock (Converse): roles must alternate; tool ids at most 64 characters.</summary>
    public static ProviderProfile Bedrock { get; } = new("bedrock")
    {
        MaxToolIdLength = 64,
        AllowsAssistantPrefill = true,
        ContextWindowTokens = 200_000,
        RequiresProviderMessageIds = false,
        Severities = new Dictionary<string, Severity>(StringComparer.Ordinal)
        {
            ["TL4003"] = Severity.Error,
        },
    };

    /// <summary>Claude on Google Vertex AI: the Anthropic Messages API behind Vertex's envelope.</summary>
    public static ProviderProfile Vertex { get; } = new("vertex")
    {
        MaxToolIdLength = null,
        AllowsAssistantPrefill = true,
        ContextWindowTokens = 200_000,
        RequiresProviderMessageIds = false,
        Severities = new Dictionary<string, Severity>(StringComparer.Ordinal)
        {
            ["TL4003"] = Severity.Note,
        },
    };

    /// <summary>OpenAI Chat Completions and compatible servers: tool call ids at most 40 characters, no prefill.</summary>
    public static ProviderProfile OpenAIChat { get; } = new("openai-chat")
    {
        MaxToolIdLength = 40,
        AllowsAssistantPrefill = false,
        ContextWindowTokens = 128_000,
        RequiresProviderMessageIds = false,
        Severities = new Dictionary<string, Severity>(StringComparer.Ordinal)
        {
            ["TL4003"] = Severity.Warning,
            ["TL4005"] = Severity.Note, // thinking signatures are Anthropic's; a converter drops them
            ["TL4006"] = Severity.Note,
            ["TL4009"] = Severity.Warning,
        },
    };

    /// <summary>The OpenAI Responses API (Codex, Agents SDK): call ids at most 64 characters, no prefill.</summary>
    public static ProviderProfile OpenAIResponses { get; } = new("openai-responses")
    {
        MaxToolIdLength = 64,
        AllowsAssistantPrefill = false,
        ContextWindowTokens = 400_000,
        RequiresProviderMessageIds = false,
        Severities = new Dictionary<string, Severity>(StringComparer.Ordinal)
        {
            ["TL4003"] = Severity.Warning,
            ["TL4005"] = Severity.Note,
            ["TL4006"] = Severity.Note,
            ["TL4009"] = Severity.Warning,
        },
    };

    /// <summary>Every built-in profile, the default first.</summary>
    public static IReadOnlyList<ProviderProfile> All { get; } = [Anthropic, Bedrock, Vertex, OpenAIChat, OpenAIResponses];

    /// <summary>The profile names, for help text and errors.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name)];

    /// <summary>Finds a profile by name (case-insensitive).</summary>
    /// <param name="name">The name, e.g. <c>bedrock</c>.</param>
    /// <returns>The profile, or null when there is none by that name.</returns>
    public static ProviderProfile? Find(string? name) =>
        name is null ? null : All.FirstOrDefault(p => p.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
}
