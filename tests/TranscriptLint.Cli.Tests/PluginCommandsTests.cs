using TranscriptLint.Cli;
using static TranscriptLint.Tests.PluginCompiler;

namespace TranscriptLint.Tests;

/// <summary>The CLI with plugin folders and config files: rules, explain, lint.</summary>
public class PluginCommandsTests
{
    private const string ReportUsers = "if (ctx.Entry.Kind == EntryKind.User) ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(ctx.Entry), null, ctx.Entry.Uuid));";

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Line(string output, string id) =>
        output.Split('\n').Single(l => l.StartsWith(id + " ", StringComparison.Ordinal));

    private static string CopyFixture(TempDir temp, string relative)
    {
        var target = temp.Combine("sessions", Path.GetFileName(relative));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(RepoPaths.Fixtures, relative), target);
        return target;
    }

    [Fact]
    public void The_built_in_rules_come_from_the_plugins_folder_beside_the_executable_not_a_reference()
    {
        File.Exists(Path.Combine(AppContext.BaseDirectory, "plugins", "TranscriptLint.Rules.Core", "TranscriptLint.Rules.Core.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(AppContext.BaseDirectory, "plugins", "TranscriptLint.Rules.Core", "TranscriptLint.Abstractions.dll")).ShouldBeFalse("the contract is the host's, never the plugin's copy");
        typeof(CliApp).Assembly.GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain("TranscriptLint.Rules.Core");

        var (exit, output, error) = Run("rules");

        exit.ShouldBe(0);
        error.ShouldBeEmpty();
        Line(output, "TL3001").ShouldMatch(@"^TL3001 +error +yes +sometimes +tool-call-without-result +TranscriptLint\.Rules\.Core \d+\.\d+\.\d+ +Tool call has no result$");
    }

    [Fact]
    public void Rules_shows_what_select_ignore_and_the_config_turn_off()
    {
        using var temp = new TempDir();
        var config = temp.Write(".transcriptlint.json", """{ "severities": { "TL1": "off", "TL3002": "note" } }""");

        var (exit, output, _) = Run("rules", "--config", config, "--ignore", "TL2");

        exit.ShouldBe(0);
        Line(output, "TL1001").ShouldMatch(@"^TL1001 +off +no ");
        Line(output, "TL2001").ShouldMatch(@"^TL2001 +off +no ");
        Line(output, "TL3001").ShouldMatch(@"^TL3001 +error +yes ");
        Line(output, "TL3002").ShouldMatch(@"^TL3002 +note +yes ");
        output.ShouldContain($"Config: {config}.");

        var selected = Run("rules", "--select", "TL3001").Out;
        Line(selected, "TL3001").ShouldMatch(@"^TL3001 +error +yes ");
        Line(selected, "TL3002").ShouldMatch(@"^TL3002 +off +no ");
    }

    [Fact]
    public void Rules_lists_plugin_rules_with_their_source()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Combine("plugins"), "Contoso.Rules", Source(Rule("UserEntryRule", "CTS1001", ReportUsers)));

        var (exit, output, error) = Run("rules", "--plugins", temp.Combine("plugins"));

        exit.ShouldBe(0);
        error.ShouldBeEmpty();
        Line(output, "CTS1001").ShouldMatch(@"^CTS1001 +warning +yes +none +userentryrule +Contoso\.Rules 0\.0\.0 +Test rule CTS1001$");
        output.ShouldContain("TL3001");
    }

    [Fact]
    public void Explain_prints_the_rules_doc_page_or_says_plainly_that_it_has_none()
    {
        using var temp = new TempDir();
        var documented = Rule("DocumentedRule", "DOC1001", ReportUsers).Replace(
            "Severity.Warning);",
            "Severity.Warning) { HelpMarkdown = \"# DOC1001 documentedrule\\n\\nWhat it does: reports users.\\n\" };",
            StringComparison.Ordinal);
        CompilePlugin(temp.Combine("plugins"), "Doc.Rules", Source(documented, Rule("BareRule", "DOC1002", ReportUsers)));

        var page = Run("explain", "DOC1001", "--plugins", temp.Combine("plugins"));
        page.Exit.ShouldBe(0);
        page.Out.ShouldBe("# DOC1001 documentedrule\n\nWhat it does: reports users.\n");

        var bare = Run("explain", "doc1002", "--plugins", temp.Combine("plugins"));
        bare.Exit.ShouldBe(0);
        bare.Out.ShouldStartWith("# DOC1002 barerule: Test rule DOC1002\n");
        bare.Out.ShouldContain("Source: Doc.Rules.");
        bare.Out.ShouldEndWith("DOC1002 has no doc page: its plugin ships no help text.\n");
    }

    [Fact]
    public void Explain_of_a_built_in_rule_prints_its_help_markdown()
    {
        var (exit, output, _) = Run("explain", "TL3001");

        exit.ShouldBe(0);
        // Whatever docs/rules/TL3001.md says (embedded as the descriptor's help), or the plain no-page notice.
        if (output.StartsWith("# TL3001 tool-call-without-result: Tool call has no result\n", StringComparison.Ordinal))
        {
            output.ShouldContain("TL3001 has no doc page in this build; see https://");
        }
        else
        {
            output.ShouldContain("TL3001");
            output.ShouldNotContain("has no doc page");
        }
    }

    [Fact]
    public void Explain_of_an_unknown_rule_is_a_usage_error()
    {
        var (exit, _, error) = Run("explain", "TL9999");

        exit.ShouldBe(2);
        error.ShouldBe("transcriptlint: error: no rule 'TL9999' is loaded; run 'transcriptlint rules' to list the rules (plugin rules need --plugins or the config file)\n");
    }

    [Fact]
    public void Lint_uses_the_config_found_above_the_transcript()
    {
        using var temp = new TempDir();
        var transcript = CopyFixture(temp, "claude-code/TL3001/fires-no-result-before-interrupt.jsonl");

        var before = Run("lint", transcript);
        before.Exit.ShouldBe(1);
        before.Out.ShouldContain("(7,");
        before.Out.ShouldContain(" error TL3001: ");

        temp.Write(".transcriptlint.json", """{ "severities": { "TL3001": "note" } }""");
        var noted = Run("lint", transcript);
        noted.Exit.ShouldBe(0, "a note is below the default --fail-level warning");
        noted.Out.ShouldContain(" note TL3001: ");

        temp.Write(".transcriptlint.json", """{ "ignorePaths": ["sessions/*.jsonl"] }""");
        var ignored = Run("lint", transcript);
        ignored.Exit.ShouldBe(2, "nothing was linted: CI must not go green");
        ignored.Err.ShouldContain("no transcript to lint: all 1 files matched are under a config's ignorePaths");
    }

    [Fact]
    public void An_invalid_config_is_one_line_naming_the_file_and_json_path_with_exit_2()
    {
        using var temp = new TempDir();
        var transcript = CopyFixture(temp, "claude-code/TL3001/fires-no-result-before-interrupt.jsonl");
        var config = temp.Write(".transcriptlint.json", """{ "severities": { "TL3001": "loud" } }""");

        var (exit, output, error) = Run("lint", transcript);

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldBe($"transcriptlint: error: {config}: $.severities.TL3001: expected one of \"off\", \"note\", \"warning\", \"error\", found \"loud\"\n");
    }

    [Fact]
    public void Command_line_profile_and_config_file_options_are_usage_checked()
    {
        Run("lint", "--profile", "azure", "x.jsonl").Exit.ShouldBe(2);
        Run("lint", "--config", "/no/such/.transcriptlint.json", RepoPaths.Fixtures).Err.ShouldBe("transcriptlint: error: --config: no such file: /no/such/.transcriptlint.json\n");
        Run("rules", "--plugins", "/no/such/folder").Err.ShouldBe("transcriptlint: error: --plugins: no such folder: /no/such/folder\n");
    }

    [Fact]
    public void Lint_loads_plugins_from_the_command_line_and_reports_a_throwing_rule_without_stopping()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Combine("plugins"), "Flaky.Rules", Source(
            Rule("ThrowingRule", "FLK1001", "throw new InvalidOperationException(\"boom\");"),
            Rule("SteadyRule", "FLK1002", ReportUsers)));
        var transcript = temp.Write("sessions/session.jsonl", TestTranscript.Text);

        var (exit, output, error) = Run("lint", transcript, "--plugins", temp.Combine("plugins"), "--select", "FLK");

        exit.ShouldBe(3, "a crashed rule makes the run incomplete");
        output.Split('\n').Count(l => l.Contains(" warning FLK1002: ", StringComparison.Ordinal)).ShouldBe(2);
        error.ShouldContain("transcriptlint: error: Rule FLK1001 (ThrowingRule from Flaky.Rules)");
        error.ShouldContain("boom");
    }

    [Fact]
    public void Plugin_folders_from_the_config_are_relative_to_the_config_file()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Combine("tools", "rules"), "Contoso.Rules", Source(Rule("UserEntryRule", "CTS2001", ReportUsers)));
        temp.Write(".transcriptlint.json", """{ "plugins": ["tools/rules"], "severities": { "CTS": "error" } }""");
        var transcript = temp.Write("sessions/session.jsonl", TestTranscript.Text);

        var (exit, output, _) = Run("lint", transcript, "--select", "CTS");

        exit.ShouldBe(1);
        output.Split('\n').Count(l => l.Contains(" error CTS2001: ", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public void A_plugin_rules_misspelt_or_mistyped_option_is_exit_2_as_for_a_built_in_rule()
    {
        using var temp = new TempDir();
        var rule = Rule("LimitRule", "CTS2001", ReportUsers).Replace(
            "Severity.Warning);",
            "Severity.Warning) { Options = [new RuleOptionDescriptor(\"maxToolCalls\", RuleOptionType.Integer, \"Most tool calls.\") { Default = 3L, Minimum = 1 }] };",
            StringComparison.Ordinal);
        CompilePlugin(temp.Combine("plugins"), "Contoso.Rules", Source(rule));
        var transcript = temp.Write("sessions/session.jsonl", TestTranscript.Text);
        foreach (var (options, expected) in new[]
        {
            ("""{ "maxToolCall": 3 }""", "$.options.CTS2001.maxToolCall: unknown property 'maxToolCall' (expected one of maxToolCalls)"),
            ("""{ "maxToolCalls": "3" }""", "$.options.CTS2001.maxToolCalls: expected an integer, found \"3\""),
            ("""{ "maxToolCalls": 0 }""", "$.options.CTS2001.maxToolCalls: expected a number of at least 1, found 0"),
        })
        {
            var config = temp.Write(".transcriptlint.json", $$"""{ "plugins": ["plugins"], "options": { "CTS2001": {{options}} } }""");

            var (exit, _, error) = Run("lint", transcript);

            exit.ShouldBe(ExitCodes.UsageOrInput);
            error.Trim().ShouldBe($"transcriptlint: error: {config}: {expected}");
        }

        temp.Write(".transcriptlint.json", """{ "plugins": ["plugins"], "options": { "CTS2001": { "maxToolCalls": 5 } } }""");
        Run("lint", transcript).Exit.ShouldNotBe(ExitCodes.UsageOrInput);
    }

    [Fact]
    public void Schema_describes_the_loaded_plugins_rules_and_their_options()
    {
        using var temp = new TempDir();
        var rule = Rule("LimitRule", "CTS2001", ReportUsers).Replace(
            "Severity.Warning);",
            "Severity.Warning) { Options = [new RuleOptionDescriptor(\"maxToolCalls\", RuleOptionType.Integer, \"Most tool calls.\") { Default = 3L, Minimum = 1 }] };",
            StringComparison.Ordinal);
        CompilePlugin(temp.Combine("plugins"), "Contoso.Rules", Source(rule));

        var (exit, output, error) = Run("schema", "--plugins", temp.Combine("plugins"));

        exit.ShouldBe(0, error);
        using var schema = System.Text.Json.JsonDocument.Parse(output);
        var properties = schema.RootElement.GetProperty("properties");
        properties.GetProperty("severities").GetProperty("properties").TryGetProperty("CTS2001", out _).ShouldBeTrue();
        properties.GetProperty("severities").GetProperty("properties").TryGetProperty("TL3001", out _).ShouldBeTrue();
        var options = properties.GetProperty("options").GetProperty("properties").GetProperty("CTS2001");
        options.GetProperty("additionalProperties").GetBoolean().ShouldBeFalse();
        var max = options.GetProperty("properties").GetProperty("maxToolCalls");
        max.GetProperty("type").GetString().ShouldBe("integer");
        max.GetProperty("minimum").GetInt64().ShouldBe(1);
        max.GetProperty("default").GetInt64().ShouldBe(3);

        var file = temp.Combine("schema.json");
        Run("schema", "--plugins", temp.Combine("plugins"), "-o", file).Exit.ShouldBe(0);
        File.ReadAllText(file).ShouldBe(output);
    }
}
