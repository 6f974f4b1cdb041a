using TranscriptLint.Reporting;
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
        // The dialect could not render the fix (here: as if the line it names had changed), so only the semantic edits are kept.
        const string fixture = "fixtures/claude-code/common/b-crash-mid-tool.jsonl";
        var linted = SarifFixtures.Lint(fixture)[0];
        var expected = linted.Diagnostics.Single(d => d.Id == "TL3001").Fixes.Single();
        var unrendered = linted with
        {
            RenderedFixes = linted.RenderedFixes.ToDictionary(f => f.Key, _ => RenderedFix.Unrenderable("stale fix")),
        };

        var (bytes, _) = SarifFixtures.Write([unrendered]);

        FixRegionTests.Fixes(bytes).ShouldBeEmpty();
        SchemaValidationTests.AssertValid(bytes, "a log with unrendered fixes");
        var finding = SarifReader.Read(SarifFixtures.Text(bytes), RepoPaths.Root).Single().Findings.Single(f => f.RuleId == "TL3001");
        finding.Fixes.Single().Edits.ShouldBe(expected.Edits);
        finding.Fixes.Single().Applicability.ShouldBe(expected.Applicability);
    }

    [Fact]
    public void The_writer_reads_no_file_fixes_and_fingerprints_come_with_the_lint_result()
    {
        const string fixture = "fixtures/claude-code/common/b-crash-mid-tool.jsonl";
        var results = SarifFixtures.Lint(fixture);
        var missing = Path.Combine(RepoPaths.Root, fixture) + ".missing";

        var (elsewhere, report) = SarifWriter.Build(SarifFixtures.Input(results), SarifFixtures.Options(localPath: _ => missing));

        File.Exists(missing).ShouldBeFalse();
        report.Warnings.ShouldBeEmpty();
        var expected = FixRegionTests.Fixes(SarifFixtures.Write(results).Bytes);
        var actual = FixRegionTests.Fixes(elsewhere);
        actual.Count.ShouldBe(expected.Count);
        actual.Count.ShouldBeGreaterThan(0);
        for (var i = 0; i < expected.Count; i++)
        {
            actual[i].Replacements.ShouldBe(expected[i].Replacements, "the same fixes without the file on disk");
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
