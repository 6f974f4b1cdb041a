using System.Text;
using System.Text.Json;
using TranscriptLint.Reporting;
using TranscriptLint;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Plugins;
using TranscriptLint.Fixes;

namespace Acme.TranscriptRules.Tests;

public class InternalHostnameRuleTests
{
    private const string Session = "\"sessionId\":\"7c1e2a40-5b7d-4f8e-9a51-0d3c6e2b9f10\",\"version\":\"2.1.39\",\"cwd\":\"/home/dana/src/ledgerline\",\"isSidechain\":false,\"userType\":\"external\"";

    // A user prompt with string content, an assistant reply with a thinking block and a text block.
    private static readonly string Transcript = string.Join('\n',
        "{\"parentUuid\":null," + Session + ",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"deploy to build01.corp.acme.example and check ci.corp.acme.example\"},\"uuid\":\"11111111-1111-4111-8111-111111111111\",\"timestamp\":\"2026-02-12T09:14:08.110Z\"}",
        "{\"parentUuid\":\"11111111-1111-4111-8111-111111111111\"," + Session + ",\"type\":\"assistant\",\"message\":{\"id\":\"msg_01ABC\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-5\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"build01.corp.acme.example is the build box\",\"signature\":\"EqQBCkYIBxgCKkB" + new string('A', 200) + "\"},{\"type\":\"text\",\"text\":\"Deploying to build01.corp.acme.example now.\"}],\"stop_reason\":\"end_turn\"},\"uuid\":\"22222222-2222-4222-8222-222222222222\",\"timestamp\":\"2026-02-12T09:14:12.000Z\"}",
        "{\"parentUuid\":\"22222222-2222-4222-8222-222222222222\"," + Session + ",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"thanks, nothing internal here: acme.example.com\"},\"uuid\":\"33333333-3333-4333-8333-333333333333\",\"timestamp\":\"2026-02-12T09:15:00.000Z\"}",
        "");

    private static IReadOnlyList<LoadedRule> Rules() =>
        new AssemblyRuleSource(typeof(InternalHostnameRule).Assembly).LoadRules(new List<ToolNotification>());

    private static FileLintResult Lint(string jsonl, LintOptions? options = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(jsonl));
        return new LintEngine(Rules(), options ?? new LintOptions()).LintStream(stream, "session.jsonl");
    }

    [Fact]
    public void Reports_internal_hosts_in_user_and_assistant_text_but_not_in_thinking()
    {
        var result = Lint(Transcript);

        result.Notifications.ShouldBeEmpty();
        result.Diagnostics.Select(d => (d.Id, d.Location.StartLine, d.Location.JsonPointer)).ShouldBe(
        [
            ("ACME1001", 1, "/message/content"),
            ("ACME1001", 2, "/message/content/1/text"),
        ]);
        result.Diagnostics[0].Message.ShouldBe("Message text names the internal host build01.corp.acme.example, ci.corp.acme.example");
        result.Diagnostics[0].Severity.ShouldBe(Severity.Warning);
    }

    [Fact]
    public void The_fix_replaces_each_host_and_keeps_the_rest_of_the_text()
    {
        var result = Lint(Transcript);

        var fix = result.Diagnostics[0].Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        var edit = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<ReplaceValue>();
        edit.Target.Line.ShouldBe(1);
        edit.JsonPointer.ShouldBe("/message/content");
        JsonSerializer.Deserialize<string>(edit.ValueJson).ShouldBe("deploy to [internal-host] and check [internal-host]");

        var second = result.Diagnostics[1].Fixes.Single().Edits.Single().ShouldBeOfType<ReplaceValue>();
        JsonSerializer.Deserialize<string>(second.ValueJson).ShouldBe("Deploying to [internal-host] now.");
    }

    [Fact]
    public void The_domain_option_changes_what_is_internal()
    {
        var options = new LintOptions
        {
            RuleOptions = new Dictionary<string, RuleOptions>
            {
                ["ACME1001"] = new(new Dictionary<string, JsonElement> { ["domain"] = JsonDocument.Parse("\"example.com\"").RootElement.Clone() }),
            },
        };

        var result = Lint(Transcript, options);

        result.Diagnostics.ShouldHaveSingleItem().Location.StartLine.ShouldBe(3);
        result.Diagnostics[0].Message.ShouldContain("acme.example.com");
    }

    [Fact]
    public void Severity_off_in_the_options_switches_the_rule_off()
    {
        var options = new LintOptions { Severities = new Dictionary<string, Severity> { ["ACME"] = Severity.None } };

        Lint(Transcript, options).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void The_built_plugin_loads_from_a_plugins_folder_like_transcriptlint_loads_it()
    {
        // Lay the build output out as users install it: plugins/Acme.TranscriptRules/Acme.TranscriptRules.dll.
        var root = Directory.CreateTempSubdirectory("acme-plugin-");
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(root.FullName, "plugins", "Acme.TranscriptRules"));
            var built = typeof(InternalHostnameRule).Assembly.Location;
            File.Copy(built, Path.Combine(folder.FullName, "Acme.TranscriptRules.dll"));
            File.Exists(Path.Combine(Path.GetDirectoryName(built)!, "TranscriptLint.Abstractions.dll")).ShouldBeTrue("the test output has the engine's copy of the contract");

            var notifications = new List<ToolNotification>();
            var rules = new PluginRuleSource([Path.Combine(root.FullName, "plugins")]).LoadRules(notifications);

            notifications.ShouldBeEmpty();
            var loaded = rules.ShouldHaveSingleItem();
            loaded.Source.ShouldBe("Acme.TranscriptRules");
            loaded.Rule.SupportedDescriptors.Single().Id.ShouldBe("ACME1001");
            loaded.Rule.SupportedDescriptors.Single().HelpMarkdown.ShouldStartWith("# ACME1001 internal-hostname-in-text");

            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Transcript));
            new LintEngine(rules, new LintOptions()).LintStream(stream, "session.jsonl").Diagnostics.Count.ShouldBe(2);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
