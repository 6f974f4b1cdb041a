namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// Fixes written in each format's own shape: Codex gets an <c>"aborted"</c> function_call_output right after the
/// call (what Codex itself inserts), chat transcripts a <c>role:"tool"</c> message. Golden files sit beside the
/// fixtures in fixtures/codex and fixtures/chat.
/// </summary>
public sealed class OtherDialectGoldenFixTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dialect in new[] { "codex", "chat", "copilot-cli", "gemini-cli-jsonl" })
        {
            foreach (var f in Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, dialect), "fires-*.jsonl", SearchOption.AllDirectories)
                         .Where(f => !f.EndsWith("fixed.jsonl", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepoPaths.Fixtures, f).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixed_output_matches_the_golden_file_and_lints_clean(string relative)
    {
        var path = Path.Combine(RepoPaths.Fixtures, relative);
        // CASE.fixed.jsonl for Safe fixes; CASE.unsafe-fixed.jsonl when the fix is Unsafe (it removes real content).
        var golden = Path.ChangeExtension(path, ".fixed.jsonl");
        var original = File.ReadAllBytes(path);
        if (!FixerHarness.Lint(original).Diagnostics.Any(d => d.Fixes.Count > 0))
        {
            // A finding without a fix (TL1007's rollout header): no golden, and fix changes nothing, as in GoldenFixTests.
            File.Exists(golden).ShouldBeFalse($"{relative} offers no fix, so a golden file would be wrong");
            File.Exists(Path.ChangeExtension(path, ".unsafe-fixed.jsonl")).ShouldBeFalse($"{relative} offers no fix, so a golden file would be wrong");
            FixerHarness.Fix(original, unsafeFixes: true).Changed.ShouldBeFalse();
            return;
        }

        var unsafeFixes = !File.Exists(golden);
        if (unsafeFixes)
        {
            golden = Path.ChangeExtension(path, ".unsafe-fixed.jsonl");
            FixerHarness.Fix(File.ReadAllBytes(path)).Changed.ShouldBeFalse($"{relative} has no .fixed.jsonl: plain fix must change nothing");
        }

        File.Exists(golden).ShouldBeTrue($"{relative} needs {Path.GetFileName(golden)}");
        var outcome = FixerHarness.Fix(File.ReadAllBytes(path), unsafeFixes);
        outcome.Converged.ShouldBeTrue();
        outcome.Rejected.ShouldBeEmpty();
        FixerHarness.Text(outcome.Fixed).ShouldBe(FixerHarness.Text(File.ReadAllBytes(golden)));
        FixerHarness.Lint(outcome.Fixed).Diagnostics.ShouldBeEmpty();
        FixerHarness.Fix(outcome.Fixed, unsafeFixes).Changed.ShouldBeFalse();
    }
}
