namespace TranscriptLint;

/// <summary>The JSON type of a rule option's value.</summary>
public enum RuleOptionType
{
    /// <summary>An integer (read with <see cref="RuleOptions.GetInt64"/>).</summary>
    Integer,

    /// <summary>A boolean (read with <see cref="RuleOptions.GetBoolean"/>).</summary>
    Boolean,

    /// <summary>A string (read with <see cref="RuleOptions.GetString"/>).</summary>
    String,
}

/// <summary>
/// One option a rule reads from <c>.transcriptlint.json</c> (<c>"options": { "TL6002": { "maxBytes": 250000 } }</c>).
/// The config schema and docs are generated from these, so an option a rule reads must be declared here.
/// </summary>
public sealed class RuleOptionDescriptor
{
    /// <summary>Creates an option descriptor.</summary>
    /// <param name="name">The option name as written in the config, e.g. <c>maxBytes</c>.</param>
    /// <param name="type">The value's JSON type.</param>
    /// <param name="description">One sentence saying what it sets, ending with a period.</param>
    public RuleOptionDescriptor(string name, RuleOptionType type, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        Name = name;
        Type = type;
        Description = description;
    }

    /// <summary>The option name.</summary>
    public string Name { get; }

    /// <summary>The value's JSON type.</summary>
    public RuleOptionType Type { get; }

    /// <summary>What the option sets.</summary>
    public string Description { get; }

    /// <summary>The value when unset (a <see cref="long"/>, <see cref="bool"/> or <see cref="string"/>), or null when it depends on the profile.</summary>
    public object? Default { get; init; }

    /// <summary>The smallest accepted value of an integer option, or null.</summary>
    public long? Minimum { get; init; }
}
