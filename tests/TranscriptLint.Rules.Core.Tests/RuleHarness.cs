using System.Text;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>Runs every built-in rule over fixture transcripts, like the CLI does.</summary>
internal static class RuleHarness
{
    public static IReadOnlyList<LoadedRule> Rules { get; } = new AssemblyRuleSource(typeof(RuleIdentifiers).Assembly).LoadRules(new List<ToolNotification>());

    public static string FixtureDir(string group) => Path.Combine(RepoPaths.Fixtures, "claude-code", group);

    /// <summary>
    /// The fixture folder of a rule: fixtures/claude-code/ID, or for a rule of one other format only (TL1007, Codex)
    /// the fixtures/DIALECT/ID folder that exists.
    /// </summary>
    public static string RuleDir(string group)
    {
        var claude = FixtureDir(group);
        return Directory.Exists(claude)
            ? claude
            : Directory.GetDirectories(RepoPaths.Fixtures, group, SearchOption.AllDirectories).Where(d => !d.Contains($"{Path.DirectorySeparatorChar}real{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault() ?? claude;
    }

    public static FileLintResult Lint(string path, LintOptions? options = null) =>
        new LintEngine(Rules, options ?? new LintOptions()).LintFile(path, Path.GetFileName(path));

    public static FileLintResult LintText(string jsonl, LintOptions? options = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(jsonl));
        return new LintEngine(Rules, options ?? new LintOptions()).LintStream(stream, "inline.jsonl");
    }

    public static IReadOnlyList<string> Findings(FileLintResult result) =>
        result.Diagnostics.Select(d => ExpectedFindings.Format(d.Id, d.Location.StartLine)).Order(StringComparer.Ordinal).ToList();

    /// <summary>The fixture cases of one rule folder, as theory data (case file names).</summary>
    public static TheoryData<string> Cases(string group)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RuleDir(group), "*.jsonl").Where(f => !f.EndsWith("fixed.jsonl", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    /// <summary>Lints a fixture and checks its findings against its .expected file exactly.</summary>
    public static FileLintResult AssertMatchesExpectation(string group, string caseFile)
    {
        var path = Path.Combine(RuleDir(group), caseFile);
        var result = Lint(path, OptionsFor(Path.ChangeExtension(path, ".expected")));
        result.Notifications.ShouldBeEmpty();
        var expected = ExpectedFindings.Read(Path.ChangeExtension(path, ".expected"));
        Findings(result).ShouldBe(expected, $"{group}/{caseFile}: findings differ from the .expected file");
        if (caseFile.StartsWith("clean-", StringComparison.Ordinal))
        {
            expected.ShouldBeEmpty("a clean- fixture must expect nothing");
        }

        return result;
    }

    /// <summary>
    /// Options for a fixture: a <c># profile: NAME</c> line in its .expected file lints it with that provider
    /// profile (rules such as TL3006 and TL4009 depend on it), and <c># option: TL6002.maxBytes=2048</c> lines set
    /// rule options (the value is JSON: a number, true/false, or a quoted string); otherwise the defaults.
    /// </summary>
    public static LintOptions OptionsFor(string expectedPath)
    {
        var profile = ProviderProfile.Anthropic;
        var ruleOptions = new Dictionary<string, Dictionary<string, System.Text.Json.JsonElement>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(expectedPath))
        {
            var text = line.Trim();
            if (text.StartsWith("# profile:", StringComparison.Ordinal))
            {
                var name = text["# profile:".Length..].Trim();
                profile = ProviderProfile.Find(name) ?? throw new InvalidOperationException($"{expectedPath}: unknown profile '{name}'");
            }
            else if (text.StartsWith("# option:", StringComparison.Ordinal))
            {
                var setting = text["# option:".Length..].Trim();
                var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                var (id, option) = (key[..key.IndexOf('.', StringComparison.Ordinal)], key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..]);
                if (!ruleOptions.TryGetValue(id, out var values))
                {
                    ruleOptions[id] = values = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
                }

                using var doc = System.Text.Json.JsonDocument.Parse(value);
                values[option] = doc.RootElement.Clone();
            }
        }

        return new LintOptions
        {
            Profile = profile,
            RuleOptions = ruleOptions.ToDictionary(kv => kv.Key, kv => new RuleOptions(kv.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>A rule folder must hold both kinds of case.</summary>
    public static void AssertHasBothKinds(string group, string ruleId)
    {
        var cases = Directory.EnumerateFiles(RuleDir(group), "*.jsonl").Where(f => !f.EndsWith("fixed.jsonl", StringComparison.Ordinal)).Select(Path.GetFileName).ToList();
        cases.ShouldContain(c => c!.StartsWith("fires-", StringComparison.Ordinal));
        cases.ShouldContain(c => c!.StartsWith("clean-", StringComparison.Ordinal));
        foreach (var fires in cases.Where(c => c!.StartsWith("fires-", StringComparison.Ordinal)))
        {
            ExpectedFindings.Read(Path.Combine(RuleDir(group), Path.ChangeExtension(fires!, ".expected")))
                .ShouldContain(f => f.StartsWith(ruleId + " ", StringComparison.Ordinal), $"{fires} must expect {ruleId}");
        }
    }
}

/// <summary>Reads single lines of a fixture, to build the expected edits from the fixture's own ids.</summary>
internal static class FixtureLines
{
    public static string Uuid(string path, int line) => Field(path, line, "uuid");

    public static string Field(string path, int line, string name)
    {
        var text = File.ReadLines(path).ElementAt(line - 1);
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        return doc.RootElement.GetProperty(name).GetString()!;
    }

    public static TranscriptLint.Model.EntryRef Ref(string path, int line) => new(line, Uuid(path, line));

    public static Diagnostic Single(FileLintResult result, string id) => result.Diagnostics.Single(d => d.Id == id);
}
