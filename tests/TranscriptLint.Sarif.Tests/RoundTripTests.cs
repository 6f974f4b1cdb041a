using TranscriptLint.Tests;

namespace TranscriptLint.Sarif.Tests;

/// <summary>TranscriptLint reads its own SARIF back (for <c>fix --from-sarif</c>): findings and fixes survive.</summary>
public class RoundTripTests
{
    [Fact]
    public void Findings_and_fixes_of_every_fixture_survive_a_round_trip()
    {
        var results = SarifFixtures.Lint([.. SarifFixtures.All]);
        var (bytes, _) = SarifFixtures.Write(results);
        var read = SarifReader.Read(SarifFixtures.Text(bytes), sourceRoot: RepoPaths.Root);

        read.Count.ShouldBe(results.Count, "one entry per artifact");
        var fixesSeen = 0;
        foreach (var original in results)
        {
            var local = Path.GetFullPath(Path.Combine(RepoPaths.Root, original.Path));
            var file = read.Single(f => f.LocalPath == local);
            file.Uri.ShouldBe(original.Path);
            file.Sha256.ShouldBe(original.Sha256);
            file.Dialect.ShouldBe(original.Dialect);
            file.Findings.Count.ShouldBe(original.Diagnostics.Count, original.Path);
            foreach (var (d, f) in original.Diagnostics.Zip(file.Findings))
            {
                f.RuleId.ShouldBe(d.Id);
                f.Severity.ShouldBe(d.Severity);
                f.Message.ShouldBe(d.Message);
                f.Location.ShouldBe(d.Location with { Path = local }, $"{original.Path}: {d}");
                f.Fixes.Count.ShouldBe(d.Fixes.Count);
                foreach (var (expected, actual) in d.Fixes.Zip(f.Fixes))
                {
                    actual.Title.ShouldBe(expected.Title);
                    actual.Applicability.ShouldBe(expected.Applicability);
                    actual.Edits.ShouldBe(expected.Edits, $"{original.Path}: edits of '{expected.Title}'");
                    fixesSeen++;
                }
            }
        }

        fixesSeen.ShouldBeGreaterThan(15);
    }

    [Fact]
    public void Paths_resolve_through_original_uri_base_ids_when_no_root_is_given()
    {
        const string fixture = "fixtures/claude-code/common/c-parallel-missing-result.jsonl";
        var results = SarifFixtures.Lint(fixture);
        var options = new SarifWriterOptions { SourceRoot = RepoPaths.Root, LocalPath = r => Path.Combine(RepoPaths.Root, r.Path) };
        var (bytes, _) = SarifWriter.Build(SarifFixtures.Input(results), options);
        var file = SarifReader.Read(SarifFixtures.Text(bytes)).Single();
        file.LocalPath.ShouldBe(Path.GetFullPath(Path.Combine(RepoPaths.Root, fixture)));
        File.Exists(file.LocalPath).ShouldBeTrue();
    }

    [Fact]
    public void A_fix_that_cannot_be_written_as_text_still_travels_semantically()
    {
        // The file changed after linting: text replacements would be wrong, so only the semantic edits are kept.
        const string fixture = "fixtures/claude-code/common/b-crash-mid-tool.jsonl";
        var results = SarifFixtures.Lint(fixture);
        var copy = Path.Combine(Path.GetTempPath(), "tl-sarif-" + Guid.NewGuid().ToString("N") + ".jsonl");
        var root = Path.GetDirectoryName(copy)!;
        File.WriteAllText(copy, File.ReadAllText(Path.Combine(RepoPaths.Root, fixture)) + "\n");
        try
        {
            var (bytes, report) = SarifWriter.Build(SarifFixtures.Input(results), SarifFixtures.Options(root, _ => copy));
            report.Warnings.ShouldContain(w => w.Contains("changed after it was linted", StringComparison.Ordinal));
            FixRegionTests.Fixes(bytes).ShouldBeEmpty();
            SchemaValidationTests.AssertValid(bytes, "a log with unrendered fixes");
            var finding = SarifReader.Read(SarifFixtures.Text(bytes), RepoPaths.Root).Single().Findings.Single(f => f.RuleId == "TL3001");
            var expected = results[0].Diagnostics.Single(d => d.Id == "TL3001").Fixes.Single();
            finding.Fixes.Single().Edits.ShouldBe(expected.Edits);
            finding.Fixes.Single().Applicability.ShouldBe(expected.Applicability);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void Text_that_is_not_sarif_is_a_clear_error()
    {
        Should.Throw<SarifReadException>(() => SarifReader.Read("{ not json")).Message.ShouldStartWith("not a readable SARIF log");
        Should.Throw<SarifReadException>(() => SarifReader.Read("{}")).Message.ShouldContain("version");
        Should.Throw<SarifReadException>(() => SarifReader.Read("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},\"results\":[{\"message\":{\"text\":\"m\"}}]}]}")).Message.ShouldContain("no ruleId");
    }
}
