using System.Text;
using System.Text.Json;
using TranscriptLint.Cli;
using TranscriptLint.Tests;

namespace TranscriptLint.Sarif.Tests;

/// <summary>Same input, same bytes; fingerprints follow what a finding is about, not the line it is on.</summary>
public class DeterminismAndFingerprintTests
{
    private const string UnrelatedLines =
        "{\"type\":\"file-history-snapshot\",\"messageId\":\"0b7e2f5a-1c44-4d7e-9a0e-3f1d2c6b8a90\",\"snapshot\":{\"messageId\":\"0b7e2f5a-1c44-4d7e-9a0e-3f1d2c6b8a90\",\"trackedFileBackups\":{},\"timestamp\":\"2026-02-12T09:00:00.000Z\"},\"isSnapshotUpdate\":false}\n" +
        "{\"type\":\"file-history-snapshot\",\"messageId\":\"5d2c9e18-7b3a-4f60-8e21-c4a9b7d0e612\",\"snapshot\":{\"messageId\":\"5d2c9e18-7b3a-4f60-8e21-c4a9b7d0e612\",\"trackedFileBackups\":{},\"timestamp\":\"2026-02-12T09:00:01.000Z\"},\"isSnapshotUpdate\":false}\n";

    [Fact]
    public void Two_runs_write_identical_bytes_whatever_the_input_order()
    {
        var results = SarifFixtures.Lint([.. SarifFixtures.All]);
        var first = SarifFixtures.Write(results).Bytes;
        var second = SarifFixtures.Write(SarifFixtures.Lint([.. SarifFixtures.All])).Bytes;
        var reversed = SarifFixtures.Write([.. results.Reverse()]).Bytes;
        second.ShouldBe(first);
        reversed.ShouldBe(first);
    }

    [Fact]
    public void The_log_holds_no_clock_or_random_values()
    {
        var text = SarifFixtures.Text(SarifFixtures.Write(SarifFixtures.Lint([.. SarifFixtures.All])).Bytes);
        foreach (var property in new[] { "\"guid\"", "\"runGuid\"", "\"correlationGuid\"", "\"startTimeUtc\"", "\"endTimeUtc\"", "\"timeUtc\"", "\"machine\"", "\"processId\"" })
        {
            text.ShouldNotContain(property);
        }
    }

    [Fact]
    public void The_cli_writes_identical_sarif_files_on_two_runs()
    {
        var dir = Directory.CreateTempSubdirectory("tl-sarif-cli-");
        try
        {
            var fixtures = Path.Combine(RepoPaths.Fixtures, "claude-code");
            int Run(string output) => CliApp.Run(["lint", fixtures, "--format", "sarif", "--source-root", RepoPaths.Root, "--output", output], TextWriter.Null, TextWriter.Null);
            var a = Path.Combine(dir.FullName, "a.sarif");
            var b = Path.Combine(dir.FullName, "b.sarif");
            Run(a).ShouldBe(1, "the fixtures have findings");
            Run(b).ShouldBe(1);
            File.ReadAllBytes(b).ShouldBe(File.ReadAllBytes(a));
            SchemaValidationTests.AssertValid(File.ReadAllBytes(a), "the CLI's log");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static List<(string RuleId, int Line, string Hash, string Own)> Fingerprints(byte[] sarif)
    {
        using var doc = JsonDocument.Parse(sarif);
        return [.. doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Select(r => (
            r.GetProperty("ruleId").GetString()!,
            r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32(),
            r.GetProperty("partialFingerprints").GetProperty(SarifWriter.GitHubFingerprintKey).GetString()!,
            r.GetProperty("partialFingerprints").GetProperty(SarifWriter.FingerprintKey).GetString()!))];
    }

    public static TheoryData<string> FixturesWithFindings()
    {
        var data = new TheoryData<string>();
        // Not TL1006 files: lines added above a binary or a JSON document do not make its one finding move.
        foreach (var f in SarifFixtures.All.Where(f => SarifFixtures.Lint(f)[0] is { Diagnostics.Count: > 0, Dialect: not "none" }))
        {
            data.Add(f);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixturesWithFindings))]
    public void Fingerprints_do_not_change_when_unrelated_lines_are_added_above(string fixture)
    {
        var original = File.ReadAllBytes(Path.Combine(RepoPaths.Root, fixture));
        if (original.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]))
        {
            return; // "the file starts with a BOM" is about line 1 itself: nothing can be added above it
        }

        var dir = Directory.CreateTempSubdirectory("tl-sarif-fp-");
        try
        {
            var shifted = Path.Combine(dir.FullName, "shifted.jsonl");
            File.WriteAllBytes(shifted, [.. Encoding.UTF8.GetBytes(UnrelatedLines), .. original]);
            var engine = SarifFixtures.Engine();
            var before = Fingerprints(SarifFixtures.Write(SarifFixtures.Lint(fixture)).Bytes);
            var after = Fingerprints(SarifWriter.Build(
                SarifFixtures.Input([engine.LintFile(shifted, "shifted.jsonl")]),
                SarifFixtures.Options(dir.FullName)).Bytes);

            after.Count.ShouldBe(before.Count);
            before.Count.ShouldBeGreaterThan(0);
            foreach (var (b, a) in before.Zip(after))
            {
                a.RuleId.ShouldBe(b.RuleId);
                a.Line.ShouldBe(b.Line + 2, "the finding moved down two lines");
                a.Hash.ShouldBe(b.Hash, $"{b.RuleId} on line {b.Line}: primaryLocationLineHash changed");
                a.Own.ShouldBe(b.Own);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Fingerprints_tell_different_findings_apart()
    {
        var (bytes, _) = SarifFixtures.Write(SarifFixtures.Lint([.. SarifFixtures.All]));
        using var doc = JsonDocument.Parse(bytes);
        var keys = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()
                + " " + r.GetProperty("partialFingerprints").GetProperty(SarifWriter.GitHubFingerprintKey).GetString())
            .ToList();
        keys.Count.ShouldBeGreaterThan(10);
        keys.Distinct().Count().ShouldBe(keys.Count);
    }
}
