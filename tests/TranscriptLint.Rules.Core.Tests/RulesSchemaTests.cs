using System.Reflection;
using System.Text.Json;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>rules.schema.json (the config file's schema) must know every built-in rule.</summary>
public class RulesSchemaTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "rules.schema.json"))).RootElement;

    private static JsonElement Section(string name) => Schema.GetProperty("properties").GetProperty(name).GetProperty("properties");

    public static TheoryData<string> BuiltInIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in AllIds())
        {
            data.Add(id);
        }

        return data;
    }

    private static List<string> AllIds()
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in RuleHarness.Rules)
        {
            foreach (var d in rule.Rule.SupportedDescriptors)
            {
                ids.Add(d.Id);
            }
        }

        // The catalog ids too: a rule added later must not be able to ship without a schema entry.
        foreach (var field in typeof(RuleIdentifiers).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
        {
            var value = (string)field.GetRawConstantValue()!;
            if (RuleDescriptor.IsValidId(value))
            {
                ids.Add(value);
            }
        }

        return [.. ids];
    }

    [Theory]
    [MemberData(nameof(BuiltInIds))]
    public void Every_built_in_rule_has_a_severity_and_an_options_entry_in_the_schema(string id)
    {
        Section("severities").TryGetProperty(id, out _).ShouldBeTrue($"rules.schema.json has no properties.severities.properties.{id}: add the rule there");
        Section("options").TryGetProperty(id, out var options).ShouldBeTrue($"rules.schema.json has no properties.options.properties.{id}: add the rule's options there (an empty object schema when it has none)");
        options.GetProperty("type").GetString().ShouldBe("object");
        options.GetProperty("additionalProperties").ValueKind.ShouldBe(JsonValueKind.False, "built-in rule options are closed so a typo is an error");
    }

    [Fact]
    public void Every_loaded_built_in_rule_is_checked()
    {
        RuleHarness.Rules.Count.ShouldBeGreaterThan(0);
        var ids = AllIds();
        foreach (var d in RuleHarness.Rules.SelectMany(r => r.Rule.SupportedDescriptors))
        {
            ids.ShouldContain(d.Id);
        }
    }

    [Fact]
    public void The_schema_names_no_rule_that_does_not_exist()
    {
        var known = AllIds().ToHashSet(StringComparer.Ordinal);
        foreach (var section in new[] { "severities", "options" })
        {
            foreach (var property in Section(section).EnumerateObject())
            {
                known.ShouldContain(property.Name, $"rules.schema.json {section} lists {property.Name}, which is no built-in rule id");
            }
        }
    }
}
