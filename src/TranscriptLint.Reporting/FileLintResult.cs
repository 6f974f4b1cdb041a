using TranscriptLint.Fixes;

namespace TranscriptLint.Reporting;

/// <summary>
/// What linting one transcript produced: the findings, and everything a reporter needs to show them without
/// reading the file again (each fix already rendered to edits of the file's bytes, the bytes' hash of the lines
/// that findings without an entry id point at).
/// </summary>
public sealed record FileLintResult
{
    private static readonly IReadOnlyDictionary<Fix, RenderedFix> NoFixes = new Dictionary<Fix, RenderedFix>(ReferenceEqualityComparer.Instance);
    private static readonly IReadOnlyDictionary<string, TimeSpan> NoRuleTimes = new Dictionary<string, TimeSpan>();

    /// <summary>The path as shown in findings.</summary>
    public required string Path { get; init; }

    /// <summary>The detected (or forced) dialect.</summary>
    public required string Dialect { get; init; }

    /// <summary>SHA-256 of the file's bytes as linted, lower-case hex; empty when the run was told not to hash (text output needs none).</summary>
    public required string Sha256 { get; init; }

    /// <summary>The number of physical lines.</summary>
    public required int LineCount { get; init; }

    /// <summary>The file size in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>Findings, sorted by line, column, rule id and message.</summary>
    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    /// <summary>Rule crashes and refused reports met while linting this file.</summary>
    public required IReadOnlyList<ToolNotification> Notifications { get; init; }

    /// <summary>
    /// Every fix of <see cref="Diagnostics"/> rendered by the dialect against the bytes that were linted, keyed by
    /// the fix instance. The fixer applies exactly these edits; reporters show them.
    /// </summary>
    public IReadOnlyDictionary<Fix, RenderedFix> RenderedFixes { get; init; } = NoFixes;

    /// <summary>
    /// Lower-case hex SHA-256 of the content bytes (no terminator) of each line a finding without an entry uuid
    /// starts on; absent for lines that do not exist. Baselines and fingerprints identify such findings by it.
    /// </summary>
    public IReadOnlyDictionary<int, string> LineHashes { get; init; } = new Dictionary<int, string>();

    /// <summary>
    /// The numbers of the lines that are not blank and did not parse as one JSON object (torn, glued, NUL bytes, too
    /// long), ascending; at most the first 65,536. The fixer repairs these before trusting a conversation built without them.
    /// </summary>
    public IReadOnlyList<int> UnparsedLines { get; init; } = [];

    /// <summary>
    /// With timing on (<c>lint --timing</c>), the time each rule spent in its actions on this file, by the rule's first
    /// id; empty otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> RuleTimes { get; init; } = NoRuleTimes;

    /// <summary>
    /// With timing on, how the conversation index of a file large enough for rows was kept: <c>rows</c>, or why an
    /// entry object was kept per line instead (a rule on the object model, a format without rows); null for a smaller
    /// file, or with timing off.
    /// </summary>
    public string? IndexStorage { get; init; }

    /// <summary>The rendered form of one of this result's fixes, or null when it was not rendered (e.g. a result built by hand).</summary>
    /// <param name="fix">A fix of one of <see cref="Diagnostics"/>.</param>
    /// <returns>The rendered fix, or null.</returns>
    public RenderedFix? RenderedFixOf(Fix fix) => RenderedFixes.GetValueOrDefault(fix);
}
