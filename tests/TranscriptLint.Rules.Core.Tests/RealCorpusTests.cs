namespace TranscriptLint.Tests;

/// <summary>
/// Every real transcript in ../shared/corpus/real is linted with every rule; it may report only what its
/// expectation file in fixtures/real/ justifies (trimming artefacts, publisher redaction).
/// </summary>
public sealed class RealCorpusTests
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
        var expectation = Path.Combine(RepoPaths.Fixtures, "real", Path.ChangeExtension(relativePath, ".expected"));
        File.Exists(expectation).ShouldBeTrue($"every real transcript needs an expectation file: {expectation}");
        RuleHarness.Findings(result).ShouldBe(ExpectedFindings.Read(expectation));
    }

    [Fact]
    public void The_whole_claude_code_corpus_is_covered() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.RealCorpus, "claude-code"), "*.jsonl").Count().ShouldBe(10);
}
