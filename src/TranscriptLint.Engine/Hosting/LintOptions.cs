namespace TranscriptLint.Engine.Hosting;

/// <summary>What to run and how severe each rule is, after command line, config and profile are merged.</summary>
public sealed class LintOptions
{
    /// <summary>The provider profile (default: the built-in <c>anthropic</c> profile).</summary>
    public ProviderProfile Profile { get; init; } = ProviderProfile.Anthropic;

    /// <summary>Only rule ids starting with one of these run (empty: all).</summary>
    public IReadOnlyList<string> Select { get; init; } = [];

    /// <summary>Rule ids starting with one of these do not run.</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>Severity overrides by rule id or prefix (the longest matching prefix wins).</summary>
    public IReadOnlyDictionary<string, Severity> Severities { get; init; } = new Dictionary<string, Severity>();

    /// <summary>Options per rule id.</summary>
    public IReadOnlyDictionary<string, RuleOptions> RuleOptions { get; init; } = new Dictionary<string, RuleOptions>();

    /// <summary>Lines longer than this many bytes are reported and not parsed.</summary>
    public int MaxLineBytes { get; init; } = 512 * 1024 * 1024;

    /// <summary>
    /// Whether each file's SHA-256 is computed as it is read (<see cref="TranscriptLint.Reporting.FileLintResult.Sha256"/>):
    /// SARIF, JSON and HTML reports carry it and the fixer checks it; text output does not need it, and on a large file
    /// it costs about a tenth of the lint.
    /// </summary>
    public bool HashFiles { get; init; } = true;

    /// <summary>
    /// Whether each finding without an entry id gets its line's SHA-256 (<see cref="TranscriptLint.Reporting.FileLintResult.LineHashes"/>),
    /// which SARIF fingerprints, GitLab reports and baselines use to tell findings apart. Other outputs do not need it,
    /// and the first SHA-256 of a run loads the system's crypto library: about 5 MB more resident memory.
    /// </summary>
    public bool HashFindingLines { get; init; } = true;

    /// <summary>
    /// Whether each fix is rendered as text edits with line and column regions (<see cref="TranscriptLint.Reporting.FileLintResult.RenderedFixes"/>):
    /// SARIF and the HTML report show them and the fixer reuses them; text, JSON and the other outputs do not, and
    /// rendering is about 3 % of a small file's cold lint (the renderer's first run).
    /// </summary>
    public bool RenderFixes { get; init; } = true;

    /// <summary>
    /// How long one rule action may run on one transcript before it is abandoned (its thread cannot be killed; it is
    /// left behind) and the file is linted again without that rule, which stays off for the rest of the run.
    /// <see cref="TimeSpan.Zero"/> runs rules inline with no watchdog.
    /// </summary>
    public TimeSpan RuleTimeout { get; init; } = DefaultRuleTimeout;

    /// <summary>
    /// Whether the time each rule spends in its actions is measured (<c>lint --timing</c>, like ESLint's TIMING and
    /// Roslyn's /reportanalyzer): two clock reads around every action call, so off unless asked. The results carry it as
    /// <see cref="TranscriptLint.Reporting.FileLintResult.RuleTimes"/>.
    /// </summary>
    public bool TimeRules { get; init; }

    /// <summary>The default <see cref="RuleTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultRuleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a large file's lines (from <see cref="ParseAheadFrom"/>) are read and parsed on a second thread ahead of the rules, which still
    /// run on one thread in file order (the same findings, byte for byte). For runs that would otherwise leave a core
    /// idle: one file on a machine with several cores. Off by default, so a lint is one thread unless asked.
    /// </summary>
    public bool ParseAhead { get; init; }

    /// <summary>
    /// The smallest file <see cref="ParseAhead"/> applies to (default 128 MiB). For its first second a run's second core
    /// is busy compiling hot code, so on two cores a smaller file gains nothing (measured: a 100 MB session lints in about
    /// the same time either way, a 300 MB one 18 % faster, a 1 GB one 22 %). The fixer's lints after its first, on compiled
    /// code, read ahead from 32 MiB (a torn 102 MB fix 7-10 % faster). Tests set 0 to read every file ahead.
    /// </summary>
    public long ParseAheadFrom { get; init; } = 128L * 1024 * 1024;

    /// <summary>
    /// Whether lines are parsed with their long escaped strings masked (<see cref="Reading.EscapedStringMask"/>: the same
    /// documents and errors, about twice as fast). Off only in tests that compare against the plain parse.
    /// </summary>
    internal bool MaskEscapedStrings { get; init; } = true;

    /// <summary>
    /// Whether a file whose conversation can be built over rows (Claude Code), from <see cref="EntryRowsFrom"/> bytes,
    /// keeps rows instead of an entry object per line when no rule asks for the object model (decision 0004, step 2:
    /// the same findings and fixes, byte for byte). Off only in tests that compare the two backings.
    /// </summary>
    internal bool EntryRows { get; init; } = true;

    /// <summary>
    /// The smallest file <see cref="EntryRows"/> applies to (default 32 MiB). Rows save the collector's copying of every
    /// kept entry, which only a file that outlives several young collections pays; a smaller file's entries die young,
    /// and copying each into rows cost 2-4 % on 1,000 files of 1.8 MB (two cores). Tests set 0.
    /// </summary>
    internal long EntryRowsFrom { get; init; } = 32L * 1024 * 1024;

    /// <summary>Forces a dialect instead of detecting it.</summary>
    public string? Dialect { get; init; }

    /// <summary>The effective severity of a rule id: select/ignore, then config, then profile, then the default.</summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <returns>The severity; <see cref="Severity.None"/> when the rule is off.</returns>
    public Severity EffectiveSeverity(RuleDescriptor descriptor)
    {
        var id = descriptor.Id;
        if (Select.Count > 0 && !Select.Any(p => Matches(id, p)))
        {
            return Severity.None;
        }

        if (Ignore.Any(p => Matches(id, p)))
        {
            return Severity.None;
        }

        var configured = Severities.Where(kv => Matches(id, kv.Key)).OrderByDescending(kv => kv.Key.Length).Select(kv => (Severity?)kv.Value).FirstOrDefault();
        if (configured is { } c)
        {
            return c;
        }

        return descriptor.SeverityOn(Profile);
    }

    /// <summary>Whether <paramref name="id"/> matches a selector: an exact id, a prefix like <c>TL3</c>, or <c>ALL</c>.</summary>
    /// <param name="id">The rule id.</param>
    /// <param name="selector">The selector.</param>
    /// <returns>True on a match.</returns>
    public static bool Matches(string id, string selector) =>
        selector.Equals("ALL", StringComparison.OrdinalIgnoreCase) || id.StartsWith(selector, StringComparison.OrdinalIgnoreCase);
}
