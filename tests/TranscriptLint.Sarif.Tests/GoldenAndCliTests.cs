using System.Text;
using System.Text.Json;
using TranscriptLint.Cli.Output;
using TranscriptLint.Cli;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Tests;

namespace TranscriptLint.Sarif.Tests;

/// <summary>A golden SARIF file, rule crashes as tool notifications, and the CLI options.</summary>
public class GoldenAndCliTests
{
    private const string GoldenFixture = "fixtures/claude-code/common/b-crash-mid-tool.jsonl";

    /// <summary>
    /// The whole log of one fixture, byte for byte. After an intended change, regenerate with
    /// <c>TRANSCRIPTLINT_UPDATE_GOLDEN=1 dotnet test tests/TranscriptLint.Sarif.Tests</c> and review the diff.
    /// </summary>
    [Fact]
    public void The_sarif_of_the_crash_mid_tool_fixture_matches_its_golden_file()
    {
        var golden = Path.Combine(RepoPaths.Root, Path.ChangeExtension(GoldenFixture, ".sarif"));
        var (bytes, _) = SarifFixtures.Write(SarifFixtures.Lint(GoldenFixture));
        if (Environment.GetEnvironmentVariable("TRANSCRIPTLINT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(golden, bytes);
        }

        File.Exists(golden).ShouldBeTrue($"missing golden file {golden}");
        var expected = File.ReadAllBytes(golden);
        if (!bytes.AsSpan().SequenceEqual(expected))
        {
            var actualLines = Encoding.UTF8.GetString(bytes).Split('\n');
            var expectedLines = Encoding.UTF8.GetString(expected).Split('\n');
            var first = Enumerable.Range(0, Math.Min(actualLines.Length, expectedLines.Length)).FirstOrDefault(i => actualLines[i] != expectedLines[i], Math.Min(actualLines.Length, expectedLines.Length));
            Assert.Fail($"SARIF differs from {golden} at line {first + 1}:\n  expected: {expectedLines.ElementAtOrDefault(first)}\n  actual:   {actualLines.ElementAtOrDefault(first)}");
        }
    }

    [Fact]
    public void The_golden_file_states_what_github_needs()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Root, Path.ChangeExtension(GoldenFixture, ".sarif"))));
        var root = doc.RootElement;
        root.GetProperty("$schema").GetString().ShouldBe(SarifWriter.SchemaUri);
        root.GetProperty("version").GetString().ShouldBe("2.1.0");
        var run = root.GetProperty("runs").EnumerateArray().Single();
        var driver = run.GetProperty("tool").GetProperty("driver");
        driver.GetProperty("name").GetString().ShouldBe("TranscriptLint");
        driver.GetProperty("semanticVersion").GetString().ShouldNotBeNullOrEmpty();
        driver.GetProperty("informationUri").GetString().ShouldStartWith("https://");
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        rules.Select(r => r.GetProperty("id").GetString()).ShouldBe(SarifRunInputs.EnabledRules(SarifFixtures.Engine()).Select(r => r.Descriptor.Id));
        foreach (var rule in rules)
        {
            rule.GetProperty("name").GetString().ShouldNotBeNullOrEmpty();
            rule.GetProperty("shortDescription").GetProperty("text").GetString().ShouldNotBeNullOrEmpty();
            rule.GetProperty("fullDescription").GetProperty("text").GetString().ShouldNotBeNullOrEmpty();
            rule.GetProperty("help").GetProperty("text").GetString().ShouldNotBeNullOrEmpty();
            rule.GetProperty("help").GetProperty("markdown").GetString().ShouldNotBeNullOrEmpty();
            rule.GetProperty("helpUri").GetString().ShouldEndWith(rule.GetProperty("id").GetString() + ".md");
            rule.GetProperty("defaultConfiguration").GetProperty("level").GetString().ShouldBeOneOf("error", "warning", "note");
            var props = rule.GetProperty("properties");
            props.GetProperty("tags").GetArrayLength().ShouldBeGreaterThan(0);
            props.GetProperty("precision").GetString().ShouldBeOneOf("very-high", "high", "medium", "low");
            props.GetProperty("problem.severity").GetString().ShouldBeOneOf("error", "warning", "recommendation");
            // security-severity only on security rules (TL5001 secret-in-transcript).
            var isSecurity = rule.GetProperty("id").GetString() == "TL5001";
            props.TryGetProperty("security-severity", out _).ShouldBe(isSecurity);
        }

        run.GetProperty("originalUriBaseIds").GetProperty(SarifWriter.SourceRootId).GetProperty("uri").GetString().ShouldBe(SarifFixtures.FixedRootUri.ToString());
        run.GetProperty("automationDetails").GetProperty("id").GetString().ShouldBe("transcriptlint/");
        run.GetProperty("columnKind").GetString().ShouldBe("utf16CodeUnits");
        var artifact = run.GetProperty("artifacts").EnumerateArray().Single();
        artifact.GetProperty("hashes").GetProperty("sha-256").GetString()!.Length.ShouldBe(64);
        var result = run.GetProperty("results").EnumerateArray().Single();
        result.GetProperty("ruleId").GetString().ShouldBe("TL3001");
        rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString().ShouldBe("TL3001");
        result.GetProperty("level").GetString().ShouldBe("error");
        var location = result.GetProperty("locations")[0];
        location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString().ShouldBe(GoldenFixture);
        location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uriBaseId").GetString().ShouldBe("%SRCROOT%");
        var region = location.GetProperty("physicalLocation").GetProperty("region");
        foreach (var p in new[] { "startLine", "startColumn", "endLine", "endColumn" })
        {
            region.GetProperty(p).GetInt32().ShouldBeGreaterThan(0);
        }

        location.GetProperty("logicalLocations")[0].GetProperty("properties").GetProperty("jsonPointer").GetString().ShouldBe("/message/content/0");
        result.GetProperty("partialFingerprints").GetProperty("primaryLocationLineHash").GetString().ShouldNotBeNullOrEmpty();
        result.GetProperty("partialFingerprints").GetProperty("transcriptLint/v1").GetString().ShouldNotBeNullOrEmpty();
        var fix = result.GetProperty("fixes")[0];
        fix.GetProperty("description").GetProperty("text").GetString().ShouldStartWith("Insert an error result");
        fix.GetProperty("properties").GetProperty("applicability").GetString().ShouldBe("safe");
        fix.GetProperty("properties").GetProperty("edits").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public void A_rule_that_crashes_is_reported_in_tool_execution_notifications()
    {
        var engine = new LintEngine([.. SarifFixtures.Rules, new LoadedRule(new CrashingRule(), "tests")], new LintOptions());
        var result = engine.LintFile(Path.Combine(RepoPaths.Root, GoldenFixture), GoldenFixture);
        result.Notifications.ShouldNotBeEmpty();
        var input = new SarifRunInput { Results = [result], Rules = SarifRunInputs.EnabledRules(engine), Notifications = result.Notifications };
        var (bytes, _) = SarifWriter.Build(input, SarifFixtures.Options());
        SchemaValidationTests.AssertValid(bytes, "a log with a crash notification");
        using var doc = JsonDocument.Parse(bytes);
        var test = doc.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "TX9001");
        test.GetProperty("shortDescription").GetProperty("text").GetString().ShouldBe("Always crashes.", "GitHub requires shortDescription even when it repeats fullDescription");
        test.GetProperty("fullDescription").GetProperty("text").GetString().ShouldBe("Always crashes.");
        test.GetProperty("defaultConfiguration").GetProperty("level").GetString().ShouldBe("warning");
        var invocation = doc.RootElement.GetProperty("runs")[0].GetProperty("invocations")[0];
        invocation.GetProperty("executionSuccessful").GetBoolean().ShouldBeFalse("a crashed rule makes the results incomplete (the other rules still report)");
        var note = invocation.GetProperty("toolExecutionNotifications").EnumerateArray().Single();
        note.GetProperty("level").GetString().ShouldBe("error");
        note.GetProperty("message").GetProperty("text").GetString()!.ShouldContain("InvalidOperationException");
        note.GetProperty("associatedRule").GetProperty("id").GetString().ShouldBe(CrashingRule.Descriptor.Id);
        note.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString().ShouldBe(GoldenFixture);
    }

    [Fact]
    public void Output_writes_any_format_to_a_file_and_nothing_to_stdout()
    {
        var dir = Directory.CreateTempSubdirectory("tl-sarif-out-");
        try
        {
            var fixture = Path.Combine(RepoPaths.Root, GoldenFixture);
            foreach (var format in new[] { "text", "json", "sarif" })
            {
                var file = Path.Combine(dir.FullName, "report." + format);
                var stdout = new StringWriter();
                CliApp.Run(["lint", fixture, "--format", format, "--output", file, "--source-root", RepoPaths.Root], stdout, TextWriter.Null).ShouldBe(1);
                stdout.ToString().ShouldBeEmpty();
                var text = File.ReadAllText(file);
                text.ShouldContain("TL3001");
                var toStdout = new StringWriter();
                CliApp.Run(["lint", fixture, "--format", format, "--source-root", RepoPaths.Root], toStdout, TextWriter.Null);
                toStdout.ToString().ReplaceLineEndings("\n").ShouldBe(text, $"--format {format}: the file holds what stdout would");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Sarif_paths_are_relative_to_the_source_root_and_the_category_is_used()
    {
        var stdout = new StringWriter();
        var fixtures = Path.Combine(RepoPaths.Fixtures, "claude-code");
        string[] cases = ["a-429-synthetic-tail", "b-crash-mid-tool", "c-parallel-missing-result", "d-orphan-result-dangling-parent"];
        CliApp.Run(["lint", .. cases.Select(c => Path.Combine(fixtures, "common", c + ".jsonl")), "-f", "sarif", "--source-root", fixtures, "--category", "transcripts/nightly"], stdout, TextWriter.Null);
        using var doc = JsonDocument.Parse(stdout.ToString());
        var run = doc.RootElement.GetProperty("runs")[0];
        run.GetProperty("automationDetails").GetProperty("id").GetString().ShouldBe("transcripts/nightly/");
        run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").TryGetProperty("uri", out _).ShouldBeFalse("the checkout path stays out of the log");
        stdout.ToString().ShouldNotContain(fixtures);
        run.GetProperty("artifacts").EnumerateArray().Select(a => a.GetProperty("location").GetProperty("uri").GetString())
            .ShouldBe(["common/a-429-synthetic-tail.jsonl", "common/b-crash-mid-tool.jsonl", "common/c-parallel-missing-result.jsonl", "common/d-orphan-result-dangling-parent.jsonl"]);
    }

    [Fact]
    public void A_missing_source_root_is_a_one_line_usage_error()
    {
        var stderr = new StringWriter();
        CliApp.Run(["lint", Path.Combine(RepoPaths.Root, GoldenFixture), "-f", "sarif", "--source-root", "/no/such/dir"], TextWriter.Null, stderr).ShouldBe(2);
        stderr.ToString().Trim().ShouldBe("transcriptlint: error: --source-root: no such directory: /no/such/dir");
    }

    [Fact]
    public void The_default_source_root_is_the_git_root()
    {
        SourceRoots.Default(Path.Combine(RepoPaths.Root, "fixtures", "claude-code")).ShouldBe(RepoPaths.Root);
        var outside = Directory.CreateTempSubdirectory("tl-no-git-");
        try
        {
            SourceRoots.Default(outside.FullName).ShouldBe(outside.FullName);
        }
        finally
        {
            outside.Delete();
        }
    }

    /// <summary>A rule that throws on every line.</summary>
    public sealed class CrashingRule : TranscriptRule
    {
        public static readonly RuleDescriptor Descriptor = new("TX9001", "always-crashes", "Always crashes", "never reported", "Test", Severity.Warning);

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

        public override void Initialize(RuleInitializationContext context) =>
            context.RegisterLineAction(_ => throw new InvalidOperationException("boom"));
    }
}
