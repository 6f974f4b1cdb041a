using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace TranscriptLint.Tests;

/// <summary>
/// Every real transcript vendored in fixtures/real is linted with every rule; it may report only what its
/// expectation file beside it justifies (trimming artefacts, publisher redaction, real defects), and it must be
/// the file its MANIFEST names (same SHA-256), so provenance and licence stay traceable.
/// </summary>
public sealed partial class RealCorpusTests
{
    public static TheoryData<string> RealFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.RealCorpus, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.RealCorpus, file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void Real_transcript_reports_only_justified_findings(string relativePath)
    {
        var result = RuleHarness.Lint(Path.Combine(RepoPaths.RealCorpus, relativePath));
        result.Notifications.ShouldBeEmpty();
        var expectation = Path.Combine(RepoPaths.RealCorpus, Path.ChangeExtension(relativePath, ".expected"));
        File.Exists(expectation).ShouldBeTrue($"every real transcript needs an expectation file: {expectation}");
        RuleHarness.Findings(result).ShouldBe(ExpectedFindings.Read(expectation));
    }

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void Real_transcript_is_the_file_its_manifest_names(string relativePath)
    {
        var manifests = ManifestHashes();
        manifests.TryGetValue(relativePath, out var recorded).ShouldBeTrue($"{relativePath} is not listed with its SHA-256 in a MANIFEST.md of fixtures/real");
        var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(RepoPaths.RealCorpus, relativePath))));
        actual.ShouldBe(recorded, $"{relativePath} differs from the copy its MANIFEST records; real files are never edited");
    }

    [Fact]
    public void Every_expectation_file_has_its_transcript() =>
        Directory.EnumerateFiles(RepoPaths.RealCorpus, "*.expected", SearchOption.AllDirectories)
            .Where(e => !File.Exists(Path.ChangeExtension(e, ".jsonl")))
            .ShouldBeEmpty();

    // "<64 hex>  <path>" lines of the MANIFEST.md files; paths relative to the manifest's folder.
    private static Dictionary<string, string> ManifestHashes()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var manifest in Directory.EnumerateFiles(RepoPaths.RealCorpus, "MANIFEST.md", SearchOption.AllDirectories))
        {
            var folder = Path.GetRelativePath(RepoPaths.RealCorpus, Path.GetDirectoryName(manifest)!).Replace('\\', '/');
            foreach (Match m in HashLine().Matches(File.ReadAllText(manifest)))
            {
                var path = m.Groups[2].Value;
                map[folder == "." ? path : folder + "/" + path] = m.Groups[1].Value;
            }
        }

        return map;
    }

    [GeneratedRegex(@"^([0-9a-f]{64})\s+(\S+\.jsonl)\s*$", RegexOptions.Multiline)]
    private static partial Regex HashLine();
}
