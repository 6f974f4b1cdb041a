using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Tests;

/// <summary>Command line &gt; config file &gt; provider profile &gt; the rule's default.</summary>
public class PrecedenceTests
{
    // A rule that is a note by default and an error on the bedrock profile (its descriptor says so).
    private static readonly RuleDescriptor ConsecutiveSameRole = new("TL4003", "consecutive-same-role", "Two messages of one role in a row", "x", "Resume", Severity.Note)
    {
        ProfileSeverities = new Dictionary<string, Severity> { ["bedrock"] = Severity.Error },
    };

    private static TranscriptLintConfig Config(string json)
    {
        var dir = Directory.CreateTempSubdirectory("tl-prec-").FullName;
        try
        {
            var path = Path.Combine(dir, ConfigFile.FileName);
            File.WriteAllText(path, json);
            return ConfigFile.Load(path);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static Severity Effective(CommandLineSettings cli, TranscriptLintConfig? config) =>
        LintSetup.Merge(cli, config).EffectiveSeverity(ConsecutiveSameRole);

    [Fact]
    public void With_nothing_set_the_rule_default_applies() =>
        Effective(new CommandLineSettings(), null).ShouldBe(Severity.Note);

    [Fact]
    public void The_profile_overrides_the_default() =>
        Effective(new CommandLineSettings(), Config("""{ "profile": "bedrock" }""")).ShouldBe(Severity.Error);

    [Fact]
    public void The_config_severity_overrides_the_profile() =>
        Effective(new CommandLineSettings(), Config("""{ "profile": "bedrock", "severities": { "TL4003": "warning" } }""")).ShouldBe(Severity.Warning);

    [Fact]
    public void The_longest_config_key_wins() =>
        Effective(new CommandLineSettings(), Config("""{ "severities": { "ALL": "error", "TL4": "off", "TL400": "warning" } }""")).ShouldBe(Severity.Warning);

    [Fact]
    public void The_command_line_profile_overrides_the_config_profile()
    {
        var config = Config("""{ "profile": "bedrock" }""");

        Effective(new CommandLineSettings { Profile = "anthropic" }, config).ShouldBe(Severity.Note);
        LintSetup.Merge(new CommandLineSettings { Profile = "anthropic" }, config).Profile.Name.ShouldBe("anthropic");
        LintSetup.Merge(new CommandLineSettings(), config).Profile.Name.ShouldBe("bedrock");
    }

    [Fact]
    public void Command_line_ignore_overrides_a_config_severity()
    {
        var config = Config("""{ "severities": { "TL4003": "error" } }""");

        Effective(new CommandLineSettings { Options = new LintOptions { Ignore = ["TL4"] } }, config).ShouldBe(Severity.None);
    }

    [Fact]
    public void Command_line_select_leaves_unselected_rules_off_whatever_the_config_says()
    {
        var config = Config("""{ "severities": { "TL4003": "error" } }""");

        Effective(new CommandLineSettings { Options = new LintOptions { Select = ["TL3"] } }, config).ShouldBe(Severity.None);
        Effective(new CommandLineSettings { Options = new LintOptions { Select = ["TL4"] } }, config).ShouldBe(Severity.Error);
    }

    [Fact]
    public void Command_line_severities_and_options_override_the_config_for_the_same_key()
    {
        var config = Config("""{ "severities": { "TL4003": "error" }, "options": { "TL6002": { "maxBytes": 5 } } }""");
        var cliOptions = new RuleOptions(new Dictionary<string, System.Text.Json.JsonElement> { ["maxBytes"] = System.Text.Json.JsonDocument.Parse("7").RootElement.Clone() });
        var cli = new CommandLineSettings
        {
            Options = new LintOptions
            {
                Severities = new Dictionary<string, Severity> { ["TL4003"] = Severity.Warning },
                RuleOptions = new Dictionary<string, RuleOptions> { ["TL6002"] = cliOptions },
            },
        };

        var merged = LintSetup.Merge(cli, config);

        merged.EffectiveSeverity(ConsecutiveSameRole).ShouldBe(Severity.Warning);
        merged.RuleOptions["TL6002"].GetInt64("maxBytes", 0).ShouldBe(7);
        LintSetup.Merge(new CommandLineSettings(), config).RuleOptions["TL6002"].GetInt64("maxBytes", 0).ShouldBe(5);
    }

    [Fact]
    public void Each_transcript_gets_the_nearest_config_and_an_explicit_config_wins()
    {
        using var temp = new TempDir();
        var outer = temp.Write(".transcriptlint.json", """{ "profile": "bedrock" }""");
        var inner = temp.Write("team/.transcriptlint.json", """{ "profile": "vertex" }""");
        var a = temp.Write("a.jsonl", "");
        var b = temp.Write("team/deep/b.jsonl", "");

        var setup = new LintSetup(new CommandLineSettings());
        setup.ConfigFor(a)!.FilePath.ShouldBe(outer);
        setup.ConfigFor(b)!.FilePath.ShouldBe(inner);

        var pinned = new LintSetup(new CommandLineSettings { ConfigPath = outer });
        pinned.ConfigFor(b)!.FilePath.ShouldBe(outer);
    }

    [Fact]
    public void Plugin_folders_load_in_order_built_in_then_command_line_then_config()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Combine("from-config"));
        var config = temp.Write(".transcriptlint.json", """{ "plugins": ["from-config"] }""");
        var setup = new LintSetup(new CommandLineSettings { BuiltInPluginFolder = temp.Combine("builtin"), PluginFolders = [temp.Combine("cli")] });

        setup.PluginFoldersFor(setup.ConfigFor(config)).ShouldBe([temp.Combine("builtin"), temp.Combine("cli"), temp.Combine("from-config")]);
    }
}
