using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using TranscriptLint.Cli;
using TranscriptLint.Cli.Output;
using static TranscriptLint.Tests.PluginCompiler;

namespace TranscriptLint.Tests;

/// <summary>Loud failures, CI output formats, baselines, sharding and merge, as a CI job runs them.</summary>
public class CiReadinessTests
{
    private const string ReportUsers = "if (ctx.Entry.Kind == EntryKind.User) ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(ctx.Entry), null, ctx.Entry.Uuid));";

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Copy(TempDir temp, string fixture, string? name = null)
    {
        var target = temp.Combine("sessions", name ?? Path.GetFileName(fixture));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(RepoPaths.Fixtures, fixture), target);
        return target;
    }

    [Fact]
    public void A_folder_without_transcripts_is_exit_2_not_a_green_build()
    {
        using var temp = new TempDir();
        temp.Write("notes/readme.txt", "no transcripts here");

        var (exit, output, error) = Run("lint", temp.Combine("notes"));

        exit.ShouldBe(ExitCodes.UsageOrInput);
        output.ShouldBeEmpty();
        error.ShouldBe($"transcriptlint: error: no transcript to lint: {temp.Combine("notes")} matched no transcript (*.jsonl, or a *.json session or request body)\n");
    }

    [Fact]
    public void Files_all_under_ignore_paths_are_exit_2_too()
    {
        using var temp = new TempDir();
        var transcript = Copy(temp, "samples/b-crash-mid-tool.jsonl");
        temp.Write(".transcriptlint.json", """{ "ignorePaths": ["sessions/*.jsonl"] }""");

        var (exit, _, error) = Run("lint", transcript);

        exit.ShouldBe(ExitCodes.UsageOrInput);
        error.ShouldContain("no transcript to lint: all 1 files matched are under a config's ignorePaths");
    }

    [Theory]
    [InlineData("--select", "TL9999")]
    [InlineData("--select", "TL3,XYZ")]
    [InlineData("--ignore", "TL31")]
    public void An_unknown_rule_id_or_prefix_on_the_command_line_is_exit_2_naming_it(string option, string ids)
    {
        var (exit, output, error) = Run("lint", option, ids, Path.Combine(RepoPaths.Fixtures, "samples"));

        exit.ShouldBe(ExitCodes.UsageOrInput);
        output.ShouldBeEmpty();
        var unknown = ids.Split(',').Last();
        error.ShouldStartWith($"transcriptlint: error: {option}: unknown rule id or prefix '{unknown}': no loaded rule matches it");
    }

    [Fact]
    public void An_unknown_rule_id_in_the_config_is_exit_2_naming_the_file_and_key()
    {
        using var temp = new TempDir();
        var transcript = Copy(temp, "samples/b-crash-mid-tool.jsonl");
        var config = temp.Write(".transcriptlint.json", """{ "severities": { "TL3001": "note", "TL9": "off" } }""");

        var (exit, _, error) = Run("lint", transcript);

        exit.ShouldBe(ExitCodes.UsageOrInput);
        error.ShouldStartWith($"transcriptlint: error: {config}: $.severities.TL9: unknown rule id or prefix 'TL9'");
    }

    [Fact]
    public void A_loaded_plugins_ids_are_known_to_select_and_the_config()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Combine("plugins"), "Contoso.Rules", Source(Rule("UserEntryRule", "CTS1001", ReportUsers)));
        var transcript = temp.Write("sessions/session.jsonl", TestTranscript.Text);
        temp.Write(".transcriptlint.json", """{ "severities": { "CTS1001": "error" } }""");

        Run("lint", transcript, "--select", "CTS1001").Exit.ShouldBe(ExitCodes.UsageOrInput, "without the plugin loaded CTS1001 is unknown");
        var (exit, output, error) = Run("lint", transcript, "--select", "CTS1001", "--plugins", temp.Combine("plugins"));
        exit.ShouldBe(ExitCodes.Findings, error);
        output.ShouldContain(" error CTS1001: ");
    }

    [Fact]
    public void A_crashing_rule_makes_the_run_fail_with_exit_3_and_sarif_execution_unsuccessful_unless_allowed()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Combine("plugins"), "Flaky.Rules", Source(
            Rule("ThrowingRule", "FLK1001", "throw new InvalidOperationException(\"boom\");"),
            Rule("SteadyRule", "FLK1002", ReportUsers)));
        var transcript = temp.Write("sessions/session.jsonl", TestTranscript.Text);
        var sarif = temp.Combine("out.sarif");

        var (exit, output, error) = Run("lint", transcript, "--plugins", temp.Combine("plugins"), "--select", "FLK", "--source-root", temp.Path, "--output-format", $"sarif={sarif}");

        exit.ShouldBe(ExitCodes.ToolFailure);
        output.ShouldContain(" warning FLK1002: ", Case.Sensitive, "the other rules' findings are still reported");
        error.ShouldContain("Rule FLK1001 (ThrowingRule from Flaky.Rules) threw InvalidOperationException");
        error.ShouldContain("--allow-rule-failures");
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(sarif)))
        {
            var invocation = doc.RootElement.GetProperty("runs")[0].GetProperty("invocations")[0];
            invocation.GetProperty("executionSuccessful").GetBoolean().ShouldBeFalse();
            var notification = invocation.GetProperty("toolExecutionNotifications").EnumerateArray().Single();
            notification.GetProperty("level").GetString().ShouldBe("error");
            notification.GetProperty("message").GetProperty("text").GetString()!.ShouldContain("boom");
            notification.GetProperty("associatedRule").GetProperty("id").GetString().ShouldBe("FLK1001");
        }

        var allowed = Run("lint", transcript, "--plugins", temp.Combine("plugins"), "--select", "FLK", "--allow-rule-failures");
        allowed.Exit.ShouldBe(ExitCodes.Findings, "tolerated: the exit code is the findings' one");
        allowed.Err.ShouldContain("boom", Case.Sensitive, "still reported");
    }

    [Fact]
    public void A_plugin_that_fails_to_load_is_exit_3()
    {
        using var temp = new TempDir();
        temp.Write("plugins/Broken.Rules/Broken.Rules.dll", "not an assembly");
        var transcript = Copy(temp, "samples/clean-real-spotter-tool-heavy.jsonl");

        var (exit, _, error) = Run("lint", transcript, "--plugins", temp.Combine("plugins"));

        exit.ShouldBe(ExitCodes.ToolFailure);
        error.ShouldContain("Plugin Broken.Rules");
        Run("lint", transcript, "--plugins", temp.Combine("plugins"), "--allow-rule-failures").Exit.ShouldBe(ExitCodes.Clean);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("100% done", "100%25 done")]
    [InlineData("a\r\nb", "a%0D%0Ab")]
    public void GitHub_message_data_escapes_percent_cr_and_lf(string value, string escaped) => GitHubReporter.Data(value).ShouldBe(escaped);

    [Fact]
    public void GitHub_property_values_also_escape_colon_and_comma() =>
        GitHubReporter.Property("dir:a,b/100%\n.jsonl").ShouldBe("dir%3Aa%2Cb/100%25%0A.jsonl");

    [Fact]
    public void Github_format_writes_one_workflow_command_per_finding_and_the_summary()
    {
        var (exit, output, _) = Run("lint", "--format", "github", Path.Combine(RepoPaths.Fixtures, "samples"));

        exit.ShouldBe(ExitCodes.Findings);
        var lines = output.TrimEnd('\n').Split('\n');
        lines.Length.ShouldBe(7);
        lines.Count(l => l.StartsWith("::error file=fixtures/samples/", StringComparison.Ordinal)).ShouldBe(5);
        lines.Count(l => l.StartsWith("::warning file=fixtures/samples/", StringComparison.Ordinal)).ShouldBe(1);
        lines.ShouldContain("::error file=fixtures/samples/b-crash-mid-tool.jsonl,line=10,col=339,endLine=10,endColumn=537,title=TL3001::Tool call toolu_01JMJoVTpGUDkLvpkD2WDtsv (Bash) has no result in the next message; the harness papers over it on resume, but older versions and other readers of the file send it unanswered");
        lines[^1].ShouldStartWith("Found 6 problems");
    }

    [Fact]
    public void Junit_format_has_a_failed_case_per_finding_and_a_passing_case_per_clean_file()
    {
        var (_, output, _) = Run("lint", "--format", "junit", Path.Combine(RepoPaths.Fixtures, "samples"));

        var root = XDocument.Parse(output).Root!;
        root.Name.LocalName.ShouldBe("testsuites");
        root.Attribute("tests")!.Value.ShouldBe("8");
        root.Attribute("failures")!.Value.ShouldBe("6");
        var suites = root.Elements("testsuite").ToList();
        suites.Count.ShouldBe(6);
        var crash = suites.Single(s => s.Attribute("name")!.Value == "fixtures/samples/b-crash-mid-tool.jsonl");
        var failure = crash.Element("testcase")!.Element("failure")!;
        failure.Attribute("type")!.Value.ShouldBe("TL3001");
        failure.Attribute("message")!.Value.ShouldStartWith("Tool call toolu_01JMJoVTpGUDkLvpkD2WDtsv (Bash)");
        suites.Count(s => s.Elements("testcase").ToList() is [{ } c] && c.Element("failure") is null && c.Attribute("name")!.Value == "no problems").ShouldBe(2);
    }

    [Fact]
    public void Gitlab_format_is_a_code_quality_report_with_unique_fingerprints()
    {
        var (_, output, _) = Run("lint", "--format", "gitlab", Path.Combine(RepoPaths.Fixtures, "samples"));

        var issues = JsonNode.Parse(output)!.AsArray();
        issues.Count.ShouldBe(6);
        issues.Select(i => (string)i!["fingerprint"]!).Distinct().Count().ShouldBe(6);
        var crash = issues.Single(i => (string)i!["location"]!["path"]! == "fixtures/samples/b-crash-mid-tool.jsonl")!;
        ((string)crash["check_name"]!).ShouldBe("TL3001");
        ((string)crash["severity"]!).ShouldBe("major");
        ((string)crash["description"]!).ShouldStartWith("TL3001: Tool call");
        ((int)crash["location"]!["lines"]!["begin"]!).ShouldBe(10);
        issues.Single(i => (string)i!["check_name"]! == "TL2001")!["severity"]!.GetValue<string>().ShouldBe("minor");
    }

    [Fact]
    public void One_run_writes_sarif_for_upload_and_annotations_for_the_log()
    {
        using var temp = new TempDir();
        var sarif = temp.Combine("tl.sarif");
        var junit = temp.Combine("tl.xml");

        var (exit, output, _) = Run("lint", "--format", "github", "--output-format", $"sarif={sarif}", "--output-format", $"junit={junit}", Path.Combine(RepoPaths.Fixtures, "samples"));

        exit.ShouldBe(ExitCodes.Findings);
        output.ShouldStartWith("::error file=");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(sarif));
        doc.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength().ShouldBe(6);
        XDocument.Load(junit).Root!.Attribute("failures")!.Value.ShouldBe("6");
        Run("lint", "--output-format", "yaml=x", Path.Combine(RepoPaths.Fixtures, "samples")).Exit.ShouldBe(ExitCodes.UsageOrInput);
    }

    [Fact]
    public void A_report_that_fails_leaves_none_of_the_others_behind()
    {
        using var temp = new TempDir();
        var json = temp.Combine("tl.json");
        var sarif = temp.Combine("tl.sarif");
        File.WriteAllText(json, "the report of an earlier run");

        // The JSON report is made first and held (SpilledText); the SARIF one then fails (the files are outside its source root).
        var (exit, _, error) = Run("lint", "--output-format", $"json={json}", "--output-format", $"sarif={sarif}", "--source-root", temp.Path, Path.Combine(RepoPaths.Fixtures, "samples"));

        exit.ShouldBe(ExitCodes.UsageOrInput);
        error.ShouldContain("outside the source root");
        File.ReadAllText(json).ShouldBe("the report of an earlier run", "the earlier report stays until every report of this run is made");
        File.Exists(sarif).ShouldBeFalse();
        Directory.EnumerateFiles(temp.Path).Select(Path.GetFileName).ShouldBe(["tl.json"], "no temp file is left beside the reports");
    }

    [Fact]
    public void Reports_in_files_are_the_bytes_the_same_formats_write_on_standard_output()
    {
        using var temp = new TempDir();
        var samples = Path.Combine(RepoPaths.Fixtures, "samples");
        var json = temp.Combine("tl.json");
        var sarif = temp.Combine("tl.sarif");

        Run("lint", "--format", "text", "--output-format", $"json={json}", "--output-format", $"sarif={sarif}", samples).Exit.ShouldBe(ExitCodes.Findings);

        File.ReadAllText(json).ShouldBe(Run("lint", "--format", "json", samples).Out);
        File.ReadAllText(sarif).ShouldBe(Run("lint", "--format", "sarif", samples).Out);
        Directory.EnumerateFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["tl.json", "tl.sarif"]);
    }

    [Fact]
    public void A_report_written_through_a_symlink_lands_in_its_target()
    {
        using var temp = new TempDir();
        var target = temp.Combine("reports-tl.json");
        var link = temp.Combine("tl.json");
        File.WriteAllText(target, "");
        File.CreateSymbolicLink(link, target);

        Run("lint", "--format", "json", "--output", link, Path.Combine(RepoPaths.Fixtures, "samples")).Exit.ShouldBe(ExitCodes.Findings);

        new FileInfo(link).LinkTarget.ShouldBe(target, "the link stays a link");
        File.ReadAllText(target).ShouldBe(Run("lint", "--format", "json", Path.Combine(RepoPaths.Fixtures, "samples")).Out);
    }

    [Fact]
    public void Sarif_paths_are_relative_to_the_source_root_and_plugins_are_listed_as_extensions()
    {
        var (_, output, _) = Run("lint", "--format", "sarif", Path.Combine(RepoPaths.Fixtures, "samples"));

        output.ShouldNotContain("file:/");
        output.ShouldNotContain(RepoPaths.Root);
        using var doc = JsonDocument.Parse(output);
        var run = doc.RootElement.GetProperty("runs")[0];
        foreach (var artifact in run.GetProperty("artifacts").EnumerateArray())
        {
            artifact.GetProperty("location").GetProperty("uriBaseId").GetString().ShouldBe("%SRCROOT%");
            artifact.GetProperty("location").GetProperty("uri").GetString()!.ShouldStartWith("fixtures/samples/");
        }

        run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").TryGetProperty("uri", out _).ShouldBeFalse("the checkout path is not written");
        run.GetProperty("invocations")[0].GetProperty("executionSuccessful").GetBoolean().ShouldBeTrue();
        var extension = run.GetProperty("tool").GetProperty("extensions").EnumerateArray().Single();
        extension.GetProperty("name").GetString().ShouldBe("TranscriptLint.Rules.Core");
        extension.GetProperty("version").GetString()!.ShouldMatch(@"^\d+\.\d+\.\d+$");
        extension.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldContain("TL3001");
    }

    [Fact]
    public void A_file_outside_the_source_root_is_a_usage_error_for_path_based_formats()
    {
        using var temp = new TempDir();
        var transcript = Copy(temp, "samples/b-crash-mid-tool.jsonl");
        using var root = new TempDir();

        foreach (var format in new[] { "sarif", "github", "gitlab", "junit" })
        {
            var (exit, _, error) = Run("lint", "--format", format, "--source-root", root.Path, transcript);
            exit.ShouldBe(ExitCodes.UsageOrInput, format);
            error.ShouldContain($"is outside the source root {root.Path}");
        }

        Run("lint", "--format", "sarif", "--source-root", temp.Path, transcript).Exit.ShouldBe(ExitCodes.Findings);
    }

    [Fact]
    public void A_baseline_suppresses_known_findings_across_line_shifts_and_reports_new_and_stale_ones()
    {
        using var temp = new TempDir();
        var crash = Copy(temp, "samples/b-crash-mid-tool.jsonl");
        var synthetic = Copy(temp, "samples/a-429-synthetic-tail.jsonl");
        var baseline = temp.Combine("baseline.json");
        var sessions = temp.Combine("sessions");

        var written = Run("lint", sessions, "--source-root", temp.Path, "--write-baseline", baseline);
        written.Exit.ShouldBe(ExitCodes.Findings, "writing a baseline still reports");
        written.Err.ShouldContain("recorded 3 findings");
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(baseline)))
        {
            var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
            findings.Count.ShouldBe(3);
            findings.Select(f => f.GetProperty("path").GetString()).ShouldAllBe(p => p!.StartsWith("sessions/", StringComparison.Ordinal));
            findings.ShouldContain(f => f.GetProperty("ruleId").GetString() == "TL3001" && f.GetProperty("fingerprint").GetString()!.EndsWith(":1", StringComparison.Ordinal));
        }

        var clean = Run("lint", sessions, "--source-root", temp.Path, "--baseline", baseline);
        clean.Exit.ShouldBe(ExitCodes.Clean, clean.Out);
        clean.Out.ShouldBe("No problems found in 2 files.\n");
        clean.Err.ShouldContain("3 findings suppressed by");
        clean.Err.ShouldContain("every baseline entry still matches");

        // Lines added above the findings: they still match the baseline.
        var lines = File.ReadAllLines(crash);
        File.WriteAllLines(crash, [lines[0].Replace("bf110e27-9ea1-4b4b-8b01-4dc387b5d489", "0f110e27-9ea1-4b4b-8b01-4dc387b5d480", StringComparison.Ordinal), .. lines]);
        Run("lint", sessions, "--source-root", temp.Path, "--baseline", baseline).Exit.ShouldBe(ExitCodes.Clean, "a line shift is not a new finding");

        // A new broken session is reported; a fixed one leaves stale entries, pruned on request.
        Copy(temp, "samples/c-parallel-missing-result.jsonl");
        File.Delete(synthetic);
        var mixed = Run("lint", sessions, "--source-root", temp.Path, "--baseline", baseline, "--format", "github");
        mixed.Exit.ShouldBe(ExitCodes.Findings);
        mixed.Out.ShouldStartWith("::error file=sessions/c-parallel-missing-result.jsonl,line=10,");
        mixed.Out.Split('\n').Count(l => l.StartsWith("::", StringComparison.Ordinal)).ShouldBe(1);
        mixed.Err.ShouldContain("1 findings suppressed");
        mixed.Err.ShouldContain("2 baseline entries no longer match (fixed or changed); drop them with --prune-baseline.");

        Run("lint", sessions, "--source-root", temp.Path, "--baseline", baseline, "--prune-baseline").Err.ShouldContain("2 entries no longer matched and were pruned");
        using (var pruned = JsonDocument.Parse(File.ReadAllBytes(baseline)))
        {
            pruned.RootElement.GetProperty("findings").EnumerateArray().Single().GetProperty("path").GetString().ShouldBe("sessions/b-crash-mid-tool.jsonl");
        }

        Run("lint", sessions, "--baseline", temp.Combine("missing.json")).Exit.ShouldBe(ExitCodes.UsageOrInput);
    }

    [Fact]
    public void N_shards_merged_equal_one_unsharded_run_result_for_result()
    {
        using var temp = new TempDir();
        var inputs = new[] { Path.Combine(RepoPaths.Fixtures, "samples"), Path.Combine(RepoPaths.Fixtures, "claude-code", "TL3001"), Path.Combine(RepoPaths.Fixtures, "claude-code", "TL2001") };
        var whole = temp.Combine("whole.sarif");
        Run(["lint", .. inputs, "--format", "sarif", "-o", whole]).Exit.ShouldBe(ExitCodes.Findings);

        const int shards = 3;
        var parts = new List<string>();
        var counts = new List<int>();
        for (var k = 1; k <= shards; k++)
        {
            var part = temp.Combine($"shard-{k}.sarif");
            var (exit, _, error) = Run(["lint", .. inputs, "--shard", $"{k}/{shards}", "--format", "sarif", "-o", part]);
            exit.ShouldBeOneOf([ExitCodes.Clean, ExitCodes.Findings], error);
            parts.Add(part);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(part));
            counts.Add(doc.RootElement.GetProperty("runs")[0].GetProperty("artifacts").GetArrayLength());
        }

        var merged = temp.Combine("all.sarif");
        var merge = Run(["merge", .. parts, "-o", merged]);
        merge.Exit.ShouldBe(ExitCodes.Clean, merge.Err);

        var expected = JsonNode.Parse(File.ReadAllText(whole))!["runs"]![0]!;
        var actual = JsonNode.Parse(File.ReadAllText(merged))!["runs"]![0]!;
        counts.ShouldAllBe(c => c > 0, "every shard got some of the files");
        counts.Sum().ShouldBe(expected["artifacts"]!.AsArray().Count, "each file is in exactly one shard");
        var expectedResults = expected["results"]!.AsArray();
        var actualResults = actual["results"]!.AsArray();
        actualResults.Count.ShouldBe(expectedResults.Count);
        expectedResults.Count.ShouldBeGreaterThan(10);
        for (var i = 0; i < expectedResults.Count; i++)
        {
            JsonNode.DeepEquals(actualResults[i], expectedResults[i]).ShouldBeTrue($"result {i}: {actualResults[i]!.ToJsonString()}\nexpected {expectedResults[i]!.ToJsonString()}");
        }

        JsonNode.DeepEquals(actual["artifacts"], expected["artifacts"]).ShouldBeTrue();
        JsonNode.DeepEquals(actual["tool"], expected["tool"]).ShouldBeTrue();
        JsonNode.DeepEquals(actual["invocations"], expected["invocations"]).ShouldBeTrue();
        SchemaCheck(File.ReadAllBytes(merged));

        Run("merge", parts[0], parts[0]).Exit.ShouldBe(ExitCodes.UsageOrInput, "overlapping shards are refused");
        Run("lint", "--shard", "4/3", inputs[0]).Exit.ShouldBe(ExitCodes.UsageOrInput);
    }

    private static void SchemaCheck(byte[] sarif)
    {
        using var doc = JsonDocument.Parse(sarif);
        doc.RootElement.GetProperty("version").GetString().ShouldBe("2.1.0");
        doc.RootElement.GetProperty("runs").GetArrayLength().ShouldBe(1);
    }
}
