using System.Text.Json;
using Json.Schema;

namespace TranscriptLint.Sarif.Tests;

/// <summary>Every SARIF log written for the fixtures validates against the SARIF 2.1.0 schema shipped in Sarif.Sdk.</summary>
public class SchemaValidationTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemata", "sarif-2.1.0.json"))));

    internal static void AssertValid(byte[] sarif, string what)
    {
        using var doc = JsonDocument.Parse(sarif);
        var result = Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .Take(20)
            .ToList();
        result.IsValid.ShouldBeTrue($"{what} does not validate against sarif-2.1.0.json:\n{string.Join('\n', errors)}");
    }

    [Theory]
    [MemberData(nameof(SarifFixtures.AllCases), MemberType = typeof(SarifFixtures))]
    public void The_sarif_of_each_fixture_validates_against_the_schema(string fixture)
    {
        var (bytes, _) = SarifFixtures.Write(SarifFixtures.Lint(fixture));
        AssertValid(bytes, fixture);
    }

    [Fact]
    public void One_run_over_all_fixtures_validates_and_holds_every_finding()
    {
        var results = SarifFixtures.Lint([.. SarifFixtures.All]);
        var (bytes, report) = SarifFixtures.Write(results);
        AssertValid(bytes, "the all-fixtures log");
        var findings = results.Sum(r => r.Diagnostics.Count);
        findings.ShouldBeGreaterThan(10);
        report.ResultCount.ShouldBe(findings);
        report.OmittedResults.ShouldBe(0);
        using var doc = JsonDocument.Parse(bytes);
        var run = doc.RootElement.GetProperty("runs").EnumerateArray().Single();
        run.GetProperty("results").GetArrayLength().ShouldBe(findings);
        run.GetProperty("artifacts").GetArrayLength().ShouldBe(results.Count);
    }

    [Fact]
    public void The_schema_check_rejects_a_broken_log()
    {
        // Guards against a vacuous validator: a result without a message is invalid SARIF.
        var (bytes, _) = SarifFixtures.Write(SarifFixtures.Lint("fixtures/claude-code/common/b-crash-mid-tool.jsonl"));
        var text = SarifFixtures.Text(bytes).Replace("\"message\": {", "\"messageX\": {", StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);
        Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions()).IsValid.ShouldBeFalse();
    }
}
