using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Plugins;
using TranscriptLint.Reporting;
using static TranscriptLint.Tests.PluginCompiler;

namespace TranscriptLint.Tests;

public class PluginRuleSourceTests
{
    private const string ReportUsers = "if (ctx.Entry.Kind == EntryKind.User) ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(ctx.Entry), null, ctx.Entry.Uuid));";

    [Fact]
    public void A_plugin_compiled_during_the_run_is_loaded_in_its_own_context_and_its_rule_reports()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Combine("plugins"), "Contoso.Rules", Source(Rule("UserEntryRule", "CTS1001", ReportUsers)));

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("plugins")]).LoadRules(notifications);

        notifications.ShouldBeEmpty();
        var loaded = rules.ShouldHaveSingleItem();
        loaded.Source.ShouldBe("Contoso.Rules");
        IsIsolated(loaded.Rule.GetType().Assembly).ShouldBeTrue("a plugin gets its own load context");
        loaded.Rule.ShouldBeAssignableTo<TranscriptRule>(); // the contract type is shared, not a second copy

        var result = TestTranscript.Lint(rules);
        result.Notifications.ShouldBeEmpty();
        result.Diagnostics.Select(d => (d.Id, d.Location.StartLine, d.Message)).ShouldBe(
        [
            ("CTS1001", 1, "Entry a1111111-1111-4111-8111-111111111111 seen by CTS1001"),
            ("CTS1001", 3, "Entry a3333333-3333-4333-8333-333333333333 seen by CTS1001"),
        ]);
    }

    [Fact]
    public void A_folder_that_is_itself_one_plugin_can_be_given_directly()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Path, "Single.Rules", Source(Rule("OneRule", "SGL1001", ReportUsers)));

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("Single.Rules")]).LoadRules(notifications);

        notifications.ShouldBeEmpty();
        rules.ShouldHaveSingleItem().Source.ShouldBe("Single.Rules");
    }

    // A contract 2.0 that this host does not implement, and a plugin named `name` compiled against it.
    private static string FuturePlugin(TempDir temp, string name)
    {
        var futureContract = Compile(
            temp.Combine("TranscriptLint.Abstractions.dll"),
            "TranscriptLint.Abstractions",
            """
            [assembly: System.Reflection.AssemblyVersion("2.0.0.0")]
            namespace TranscriptLint { public abstract class TranscriptRule { public abstract void Initialize(object context); } }
            """,
            []);
        return CompilePlugin(
            temp.Combine("plugins"),
            name,
            "public sealed class FutureRule : TranscriptLint.TranscriptRule { public override void Initialize(object context) { } }",
            futureContract);
    }

    [Fact]
    public void A_plugin_built_against_a_newer_major_contract_is_refused_before_loading()
    {
        using var temp = new TempDir();
        var dll = FuturePlugin(temp, "Future.Rules");
        CompilePlugin(temp.Combine("plugins"), "Present.Rules", Source(Rule("PresentRule", "PRS1001", ReportUsers)));

        PluginRuleSource.ReadContractReference(dll).ShouldBe(new Version(2, 0, 0, 0));
        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("plugins")]).LoadRules(notifications);

        var refusal = notifications.ShouldHaveSingleItem();
        refusal.Level.ShouldBe("error");
        refusal.Message.ShouldBe(
            "Plugin Future.Rules was built against TranscriptLint.Abstractions 2.0.0.0, but this transcriptlint provides 1.1.0.0: " +
            "major versions differ, so it was refused. Update transcriptlint, or use a build of the plugin made for contract 1.x.");
        rules.ShouldHaveSingleItem().Source.ShouldBe("Present.Rules", "the run goes on with the other plugins");
    }

    [Fact]
    public void Only_the_shipped_built_in_rules_skip_the_contract_check()
    {
        using var temp = new TempDir();
        // A plugin that takes the built-in rules' name in a folder of its own is checked like any other.
        var impostor = FuturePlugin(temp, "TranscriptLint.Rules.Core");
        PluginRuleSource.IsBuiltInRules(impostor).ShouldBeFalse();
        var notifications = new List<ToolNotification>();
        new PluginRuleSource([temp.Combine("plugins")]).LoadRules(notifications).ShouldBeEmpty();
        notifications.ShouldHaveSingleItem().Message.ShouldContain("major versions differ, so it was refused");

        // The one beside the host is built with it, against its contract (so every run loads it without a metadata reader).
        PluginRuleSource.IsBuiltInRules(Path.Combine(PluginRuleSource.BuiltInFolder, "TranscriptLint.Rules.Core", "TranscriptLint.Rules.Core.dll")).ShouldBeTrue();
        PluginRuleSource.ReadContractReference(typeof(TranscriptLint.Rules.Core.RuleIdentifiers).Assembly.Location).ShouldBe(PluginRuleSource.ContractVersion);
    }

    [Theory]
    [InlineData("1.2.0.0", true)]
    [InlineData("1.0.0.0", false)]
    public void A_plugin_built_against_a_newer_minor_is_refused_and_an_older_minor_loads(string version, bool refused)
    {
        using var temp = new TempDir();
        // The contract at another minor: same types, another version. A 1.0 plugin only uses what 1.1 still has.
        var contract = Compile(
            temp.Combine("TranscriptLint.Abstractions.dll"),
            "TranscriptLint.Abstractions",
            $$"""
            [assembly: System.Reflection.AssemblyVersion("{{version}}")]
            namespace TranscriptLint { public abstract class TranscriptRule { public abstract void Initialize(object context); } }
            """,
            []);
        var dll = CompilePlugin(
            temp.Combine("plugins"),
            "Minor.Rules",
            "public sealed class MinorRule : TranscriptLint.TranscriptRule { public override void Initialize(object context) { } }",
            contract);

        PluginRuleSource.ReadContractReference(dll).ShouldBe(Version.Parse(version));
        var notifications = new List<ToolNotification>();
        new PluginRuleSource([temp.Combine("plugins")]).LoadRules(notifications);

        var refusals = notifications.Where(n => n.Message.Contains("so it was refused", StringComparison.Ordinal)).ToList();
        if (refused)
        {
            refusals.ShouldHaveSingleItem().Message.ShouldBe(
                "Plugin Minor.Rules was built against TranscriptLint.Abstractions 1.2.0.0, newer than the 1.1.0.0 this transcriptlint provides, " +
                "so it was refused. Update transcriptlint (dotnet tool update -g transcriptlint), or rebuild the plugin against contract 1.1.");
        }
        else
        {
            refusals.ShouldBeEmpty();
        }
    }

    [Fact]
    public void The_contract_reference_of_a_compatible_plugin_is_the_hosts_major()
    {
        using var temp = new TempDir();
        var dll = CompilePlugin(temp.Path, "Current.Rules", Source(Rule("CurrentRule", "CUR1001", ReportUsers)));

        PluginRuleSource.ReadContractReference(dll)!.Major.ShouldBe(1);
        PluginRuleSource.ContractVersion.ShouldBe(new Version(1, 1, 0, 0));
    }

    [Fact]
    public void Two_plugins_declaring_one_rule_id_are_named_in_one_error_and_the_first_is_kept()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Combine("plugins"), "Alpha.Rules", Source(Rule("AlphaRule", "DUP1001", ReportUsers)));
        CompilePlugin(temp.Combine("plugins"), "Beta.Rules", Source(Rule("BetaRule", "DUP1001", ReportUsers), Rule("BetaOtherRule", "DUP1002", ReportUsers)));

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("plugins")]).LoadRules(notifications);

        var error = notifications.ShouldHaveSingleItem();
        error.Level.ShouldBe("error");
        error.RuleId.ShouldBe("DUP1001");
        error.Message.ShouldBe("Rule id DUP1001 is declared by two plugins: Alpha.Rules (AlphaRule) and Beta.Rules (BetaRule). Only the first is loaded; rename the id in one of them.");
        rules.Select(r => (r.Source, r.Rule.SupportedDescriptors[0].Id)).ShouldBe([("Alpha.Rules", "DUP1001"), ("Beta.Rules", "DUP1002")]);
    }

    [Fact]
    public void Duplicate_ids_across_plugin_folders_keep_the_earlier_folder()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Combine("first"), "Zed.Rules", Source(Rule("ZedRule", "DUP2001", ReportUsers)));
        CompilePlugin(temp.Combine("second"), "Able.Rules", Source(Rule("AbleRule", "DUP2001", ReportUsers)));

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("first"), temp.Combine("second")]).LoadRules(notifications);

        notifications.ShouldHaveSingleItem().Message.ShouldContain("Zed.Rules (ZedRule) and Able.Rules (AbleRule)");
        rules.ShouldHaveSingleItem().Source.ShouldBe("Zed.Rules");
    }

    [Fact]
    public void One_plugin_installed_in_two_folders_is_named_with_both_paths()
    {
        using var temp = new TempDir();
        var first = CompilePlugin(temp.Combine("a"), "Twice.Rules", Source(Rule("TwiceRule", "TWC1001", ReportUsers)));
        var second = CompilePlugin(temp.Combine("b"), "Twice.Rules", Source(Rule("TwiceRule", "TWC1001", ReportUsers)));

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("a"), temp.Combine("b")]).LoadRules(notifications);

        notifications.ShouldHaveSingleItem().Message.ShouldBe(
            $"Rule id TWC1001 is declared by two plugins: Twice.Rules (TwiceRule, {first}) and Twice.Rules (TwiceRule, {second}). Only the first is loaded; rename the id in one of them.");
        rules.ShouldHaveSingleItem().AssemblyPath.ShouldBe(first);
    }

    [Fact]
    public void A_rule_that_throws_is_reported_and_the_other_rules_still_run()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Combine("plugins"), "Flaky.Rules", Source(
            Rule("ThrowingRule", "FLK1001", "if (ctx.Entry.Line.Number == 2) throw new InvalidOperationException(\"boom on line 2\");"),
            Rule("SteadyRule", "FLK1002", ReportUsers),
            Rule("BrokenInitRule", "FLK1003", ReportUsers, initialize: "throw new NotSupportedException(\"cannot start\");")));

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("plugins")]).LoadRules(notifications);
        notifications.ShouldBeEmpty();
        var engine = new LintEngine(rules, new LintOptions());
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(TestTranscript.Text));
        var result = engine.LintStream(stream, "session.jsonl");

        var init = engine.InitializationNotifications.ShouldHaveSingleItem();
        init.Message.ShouldContain("FLK1003");
        init.Message.ShouldContain("cannot start");
        var crash = result.Notifications.ShouldHaveSingleItem();
        crash.Level.ShouldBe("error");
        crash.RuleId.ShouldBe("FLK1001");
        crash.Message.ShouldContain("boom on line 2");
        result.Diagnostics.Select(d => (d.Id, d.Location.StartLine)).ShouldBe([("FLK1002", 1), ("FLK1002", 3)]);
    }

    [Fact]
    public void A_plugin_file_that_is_not_an_assembly_is_reported_and_the_others_load()
    {
        using var temp = new TempDir();
        temp.Write("plugins/Broken.Rules/Broken.Rules.dll", "this is not a PE file");
        CompilePlugin(temp.Combine("plugins"), "Good.Rules", Source(Rule("GoodRule", "GOOD1001", ReportUsers)));

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("plugins")]).LoadRules(notifications);

        var error = notifications.ShouldHaveSingleItem();
        error.Level.ShouldBe("error");
        error.Message.ShouldStartWith("Plugin Broken.Rules (");
        error.Message.ShouldContain("could not be read as a .NET assembly");
        rules.ShouldHaveSingleItem().Source.ShouldBe("Good.Rules");
    }

    [Fact]
    public void A_plugin_whose_dependency_is_missing_is_reported_as_failed_to_load()
    {
        using var temp = new TempDir();
        var helper = Compile(temp.Combine("Contoso.Helpers.dll"), "Contoso.Helpers", "public static class Helper { public static string Name => \"x\"; }", []);
        var source = Source(
            "public sealed class NeedsHelperRule : TranscriptRule { public static readonly RuleDescriptor D = new(\"HLP1001\", \"needs-helper\", \"Needs helper\", \"{0}\", \"Test\", Severity.Note); " +
            "public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [D]; " +
            "public NeedsHelperRule() { _ = Helper.Name; } " +
            "public override void Initialize(RuleInitializationContext context) { } }");
        var folder = Directory.CreateDirectory(temp.Combine("plugins", "Needy.Rules")).FullName;
        Compile(Path.Combine(folder, "Needy.Rules.dll"), "Needy.Rules", source, [ContractPath, helper]); // helper not copied

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("plugins")]).LoadRules(notifications);

        rules.ShouldBeEmpty();
        var error = notifications.ShouldHaveSingleItem();
        error.Level.ShouldBe("error");
        error.Message.ShouldContain("Needy.Rules");
        error.Message.ShouldContain("Contoso.Helpers");
    }

    [Fact]
    public void A_plugin_loads_its_own_dependency_from_its_folder_into_its_own_context()
    {
        using var temp = new TempDir();
        var folder = Directory.CreateDirectory(temp.Combine("plugins", "Needy.Rules")).FullName;
        var helper = Compile(Path.Combine(folder, "Contoso.Helpers.dll"), "Contoso.Helpers", "public static class Helper { public static string Name => \"from-helper\"; }", []);
        var source = Source(
            "public sealed class NeedsHelperRule : TranscriptRule { public static readonly RuleDescriptor D = new(\"HLP1001\", \"needs-helper\", \"Needs helper\", \"{0}\", \"Test\", Severity.Note); " +
            "public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [D]; " +
            "public static System.Reflection.Assembly HelperAssembly => typeof(Helper).Assembly; " +
            "public NeedsHelperRule() { _ = Helper.Name; } " +
            "public override void Initialize(RuleInitializationContext context) { } }");
        Compile(Path.Combine(folder, "Needy.Rules.dll"), "Needy.Rules", source, [ContractPath, helper]);

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("plugins")]).LoadRules(notifications);

        notifications.ShouldBeEmpty();
        var rule = rules.ShouldHaveSingleItem().Rule;
        var helperAssembly = (System.Reflection.Assembly)rule.GetType().GetProperty("HelperAssembly")!.GetValue(null)!;
        helperAssembly.Location.ShouldBe(Path.Combine(folder, "Contoso.Helpers.dll"));
        System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(helperAssembly)
            .ShouldBeSameAs(System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(rule.GetType().Assembly), "a plugin's dependency loads into the plugin's context");
        IsIsolated(helperAssembly).ShouldBeTrue();
    }

    [Fact]
    public void A_loose_dll_or_a_missing_folder_is_reported_not_fatal()
    {
        using var temp = new TempDir();
        temp.Write("plugins/Loose.dll", "x");

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("plugins"), temp.Combine("nowhere")]).LoadRules(notifications);

        rules.ShouldBeEmpty();
        notifications.Select(n => n.Level).ShouldBe(["warning", "error"]);
        notifications[0].Message.ShouldContain(Path.Combine("Loose", "Loose.dll"));
        notifications[1].Message.ShouldContain("does not exist");
    }

    [Fact]
    public void A_descriptor_with_a_bad_id_is_reported_by_its_cause_in_one_line_not_as_TypeInitializationException()
    {
        using var temp = new TempDir();
        CompilePlugin(temp.Combine("plugins"), "Lower.Rules", Source(Rule("LowerCaseRule", "cts1001", ReportUsers)));

        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([temp.Combine("plugins")]).LoadRules(notifications);

        rules.ShouldBeEmpty();
        var message = notifications.ShouldHaveSingleItem().Message;
        message.ShouldBe("Lower.Rules: rule LowerCaseRule threw from SupportedDescriptors (ArgumentException: Rule id 'cts1001' must be 2-8 uppercase letters followed by 3-5 digits. (Parameter 'id') (in the static initialiser of LowerCaseRule)); skipped.");
        message.ShouldNotContain("TypeInitializationException");
        message.ShouldNotContain("\n");
    }

    [Fact]
    public void Wrappers_are_removed_down_to_the_cause()
    {
        var cause = new FormatException("bad");
        ExceptionText.Innermost(new System.Reflection.TargetInvocationException(new TypeInitializationException("X", new AggregateException(cause)))).ShouldBeSameAs(cause);
        ExceptionText.OneLine(new InvalidOperationException("one\ntwo")).ShouldBe("InvalidOperationException: one two");
    }
}
