namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// Golden files: <c>CASE.fixed.jsonl</c> is the exact output of <c>fix</c> (Safe fixes) on <c>CASE.jsonl</c>;
/// <c>CASE.unsafe-fixed.jsonl</c> the output of <c>fix --unsafe-fixes</c>. Compared byte for byte.
/// </summary>
public sealed class GoldenFixTests
{
    private static string Dir => Path.Combine(RepoPaths.Fixtures, "claude-code");

    public static TheoryData<string> FiresCases()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Dir, "*.jsonl", SearchOption.AllDirectories)
                     .Where(f => !f.EndsWith("fixed.jsonl", StringComparison.Ordinal))
                     .Where(f => Path.GetFileName(f).StartsWith("fires-", StringComparison.Ordinal) || Path.GetFileName(Path.GetDirectoryName(f)) == "common")
                     .Select(f => Path.GetRelativePath(Dir, f).Replace('\\', '/'))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(f);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FiresCases))]
    public void Fixed_output_matches_the_golden_file_byte_for_byte(string relative)
    {
        var path = Path.Combine(Dir, relative);
        var original = File.ReadAllBytes(path);
        var lint = FixerHarness.Lint(original);
        var hasSafe = lint.Diagnostics.Any(d => d.Fixes.Any(f => f.Applicability == Applicability.Safe));
        var hasUnsafe = lint.Diagnostics.Any(d => d.Fixes.Any(f => f.Applicability == Applicability.Unsafe));
        var safeGolden = Path.ChangeExtension(path, ".fixed.jsonl");
        var unsafeGolden = Path.ChangeExtension(path, ".unsafe-fixed.jsonl");

        if (hasSafe)
        {
            File.Exists(safeGolden).ShouldBeTrue($"{relative} has Safe fixes: it needs {Path.GetFileName(safeGolden)}");
        }
        else if (hasUnsafe)
        {
            File.Exists(unsafeGolden).ShouldBeTrue($"{relative} has only Unsafe fixes: it needs {Path.GetFileName(unsafeGolden)}");
        }
        else
        {
            File.Exists(safeGolden).ShouldBeFalse($"{relative} offers no fix, so fix changes nothing; a golden file would be wrong");
            FixerHarness.Fix(original).Changed.ShouldBeFalse();
        }

        if (File.Exists(safeGolden))
        {
            var outcome = FixerHarness.Fix(original);
            outcome.Converged.ShouldBeTrue();
            outcome.Rejected.ShouldBeEmpty();
            FixerHarness.Text(outcome.Fixed).ShouldBe(FixerHarness.Text(File.ReadAllBytes(safeGolden)), $"{relative}: fix output differs from the golden file");
            outcome.Fixed.ShouldBe(File.ReadAllBytes(safeGolden));
            FixerHarness.Fix(outcome.Fixed).Changed.ShouldBeFalse("fixing the fixed file changes nothing");
        }

        if (File.Exists(unsafeGolden))
        {
            var outcome = FixerHarness.Fix(original, unsafeFixes: true);
            outcome.Converged.ShouldBeTrue();
            outcome.Rejected.ShouldBeEmpty();
            outcome.Fixed.ShouldBe(File.ReadAllBytes(unsafeGolden), $"{relative}: fix --unsafe-fixes output differs from the golden file");
            FixerHarness.Fix(outcome.Fixed, unsafeFixes: true).Changed.ShouldBeFalse();
        }
    }

    [Theory]
    [InlineData("a-429-synthetic-tail")]
    [InlineData("b-crash-mid-tool")]
    [InlineData("c-parallel-missing-result")]
    [InlineData("d-orphan-result-dangling-parent")]
    public void Each_common_failure_resumes_after_fix(string name)
    {
        // d- needs --unsafe-fixes: the orphan result holds output, and a Safe fix never removes real content.
        var golden = Path.Combine(Dir, "common", name + ".fixed.jsonl");
        if (!File.Exists(golden))
        {
            golden = Path.Combine(Dir, "common", name + ".unsafe-fixed.jsonl");
        }

        File.Exists(golden).ShouldBeTrue();
        var before = FixerHarness.Lint(File.ReadAllBytes(Path.Combine(Dir, "common", name + ".jsonl")));
        before.Diagnostics.ShouldContain(d => d.Id.StartsWith("TL3", StringComparison.Ordinal) || d.Id.StartsWith("TL4", StringComparison.Ordinal));

        var after = FixerHarness.Lint(File.ReadAllBytes(golden));
        after.Diagnostics.Where(d => d.Id.StartsWith("TL3", StringComparison.Ordinal) || d.Id.StartsWith("TL4", StringComparison.Ordinal))
            .Select(d => d.ToString()).ShouldBeEmpty();
    }

    [Fact]
    public void Orphan_result_case_resumes_with_its_whole_history_after_unsafe_fixes()
    {
        // Both fixes are Unsafe: removing the orphan result (it holds output) and re-parenting past the dangling parent (TL2001).
        var golden = File.ReadAllBytes(Path.Combine(Dir, "common", "d-orphan-result-dangling-parent.unsafe-fixed.jsonl"));
        FixerHarness.Lint(golden).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Crash_mid_tool_gets_a_synthetic_result_in_claude_codes_own_shape()
    {
        var fixedBytes = File.ReadAllBytes(Path.Combine(Dir, "common", "b-crash-mid-tool.fixed.jsonl"));
        var lines = FixerHarness.Text(fixedBytes).Split('\n');
        var insertedIndex = Array.FindIndex(lines, l => l.Contains("Inserted by TranscriptLint", StringComparison.Ordinal));
        insertedIndex.ShouldBeGreaterThan(0);
        using var inserted = System.Text.Json.JsonDocument.Parse(lines[insertedIndex]);
        using var call = System.Text.Json.JsonDocument.Parse(lines[insertedIndex - 1]);
        var r = inserted.RootElement;
        var c = call.RootElement;
        var callId = c.GetProperty("message").GetProperty("content")[0].GetProperty("id").GetString()!;
        r.GetProperty("type").GetString().ShouldBe("user");
        r.GetProperty("parentUuid").GetString().ShouldBe(c.GetProperty("uuid").GetString());
        r.GetProperty("uuid").GetString().ShouldBe(TranscriptLint.Fixes.DeterministicIds.ForToolResult(callId));
        r.GetProperty("timestamp").GetString().ShouldBe(c.GetProperty("timestamp").GetString());
        foreach (var field in new[] { "sessionId", "cwd", "version" })
        {
            r.GetProperty(field).GetString().ShouldBe(c.GetProperty(field).GetString());
        }

        var block = r.GetProperty("message").GetProperty("content")[0];
        block.GetProperty("tool_use_id").GetString().ShouldBe(callId);
        block.GetProperty("is_error").GetBoolean().ShouldBeTrue();

        // The prompt that followed the call now hangs off the synthetic result, so resume walks through it.
        lines.Single(l => l.Contains("claude crashed, where were we?", StringComparison.Ordinal))
            .ShouldContain($"\"parentUuid\":\"{r.GetProperty("uuid").GetString()}\"");
    }
}
