namespace TranscriptLint.Tests;

/// <summary>
/// The same rules on formats without a parent graph: Codex rollouts (fixtures/codex/) and one-message-per-line
/// chat transcripts, OpenAI and Amplifier (fixtures/chat/).
/// </summary>
public sealed class OtherDialectFixtureTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dialect in new[] { "codex", "chat", "copilot-cli", "gemini-cli-jsonl" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, dialect), "*.jsonl", SearchOption.AllDirectories)
                         .Where(f => !f.EndsWith("fixed.jsonl", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepoPaths.Fixtures, file).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_findings_match_expectation(string relativePath)
    {
        var path = Path.Combine(RepoPaths.Fixtures, relativePath);
        var result = RuleHarness.Lint(path);
        // A file no dialect reads (TL1006: the harness's file saved as UTF-16) has none; its folder names who wrote it.
        var notATranscript = relativePath.Contains("/TL1006/", StringComparison.Ordinal);
        result.Dialect.ShouldBe(notATranscript ? TranscriptLint.Engine.Dialects.DialectRegistry.NoDialect : relativePath.Split('/')[0]);
        result.Notifications.ShouldBeEmpty();
        RuleHarness.Findings(result).ShouldBe(ExpectedFindings.Read(Path.ChangeExtension(path, ".expected")));
    }
}
