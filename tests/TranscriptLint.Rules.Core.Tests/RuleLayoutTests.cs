using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>
/// Everything about a rule is found by its id: the source file and class, the test class, the fixtures and the doc
/// page (docs/adding-a-rule.md). A rule added without one of them fails here.
/// </summary>
public sealed class RuleLayoutTests
{
    private static readonly string RulesRoot = Path.Combine(RepoPaths.Root, "rules", "TranscriptLint.Rules.Core");

    public static TheoryData<string> RuleIds() =>
        [.. RuleHarness.Rules.SelectMany(r => r.Rule.SupportedDescriptors).Select(d => d.Id).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_source_test_fixtures_and_doc_page_are_named_by_id(string id)
    {
        var rule = RuleHarness.Rules.Single(r => r.Rule.SupportedDescriptors.Any(d => d.Id == id)).Rule.GetType();
        rule.Name.ShouldStartWith(id, Case.Sensitive, "the rule class is named <ID><Name>Rule");
        rule.Name.ShouldEndWith("Rule");
        var source = Directory.GetFiles(RulesRoot, rule.Name + ".cs", SearchOption.AllDirectories);
        source.Length.ShouldBe(1, $"one file {rule.Name}.cs under rules/TranscriptLint.Rules.Core/<Category>/");

        var testBase = typeof(RuleFixtureTests<>).MakeGenericType(rule);
        var tests = typeof(RuleLayoutTests).Assembly.GetTypes().Where(t => t.Name.StartsWith(id, StringComparison.Ordinal) && testBase.IsAssignableFrom(t)).ToList();
        tests.ShouldNotBeEmpty($"a test class {id}<Name>Tests : RuleFixtureTests<{rule.Name}> in tests/TranscriptLint.Rules.Core.Tests/");
        foreach (var t in tests)
        {
            File.Exists(Path.Combine(RepoPaths.Root, "tests", "TranscriptLint.Rules.Core.Tests", t.Name + ".cs")).ShouldBeTrue($"{t.Name} lives in {t.Name}.cs");
        }

        Directory.GetDirectories(RepoPaths.Fixtures, id, SearchOption.AllDirectories).ShouldNotBeEmpty($"fixtures/<dialect>/{id}/");
        File.Exists(Path.Combine(RepoPaths.Root, "docs", "rules", id + ".md")).ShouldBeTrue($"docs/rules/{id}.md");
    }

    [Fact]
    public void Only_rules_and_shared_helpers_live_in_the_rules_project()
    {
        // A rule file holds one rule; helpers several rules use live in Shared/ (no rule calls another rule).
        foreach (var file in Directory.GetFiles(RulesRoot, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var folder = Path.GetFileName(Path.GetDirectoryName(file)!);
            if (folder == "Shared" || name == nameof(RuleIdentifiers) || Path.GetDirectoryName(file) == RulesRoot)
            {
                continue;
            }

            var text = File.ReadAllText(file);
            foreach (var other in RuleHarness.Rules.Select(r => r.Rule.GetType().Name).Where(n => n != name))
            {
                text.ShouldNotContain(other + ".", Case.Sensitive, $"{name} calls {other}: move the shared code to Shared/");
            }
        }
    }
}
