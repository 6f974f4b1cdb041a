using System.Globalization;

namespace TranscriptLint.Testing;

/// <summary>
/// What a case runs on: a small transcript written inline (JSONL lines of any dialect, or a JSON request body), and
/// the settings <c>transcriptlint</c> would take from the command line or <c>.transcriptlint.json</c>.
/// </summary>
public abstract record TranscriptCase
{
    /// <summary>Creates a case.</summary>
    /// <param name="transcript">The transcript text. A missing final line break is added (a C# raw string literal has none).</param>
    protected TranscriptCase(string transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        Transcript = transcript;
    }

    /// <summary>The transcript text, exactly as a file holds it.</summary>
    public string Transcript { get; init; }

    /// <summary>A name shown when the case fails (default: the first characters of the transcript).</summary>
    public string? Name { get; init; }

    /// <summary>Options of the rules under test, by option name (as under <c>options.&lt;ID&gt;</c> in the config). Values are serialised to JSON.</summary>
    public IReadOnlyDictionary<string, object?> Options { get; init; } = new Dictionary<string, object?>();

    /// <summary>The provider profile name (<c>anthropic</c>, <c>bedrock</c>, <c>openai-chat</c>, …); null for the default.</summary>
    public string? Profile { get; init; }

    /// <summary>Forces a dialect (as <c>--dialect</c>); null detects it from the content, as <c>transcriptlint</c> does.</summary>
    public string? Dialect { get; init; }

    /// <summary>The file name the transcript is linted under (findings carry it; some formats are named by it).</summary>
    public string FileName { get; init; } = "session.jsonl";

    /// <summary>The name shown in failure messages.</summary>
    public string DisplayName => Name ?? Preview(Transcript);

    private static string Preview(string text)
    {
        var first = text.TrimStart().Split('\n')[0];
        return first.Length > 70 ? first[..67] + "..." : first;
    }
}

/// <summary>A transcript on which the rules under test report nothing.</summary>
/// <param name="Transcript">The transcript text.</param>
public sealed record ValidCase(string Transcript) : TranscriptCase(Transcript);

/// <summary>
/// A transcript on which the rules under test report exactly <see cref="Findings"/>, and whose text after
/// <c>transcriptlint fix</c> is <see cref="Output"/> (Safe fixes) and after <c>fix --unsafe-fixes</c> is
/// <see cref="UnsafeOutput"/>.
/// </summary>
/// <param name="Transcript">The transcript text.</param>
public sealed record InvalidCase(string Transcript) : TranscriptCase(Transcript)
{
    /// <summary>Every expected finding, in any order. At least one.</summary>
    public required IReadOnlyList<ExpectedFinding> Findings { get; init; }

    /// <summary>
    /// The text after applying the Safe fixes (as <c>transcriptlint fix</c>). Null asserts that Safe fixes change
    /// nothing (like ESLint's <c>output: null</c>).
    /// </summary>
    public string? Output { get; init; }

    /// <summary>
    /// The text after applying Safe and Unsafe fixes (as <c>transcriptlint fix --unsafe-fixes</c>). Null asserts that
    /// it equals <see cref="Output"/> (no Unsafe fix changes anything beyond the Safe ones).
    /// </summary>
    public string? UnsafeOutput { get; init; }
}

/// <summary>
/// One expected finding: the rule id, the 1-based line, optionally the 1-based column and the exact message.
/// Converts from a string <c>"ID LINE[:COLUMN] [message]"</c>, e.g. <c>"ACME1001 2"</c> or
/// <c>"ACME1001 1:1 Message text names the internal host build01.corp.acme.example"</c>.
/// </summary>
/// <param name="Id">The rule id.</param>
/// <param name="Line">The 1-based line the finding starts on.</param>
/// <param name="Column">The 1-based column, or null to not check it.</param>
/// <param name="Message">The exact message, or null to not check it.</param>
public sealed record ExpectedFinding(string Id, int Line, int? Column = null, string? Message = null)
{
    /// <summary>The severity, or null to not check it.</summary>
    public Severity? Severity { get; init; }

    /// <summary>Parses <c>"ID LINE[:COLUMN] [message]"</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The expected finding.</returns>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static ExpectedFinding Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            throw new FormatException($"expected \"ID LINE[:COLUMN] [message]\", found \"{text}\"");
        }

        var position = parts[1].Split(':');
        if (!int.TryParse(position[0], NumberStyles.None, CultureInfo.InvariantCulture, out var line)
            || position.Length > 2
            || (position.Length == 2 && !int.TryParse(position[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"expected \"ID LINE[:COLUMN] [message]\", found \"{text}\": '{parts[1]}' is not LINE or LINE:COLUMN");
        }

        int? column = position.Length == 2 ? int.Parse(position[1], NumberStyles.None, CultureInfo.InvariantCulture) : null;
        return new ExpectedFinding(parts[0], line, column, parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>Parses <c>"ID LINE[:COLUMN] [message]"</c> (so a list of findings can be written as strings).</summary>
    /// <param name="text">The text.</param>
    public static implicit operator ExpectedFinding(string text) => Parse(text);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Id} {Line}{(Column is { } c ? ":" + c.ToString(CultureInfo.InvariantCulture) : "")}{(Message is null ? "" : " " + Message)}{(Severity is { } s ? " [" + s + "]" : "")}";
}

/// <summary>A case did not hold: the message says which case, what was expected and what happened.</summary>
public sealed class RuleTestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuleTestException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public RuleTestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public RuleTestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
