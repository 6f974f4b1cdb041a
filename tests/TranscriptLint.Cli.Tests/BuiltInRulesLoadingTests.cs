using System.Runtime.Loader;
using TranscriptLint.Engine.Plugins;
using TranscriptLint.Reporting;
using static TranscriptLint.Tests.PluginCompiler;

namespace TranscriptLint.Tests;

/// <summary>The built-in rules load beside the host (no load context of their own to build on every start); plugins do not.</summary>
public sealed class BuiltInRulesLoadingTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_built_in_rules_load_once_beside_the_host_and_a_plugin_in_its_own_context()
    {
        CompilePlugin(_temp.Combine("plugins"), "Own.Rules", Source(Rule("OwnRule", "OWN1001", "")));
        var notifications = new List<ToolNotification>();

        var rules = new PluginRuleSource([PluginRuleSource.BuiltInFolder, _temp.Combine("plugins")]).LoadRules(notifications);

        notifications.ShouldBeEmpty();
        var builtIn = rules.Where(r => r.Source == "TranscriptLint.Rules.Core").Select(r => r.Rule.GetType().Assembly).Distinct().ShouldHaveSingleItem();
        builtIn.Location.ShouldBe(Path.Combine(PluginRuleSource.BuiltInFolder, "TranscriptLint.Rules.Core", "TranscriptLint.Rules.Core.dll"));
        AssemblyLoadContext.GetLoadContext(builtIn).ShouldBe(AssemblyLoadContext.Default);
        AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == "TranscriptLint.Rules.Core").ShouldBe(1, "loaded once, however often the rules are asked for");
        var own = rules.Single(r => r.Source == "Own.Rules").Rule.GetType().Assembly;
        IsIsolated(own).ShouldBeTrue("a plugin keeps its own load context");
    }
}
