using TranscriptLint.Engine.Configuration;

namespace TranscriptLint.Tests;

public class ConfigFileTests
{
    [Fact]
    public void The_config_is_found_by_searching_upward_from_the_transcript_folder()
    {
        using var temp = new TempDir();
        var config = temp.Write("repo/.transcriptlint.json", "{}");
        Directory.CreateDirectory(temp.Combine("repo", "sessions", "2026", "02"));
        temp.Write("other/keep.txt", "");

        ConfigFile.Find(temp.Combine("repo", "sessions", "2026", "02")).ShouldBe(config);
        ConfigFile.Find(temp.Combine("repo")).ShouldBe(config);
        ConfigFile.Find(temp.Combine("other")).ShouldNotBe(config);
    }

    [Fact]
    public void A_full_config_is_read_with_paths_relative_to_its_folder()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Combine("repo", "tools", "rules"));
        var path = temp.Write("repo/.transcriptlint.json", """
            {
              "$schema": "./rules.schema.json",
              // comments and trailing commas are accepted
              "profile": "bedrock",
              "plugins": ["tools/rules"],
              "severities": { "TL4": "warning", "TL4003": "off", "ACME": "error", "ALL": "note" },
              "options": { "TL6002": { "maxBytes": 250000 }, "ACME1001": { "domain": "corp.example.net" } },
              "ignorePaths": ["archive/**", "**/subagents/*.jsonl"],
            }
            """);

        var config = ConfigFile.Load(path);

        config.FilePath.ShouldBe(path);
        config.Profile.ShouldBe("bedrock");
        config.Plugins.ShouldBe([temp.Combine("repo", "tools", "rules")]);
        config.Severities.ShouldBe(new Dictionary<string, Severity> { ["TL4"] = Severity.Warning, ["TL4003"] = Severity.None, ["ACME"] = Severity.Error, ["ALL"] = Severity.Note });
        config.RuleOptions["TL6002"].GetInt64("maxBytes", 0).ShouldBe(250000);
        config.RuleOptions["ACME1001"].GetString("domain", null).ShouldBe("corp.example.net");
        config.IsIgnored(temp.Combine("repo", "archive", "2025", "old.jsonl")).ShouldBeTrue();
        config.IsIgnored(temp.Combine("repo", "s", "abc", "subagents", "agent-1.jsonl")).ShouldBeTrue();
        config.IsIgnored(temp.Combine("repo", "sessions", "live.jsonl")).ShouldBeFalse();
        config.IsIgnored(temp.Combine("elsewhere", "archive", "x.jsonl")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{ "severities": { "TL3001": "fatal" } }""", "$.severities.TL3001", "expected one of \"off\", \"note\", \"warning\", \"error\", found \"fatal\"")]
    [InlineData("""{ "severities": { "tl3": "error" } }""", "$.severities.tl3", "expected a rule id, an id prefix (e.g. TL3001, TL3, ACME) or ALL, found \"tl3\"")]
    [InlineData("""{ "profile": "openai" }""", "$.profile", "expected one of \"anthropic\", \"bedrock\", \"vertex\", \"openai-chat\", \"openai-responses\", found \"openai\"")]
    [InlineData("""{ "plugins": "rules" }""", "$.plugins", "expected an array, found \"rules\"")]
    [InlineData("""{ "plugins": [""] }""", "$.plugins[0]", "expected a non-empty string")]
    [InlineData("""{ "options": { "TL6002": { "maxBytes": "100k" } } }""", "$.options.TL6002.maxBytes", "expected an integer, found \"100k\"")]
    [InlineData("""{ "options": { "TL6002": { "maxBytes": 0 } } }""", "$.options.TL6002.maxBytes", "expected a number of at least 1, found 0")]
    [InlineData("""{ "options": { "TL3001": { "strict": true } } }""", "$.options.TL3001.strict", "unknown property 'strict' (this rule has no options)")]
    [InlineData("""{ "options": { "TL6002": { "max": 1 } } }""", "$.options.TL6002.max", "unknown property 'max' (expected one of maxBytes)")]
    [InlineData("""{ "options": { "ACME1001": "corp" } }""", "$.options.ACME1001", "expected an object, found \"corp\"")]
    [InlineData("""{ "severity": { "TL3001": "off" } }""", "$.severity", "unknown property 'severity' (expected one of profile, plugins, severities, options, ruleTimeoutSeconds, ignorePaths)")]
    [InlineData("""{ "ignorePaths": [1] }""", "$.ignorePaths[0]", "expected a string, found 1")]
    [InlineData("""[]""", "$", "expected an object, found an array")]
    public void A_config_error_names_the_file_the_json_path_and_what_was_expected(string json, string jsonPath, string problem)
    {
        using var temp = new TempDir();
        var path = temp.Write(".transcriptlint.json", json);

        var ex = Should.Throw<ConfigException>(() => ConfigFile.Load(path));

        ex.File.ShouldBe(path);
        ex.JsonPath.ShouldBe(jsonPath);
        ex.Problem.ShouldBe(problem);
        ex.Message.ShouldBe($"{path}: {jsonPath}: {problem}");
        ex.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Invalid_json_is_reported_with_its_line_and_column()
    {
        using var temp = new TempDir();
        var path = temp.Write(".transcriptlint.json", "{\n  \"profile\": \"anthropic\"\n  \"plugins\": []\n}\n");

        var ex = Should.Throw<ConfigException>(() => ConfigFile.Load(path));

        ex.File.ShouldBe(path);
        ex.JsonPath.ShouldBe("line 3, column 3");
        ex.Problem.ShouldStartWith("expected valid JSON: ");
        ex.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void A_plugin_folder_that_does_not_exist_is_a_config_error()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Combine("here"));
        var path = temp.Write(".transcriptlint.json", """{ "plugins": ["here", "not-here"] }""");

        var ex = Should.Throw<ConfigException>(() => ConfigFile.Load(path));

        ex.JsonPath.ShouldBe("$.plugins[1]");
        ex.Problem.ShouldBe($"expected an existing plugin folder; {temp.Combine("not-here")} does not exist");
    }

    [Theory]
    [InlineData("", "$")]
    [InlineData("/plugins/0", "$.plugins[0]")]
    [InlineData("/options/TL6002/maxBytes", "$.options.TL6002.maxBytes")]
    [InlineData("/severities/my rule", "$.severities['my rule']")]
    [InlineData("/a~1b/c~0d", "$['a/b']['c~d']")]
    public void Json_pointers_become_json_paths(string pointer, string path) =>
        ConfigFile.ToJsonPath(pointer).ShouldBe(path);
}
