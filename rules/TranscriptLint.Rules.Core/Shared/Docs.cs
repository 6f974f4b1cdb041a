namespace TranscriptLint.Rules.Core;

/// <summary>Reads the rule doc pages embedded from <c>docs/rules/</c>.</summary>
internal static class Docs
{
    /// <summary>The markdown doc page of a rule, or an empty string when it has none yet.</summary>
    public static string For(string id)
    {
        using var stream = typeof(Docs).Assembly.GetManifestResourceStream("docs." + id + ".md");
        if (stream is null)
        {
            return "";
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}

/// <summary>Builds descriptors with the shared defaults: help from the doc page, help URI, tags.</summary>
internal static class Describe
{
    public static RuleDescriptor Rule(
        string id,
        string name,
        string title,
        string messageFormat,
        string category,
        Severity severity,
        string fullDescription,
        FixAvailability fix,
        string[] prevents,
        string[]? tags = null,
        string precision = "high",
        double? securitySeverity = null,
        RuleOptionDescriptor[]? options = null,
        (ProviderProfile Profile, Severity Severity)[]? profileSeverities = null) => new(id, name, title, messageFormat, category, severity)
        {
            FullDescription = fullDescription,
            HelpMarkdown = Docs.For(id),
            HelpUri = RuleIdentifiers.HelpUri(id),
            FixAvailability = fix,
            PreventsErrors = prevents,
            Tags = ["transcript", category.ToLowerInvariant(), .. tags ?? []],
            Precision = precision,
            SecuritySeverity = securitySeverity,
            Options = options ?? [],
            ProfileSeverities = (profileSeverities ?? []).ToDictionary(p => p.Profile.Name, p => p.Severity, StringComparer.Ordinal),
        };
}
