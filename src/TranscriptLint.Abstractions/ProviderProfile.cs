namespace TranscriptLint;

/// <summary>
/// What a provider accepts: rule severities differ by provider, and so do tool-id limits, prefill and the
/// context window. Rules read the profile instead of hard-coding one provider.
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

    /// <summary>Severity overrides by rule id.</summary>
    public IReadOnlyDictionary<string, Severity> Severities { get; init; } = new Dictionary<string, Severity>();

    /// <summary>The default profile: the Anthropic Messages API.</summary>
    public static ProviderProfile Anthropic { get; } = new("anthropic");

    /// <inheritdoc/>
    public override string ToString() => Name;
}
