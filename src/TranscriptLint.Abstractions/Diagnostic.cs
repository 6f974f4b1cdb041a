using TranscriptLint.Fixes;

namespace TranscriptLint;

/// <summary>One finding: which rule, where, the message, and the fixes it offers.</summary>
public sealed class Diagnostic
{
    private Diagnostic(RuleDescriptor descriptor, Location location, string message, IReadOnlyList<Fix> fixes)
    {
        Descriptor = descriptor;
        Location = location;
        Message = message;
        Fixes = fixes;
        Severity = descriptor.DefaultSeverity;
    }

    /// <summary>The descriptor of the rule ID reported.</summary>
    public RuleDescriptor Descriptor { get; }

    /// <summary>The rule ID.</summary>
    public string Id => Descriptor.Id;

    /// <summary>Where the finding is.</summary>
    public Location Location { get; private set; }

    /// <summary>The fully formatted message.</summary>
    public string Message { get; }

    /// <summary>The fixes offered, in preference order (usually zero or one).</summary>
    public IReadOnlyList<Fix> Fixes { get; }

    /// <summary>The effective severity after profile and config; set by the host.</summary>
    public Severity Severity { get; private set; }

    /// <summary>Creates a finding.</summary>
    /// <param name="descriptor">A descriptor the reporting rule declared.</param>
    /// <param name="location">Where.</param>
    /// <param name="fix">The fix, or null.</param>
    /// <param name="messageArgs">Arguments for the descriptor's message format.</param>
    /// <returns>The finding.</returns>
    public static Diagnostic Create(RuleDescriptor descriptor, Location location, Fix? fix, params object?[] messageArgs)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(location);
        return new Diagnostic(descriptor, location, descriptor.FormatMessage(messageArgs), fix is null ? [] : [fix]);
    }

    /// <summary>Returns a copy with the given effective severity (host use).</summary>
    /// <param name="severity">The severity.</param>
    /// <returns>The copy.</returns>
    public Diagnostic WithSeverity(Severity severity) =>
        new(Descriptor, Location, Message, Fixes) { Severity = severity };

    /// <summary>Returns a copy offering other fixes (host use, e.g. to offer a format's fixes as Unsafe).</summary>
    /// <param name="fixes">The fixes.</param>
    /// <returns>The copy.</returns>
    public Diagnostic WithFixes(IReadOnlyList<Fix> fixes) =>
        new(Descriptor, Location, Message, fixes) { Severity = Severity };

    /// <summary>Returns a copy with a resolved location (host use).</summary>
    /// <param name="location">The location.</param>
    /// <returns>The copy.</returns>
    public Diagnostic WithLocation(Location location) =>
        new(Descriptor, location, Message, Fixes) { Severity = Severity };

    /// <inheritdoc/>
    public override string ToString() => $"{Location.Path}({Location.StartLine},{Location.StartColumn}): {Id}: {Message}";
}
