using System.Globalization;

namespace TranscriptLint;

/// <summary>
/// Static metadata of one rule ID, readable without running the rule: docs, <c>transcriptlint rules</c>,
/// SARIF <c>tool.driver.rules</c> and the config schema are all generated from descriptors.
/// </summary>
public sealed class RuleDescriptor
{
    /// <summary>Creates a descriptor. <paramref name="id"/> and <paramref name="name"/> are a public contract.</summary>
    /// <param name="id">Stable ID such as <c>TL3001</c>: letters followed by digits.</param>
    /// <param name="name">Kebab-case name such as <c>tool-call-without-result</c>.</param>
    /// <param name="title">One-line title without a trailing period.</param>
    /// <param name="messageFormat">Composite format string for the finding message (<c>{0}</c>, <c>{1}</c>, …).</param>
    /// <param name="category">Category, e.g. <c>Integrity</c>, <c>Graph</c>, <c>ToolPairing</c>, <c>Resume</c>.</param>
    /// <param name="defaultSeverity">Severity when no profile or config overrides it.</param>
    public RuleDescriptor(string id, string name, string title, string messageFormat, string category, Severity defaultSeverity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageFormat);
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        if (!IsValidId(id))
        {
            throw new ArgumentException($"Rule id '{id}' must be 2-8 uppercase letters followed by 3-5 digits.", nameof(id));
        }

        Id = id;
        Name = name;
        Title = title;
        MessageFormat = messageFormat;
        Category = category;
        DefaultSeverity = defaultSeverity;
    }

    /// <summary>The stable rule ID, e.g. <c>TL3001</c>.</summary>
    public string Id { get; }

    /// <summary>The kebab-case rule name, e.g. <c>tool-call-without-result</c>.</summary>
    public string Name { get; }

    /// <summary>A one-line title.</summary>
    public string Title { get; }

    /// <summary>The finding message as a composite format string.</summary>
    public string MessageFormat { get; }

    /// <summary>The rule's category.</summary>
    public string Category { get; }

    /// <summary>Severity before profile and config overrides.</summary>
    public Severity DefaultSeverity { get; }

    /// <summary>A paragraph that says what the rule checks and why; ends with punctuation.</summary>
    public string FullDescription { get; init; } = "";

    /// <summary>Help in markdown: usually the rule's whole doc page.</summary>
    public string HelpMarkdown { get; init; } = "";

    /// <summary>Link to the rule's documentation page.</summary>
    public string? HelpUri { get; init; }

    /// <summary>Whether findings of this rule carry fixes.</summary>
    public FixAvailability FixAvailability { get; init; } = FixAvailability.None;

    /// <summary>Free-form tags (SARIF <c>properties.tags</c>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>SARIF precision: <c>very-high</c>, <c>high</c>, <c>medium</c> or <c>low</c>.</summary>
    public string Precision { get; init; } = "high";

    /// <summary>CVSS-like score 0.0-10.0 for security rules (SARIF <c>security-severity</c>); null otherwise.</summary>
    public double? SecuritySeverity { get; init; }

    /// <summary>The provider error text this rule prevents, quoted in docs and used by <c>explain-error</c>.</summary>
    public IReadOnlyList<string> PreventsErrors { get; init; } = [];

    /// <summary>
    /// The rule's severity on provider profiles where it differs from <see cref="DefaultSeverity"/>, by profile name
    /// (e.g. role alternation is a note on <c>anthropic</c>, which merges same-role messages, and an error on
    /// <c>bedrock</c>, which rejects them). Config severities still win.
    /// </summary>
    public IReadOnlyDictionary<string, Severity> ProfileSeverities { get; init; } = new Dictionary<string, Severity>();

    /// <summary>The severity on <paramref name="profile"/> before config overrides: the profile's entry, else the default.</summary>
    /// <param name="profile">The provider profile.</param>
    /// <returns>The severity.</returns>
    public Severity SeverityOn(ProviderProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
#pragma warning disable CS0618 // a custom profile's own overrides (contract 1.0) still apply
        if (profile.Severities.TryGetValue(Id, out var custom))
        {
            return custom;
        }
#pragma warning restore CS0618

        return ProfileSeverities.TryGetValue(profile.Name, out var s) ? s : DefaultSeverity;
    }

    /// <summary>The options the rule reads from the config file (generated into <c>rules.schema.json</c>).</summary>
    public IReadOnlyList<RuleOptionDescriptor> Options { get; init; } = [];

    /// <summary>Formats <see cref="MessageFormat"/> with invariant culture.</summary>
    /// <param name="args">The message arguments.</param>
    /// <returns>The finished message text.</returns>
    public string FormatMessage(params object?[] args) =>
        args.Length == 0 ? MessageFormat : string.Format(CultureInfo.InvariantCulture, MessageFormat, args);

    /// <summary>Whether <paramref name="id"/> has the shape of a rule ID (letters then digits).</summary>
    /// <param name="id">The candidate ID.</param>
    /// <returns>True when the ID is well formed.</returns>
    public static bool IsValidId(string id)
    {
        var letters = 0;
        while (letters < id.Length && char.IsAsciiLetterUpper(id[letters]))
        {
            letters++;
        }

        var digits = id.Length - letters;
        return letters is >= 2 and <= 8 && digits is >= 3 and <= 5 && id.AsSpan(letters).ContainsOnlyAsciiDigits();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Id} {Name}";
}

file static class SpanExtensions
{
    public static bool ContainsOnlyAsciiDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
