using System.Globalization;
using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Plugins;

namespace TranscriptLint.Testing;

/// <summary>
/// Runs rules on small inline transcripts through the real <c>transcriptlint</c> engine and fixer, in the spirit of
/// ESLint's RuleTester and Microsoft.CodeAnalysis.Testing's verifiers. A <see cref="ValidCase"/> must report
/// nothing; an <see cref="InvalidCase"/> must report exactly its findings, and the Safe and Unsafe fix passes must
/// give exactly its <see cref="InvalidCase.Output"/> and <see cref="InvalidCase.UnsafeOutput"/>. Any rule that throws,
/// a fix the fixer refuses, options the rule does not declare, all fail the case. Failures throw
/// <see cref="RuleTestException"/>, which every test framework reports.
/// </summary>
/// <example>
/// <code>
/// [Fact]
/// public void Internal_hosts() => RuleTester.For&lt;InternalHostnameRule&gt;().Run(
///     valid: [new ValidCase("""{"type":"user", … "content":"nothing internal"}""")],
///     invalid:
///     [
///         new InvalidCase("""{"type":"user", … "content":"deploy to build01.corp.acme.example"}""")
///         {
///             Findings = ["ACME1001 1 Message text names the internal host build01.corp.acme.example"],
///             UnsafeOutput = """{"type":"user", … "content":"deploy to [internal-host]"}""",
///         },
///     ]);
/// </code>
/// </example>
public sealed class RuleTester
{
    private readonly IReadOnlyList<LoadedRule> _rules;

    /// <summary>Tests the given rule instances together (only they run, as with <c>--select</c>).</summary>
    /// <param name="rules">The rules under test.</param>
    public RuleTester(params TranscriptRule[] rules)
        : this((IEnumerable<TranscriptRule>)rules)
    {
    }

