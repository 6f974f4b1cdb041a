namespace TranscriptLint;

/// <summary>
/// What a provider accepts: tool-id limits, prefill, previous-response ids and the context window. Rules read the
/// profile instead of hard-coding one provider. How severe a rule is on a profile is the rule's own data
/// (<see cref="RuleDescriptor.ProfileSeverities"/>), so a profile knows no rule id. The built-in profiles
/// (RULES.md "Provider profiles") are the static members; <c>--profile NAME</c> picks one by <see cref="Name"/>.
/// </summary>
public sealed class ProviderProfile
{
    /// <summary>Creates a profile.</summary>
    /// <param name="name">The profile name, e.g. <c>anthropic</c>.</param>
    public ProviderProfile(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The profile name.</summary>
    public string Name { get; }

    /// <summary>Maximum tool call id length, or null for no limit.</summary>
    public int? MaxToolIdLength { get; init; }

    /// <summary>Whether a request may end on an assistant message (prefill).</summary>
    public bool AllowsAssistantPrefill { get; init; } = true;

    /// <summary>The context window in tokens.</summary>
    public int ContextWindowTokens { get; init; } = 200_000;

    /// <summary>Whether provider message ids must start with <c>msg_</c> (Anthropic's cache diagnostics).</summary>
    public bool RequiresProviderMessageIds { get; init; } = true;

    /// <summary>
    /// Whether tool results travel inside user messages (the Anthropic Messages API and the APIs built on it), so a
    /// tool result followed by a user prompt is two user messages in a row; false where a tool result is a message
    /// of its own role (OpenAI <c>role:"tool"</c>, Responses <c>function_call_output</c>).
    /// </summary>
    public bool ToolResultsInUserMessages { get; init; } = true;

    /// <summary>Severity overrides by rule id, for a custom profile.</summary>
    [Obsolete("Contract 1.1: a rule's severity per profile is descriptor data (RuleDescriptor.ProfileSeverities). Still honoured, after the descriptor's; removed in 2.0.")]
    public IReadOnlyDictionary<string, Severity> Severities { get; init; } = new Dictionary<string, Severity>();

    /// <summary>The name of the default profile, <c>anthropic</c>.</summary>
    public const string DefaultName = "anthropic";

    /// <summary>The Anthropic Messages API (first party), the default: merges consecutive same-role messages silently.</summary>
    public static ProviderProfile Anthropic { get; } = new(DefaultName)
    {
        MaxToolIdLength = null,
        AllowsAssistantPrefill = true,
        ContextWindowTokens = 200_000,
        RequiresProviderMessageIds = true,
    };

    /// <summary>Claude on AWS Bedrock (Converse): roles must alternate; tool ids at most 64 characters.</summary>
    public static ProviderProfile Bedrock { get; } = new("bedrock")
    {
        MaxToolIdLength = 64,
        AllowsAssistantPrefill = true,
        ContextWindowTokens = 200_000,
        RequiresProviderMessageIds = false,
    };

    /// <summary>Claude on Google Vertex AI: the Anthropic Messages API behind Vertex's envelope.</summary>
    public static ProviderProfile Vertex { get; } = new("vertex")
    {
        MaxToolIdLength = null,
        AllowsAssistantPrefill = true,
        ContextWindowTokens = 200_000,
        RequiresProviderMessageIds = false,
    };

    /// <summary>OpenAI Chat Completions and compatible servers: tool call ids at most 40 characters, no prefill.</summary>
    public static ProviderProfile OpenAIChat { get; } = new("openai-chat")
    {
        MaxToolIdLength = 40,
        AllowsAssistantPrefill = false,
        ToolResultsInUserMessages = false,
        ContextWindowTokens = 128_000,
        RequiresProviderMessageIds = false,
    };

    /// <summary>The OpenAI Responses API (Codex, Agents SDK): call ids at most 64 characters, no prefill.</summary>
    public static ProviderProfile OpenAIResponses { get; } = new("openai-responses")
    {
        MaxToolIdLength = 64,
        AllowsAssistantPrefill = false,
        ToolResultsInUserMessages = false,
        ContextWindowTokens = 400_000,
        RequiresProviderMessageIds = false,
    };

    /// <summary>Every built-in profile, the default first.</summary>
    public static IReadOnlyList<ProviderProfile> All { get; } = [Anthropic, Bedrock, Vertex, OpenAIChat, OpenAIResponses];

    /// <summary>The built-in profile names, for help text and errors.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name)];

    /// <summary>Finds a built-in profile by name (case-insensitive, surrounding spaces ignored).</summary>
    /// <param name="name">The name, e.g. <c>bedrock</c>.</param>
    /// <returns>The profile, or null when there is none by that name.</returns>
    public static ProviderProfile? Find(string? name) =>
        name is null ? null : All.FirstOrDefault(p => p.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public override string ToString() => Name;
}