    /// <summary>Tests the given rule instances together (only they run, as with <c>--select</c>).</summary>
    /// <param name="rules">The rules under test.</param>
    public RuleTester(IEnumerable<TranscriptRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules.Select(r => new LoadedRule(r, r.GetType().Assembly.GetName().Name ?? "rules"))];
        if (_rules.Count == 0)
        {
            throw new ArgumentException("no rule to test", nameof(rules));
        }
    }

    /// <summary>Tests one rule type.</summary>
    /// <typeparam name="TRule">The rule.</typeparam>
    /// <returns>The tester.</returns>
    public static RuleTester For<TRule>()
        where TRule : TranscriptRule, new() => new(new TRule());

    /// <summary>
    /// Loads a built plugin assembly the way <c>transcriptlint</c> loads it (copied alone into a temporary
    /// <c>plugins/&lt;Name&gt;/</c> folder, its own load context, the contract version check, duplicate ids) and tests
    /// every rule in it. Any load problem fails with the message <c>transcriptlint</c> would print.
    /// </summary>
    /// <param name="assemblyPath">The plugin's built DLL, e.g. <c>typeof(MyRule).Assembly.Location</c>.</param>
    /// <returns>The tester over the loaded rules.</returns>
    /// <exception cref="RuleTestException">The plugin did not load cleanly, or has no rule.</exception>
    public static RuleTester ForPlugin(string assemblyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        var name = Path.GetFileNameWithoutExtension(assemblyPath);
        var root = Directory.CreateTempSubdirectory("transcriptlint-plugin-");
        var folder = Directory.CreateDirectory(Path.Combine(root.FullName, name));
        File.Copy(assemblyPath, Path.Combine(folder.FullName, name + ".dll"));
        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([root.FullName]).LoadRules(notifications);
        if (notifications.Count > 0)
        {
            throw new RuleTestException($"plugin {name} did not load cleanly:\n" + string.Join('\n', notifications.Select(n => $"{n.Level}: {n.Message}")));
        }

        return rules.Count == 0
            ? throw new RuleTestException($"plugin {name} has no rule (a public sealed class deriving from TranscriptRule with a public parameterless constructor)")
            : new RuleTester(rules.Select(r => r.Rule));
    }

    /// <summary>Every rule id the rules under test declare.</summary>
    public IReadOnlyList<RuleDescriptor> Descriptors => [.. _rules.SelectMany(r => r.Rule.SupportedDescriptors)];

    /// <summary>Runs every case; throws on the first that fails, naming it.</summary>
    /// <param name="valid">Transcripts that must report nothing.</param>
    /// <param name="invalid">Transcripts that must report exactly their findings and fix to their outputs.</param>
    /// <exception cref="RuleTestException">A case failed.</exception>
    public void Run(IEnumerable<ValidCase> valid, IEnumerable<InvalidCase> invalid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(invalid);
        foreach (var c in valid)
        {
            Valid(c);
        }

        foreach (var c in invalid)
        {
            Invalid(c);
        }
    }

    /// <summary>Asserts that the rules report nothing on the transcript.</summary>
    /// <param name="testCase">The case.</param>
    /// <exception cref="RuleTestException">Something was reported, or a rule failed.</exception>
    public void Valid(ValidCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var diagnostics = Diagnostics(testCase);
        if (diagnostics.Count > 0)
        {
            throw Fail(testCase, "valid", "expected no findings, found:\n" + string.Join('\n', diagnostics.Select(d => "  " + Show(d))));
        }
    }

    /// <summary>Asserts the findings of the transcript and its text after the Safe and the Unsafe fixes.</summary>
    /// <param name="testCase">The case.</param>
    /// <exception cref="RuleTestException">The findings or a fixed text differ, or a rule or fix failed.</exception>
    public void Invalid(InvalidCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        if (testCase.Findings.Count == 0)
        {
            throw Fail(testCase, "invalid", "an invalid case must expect at least one finding (use a ValidCase for none)");
        }

        var diagnostics = Diagnostics(testCase);
        var expected = testCase.Findings.OrderBy(f => f.Line).ThenBy(f => f.Column ?? 0).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
        var actual = diagnostics.OrderBy(d => d.Location.StartLine).ThenBy(d => d.Location.StartColumn).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        var matches = expected.Count == actual.Count && expected.Zip(actual).All(p => Matches(p.First, p.Second));
        if (!matches)
        {
            throw Fail(testCase, "invalid", "findings differ.\nexpected:\n" + string.Join('\n', expected.Select(e => "  " + e))
                + "\nactual:\n" + (actual.Count == 0 ? "  (none)" : string.Join('\n', actual.Select(d => "  " + Show(d)))));
        }

        var safe = Fix(testCase, includeUnsafe: false);
        var input = Normalize(testCase.Transcript);
        var expectedSafe = testCase.Output is null ? input : Normalize(testCase.Output);
        if (safe != expectedSafe)
        {
            throw Fail(testCase, "invalid", testCase.Output is null
                ? "Safe fixes changed the transcript but the case has no Output; the text after `transcriptlint fix` is:\n" + safe
                : "the text after the Safe fixes differs from Output:\n" + Difference(expectedSafe, safe));
        }

        var @unsafe = Fix(testCase, includeUnsafe: true);
        var expectedUnsafe = testCase.UnsafeOutput is null ? expectedSafe : Normalize(testCase.UnsafeOutput);
        if (@unsafe != expectedUnsafe)
        {
            throw Fail(testCase, "invalid", testCase.UnsafeOutput is null
                ? "Unsafe fixes changed the transcript beyond the Safe ones but the case has no UnsafeOutput; the text after `transcriptlint fix --unsafe-fixes` is:\n" + @unsafe
                : "the text after the Safe and Unsafe fixes differs from UnsafeOutput:\n" + Difference(expectedUnsafe, @unsafe));
        }
    }

    /// <summary>
    /// The findings of the rules under test on a case's transcript, with their fixes, for assertions the cases do not
    /// cover (a fix's title or edits).
    /// </summary>
    /// <param name="testCase">The case.</param>
    /// <returns>The findings, in report order.</returns>
    /// <exception cref="RuleTestException">A rule threw, overran, wrote to the console, or the options are invalid.</exception>
    public IReadOnlyList<Diagnostic> Diagnostics(TranscriptCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var engine = Engine(testCase);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Normalize(testCase.Transcript)));
        var result = engine.LintStream(stream, testCase.FileName);
        if (result.Notifications.Count > 0)
        {
            throw Fail(testCase, "lint", string.Join('\n', result.Notifications.Select(n => $"{n.Level}: {n.Message}")));
        }

        return result.Diagnostics;
    }

    private string Fix(InvalidCase testCase, bool includeUnsafe)
    {
        var kind = includeUnsafe ? "fix --unsafe-fixes" : "fix";
        var outcome = new TranscriptFixer(Engine(testCase), new FixOptions { IncludeUnsafe = includeUnsafe })
            .Fix(Encoding.UTF8.GetBytes(Normalize(testCase.Transcript)), testCase.FileName);
        var problems = outcome.Notifications.Select(n => $"{n.Level}: {n.Message}")
            .Concat(outcome.Rejected.Select(r => $"the fixer refused {r.Candidate.RuleId} '{r.Candidate.Fix.Title}': {r.Reason}"))
            .Concat(outcome.Refusal is { } refusal ? [refusal] : [])
            .Concat(outcome.Converged ? [] : [$"fixes did not converge (still applicable: {string.Join(", ", outcome.NonConvergedRuleIds)})"])
            .ToList();
        if (problems.Count > 0)
        {
            throw Fail(testCase, kind, string.Join('\n', problems));
        }

        return Normalize(Encoding.UTF8.GetString(outcome.Fixed));
    }

    private LintEngine Engine(TranscriptCase testCase)
    {
        ProviderProfile profile = ProviderProfile.Anthropic;
        if (testCase.Profile is { } name)
        {
            profile = ProviderProfile.Find(name) ?? throw Fail(testCase, "setup", $"unknown provider profile '{name}' (expected one of {string.Join(", ", ProviderProfile.Names)})");
        }

        var values = testCase.Options.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value), StringComparer.Ordinal);
        var ruleOptions = new Dictionary<string, RuleOptions>(StringComparer.Ordinal);
        foreach (var descriptor in _rules.SelectMany(r => r.Rule.SupportedDescriptors))
        {
            // The same check transcriptlint makes on a config: an option the rule does not declare, or of the wrong type, is an error.
            if (values.Count > 0 && RuleOptionsValidator.Check(descriptor, values) is var (option, problem))
            {
                throw Fail(testCase, "setup", $"options.{descriptor.Id}.{option}: {problem}");
            }

            ruleOptions[descriptor.Id] = new RuleOptions(values);
        }

        var engine = new LintEngine(_rules, new LintOptions
        {
            Profile = profile,
            RuleOptions = ruleOptions,
            Dialect = testCase.Dialect,
            RuleTimeout = TimeSpan.Zero, // run inline: a debugger stops in the rule, and a test runner has its own timeouts
        });
        if (engine.InitializationNotifications.Count > 0)
        {
            throw Fail(testCase, "initialise", string.Join('\n', engine.InitializationNotifications.Select(n => $"{n.Level}: {n.Message}")));
        }

        return engine;
    }

    private static bool Matches(ExpectedFinding expected, Diagnostic actual) =>
        expected.Id == actual.Id
        && expected.Line == actual.Location.StartLine
        && (expected.Column is null || expected.Column == actual.Location.StartColumn)
        && (expected.Message is null || expected.Message == actual.Message)
        && (expected.Severity is null || expected.Severity == actual.Severity);

    private static string Show(Diagnostic d) =>
        string.Create(CultureInfo.InvariantCulture, $"{d.Id} {d.Location.StartLine}:{d.Location.StartColumn} {d.Message} [{d.Severity}]");

    // A raw string literal has no final line break; a transcript file does.
    private static string Normalize(string text) => text.ReplaceLineEndings("\n").EndsWith('\n') ? text.ReplaceLineEndings("\n") : text.ReplaceLineEndings("\n") + "\n";

    private static string Difference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var sb = new StringBuilder();
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : null;
            var right = i < a.Length ? a[i] : null;
            if (left != right)
            {
                sb.Append(CultureInfo.InvariantCulture, $"first difference on line {i + 1}:\n  expected: {left ?? "(end of text)"}\n  actual:   {right ?? "(end of text)"}\n");
                break;
            }
        }

        return sb.Append("whole actual text:\n").Append(actual).ToString();
    }

    private static RuleTestException Fail(TranscriptCase testCase, string stage, string problem) =>
        new($"{stage} case '{testCase.DisplayName}': {problem}");
}
