using TranscriptLint.Engine.Dialects;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// Whole-document transcripts (fixtures/gemini-cli, fixtures/anthropic-messages, fixtures/openai-chat): each
/// fixture is detected as its folder's dialect, reports exactly its .expected findings, and a fixture with Safe
/// fixes is fixed byte for byte into its .fixed.json golden file, which keeps every byte outside the edits.
/// </summary>
public sealed class DocumentDialectFixtureTests
{
    private static readonly string[] Dialects = [GeminiCliDialect.DialectName, AnthropicMessagesDialect.DialectName, OpenAIChatBodyDialect.DialectName];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dialect in Dialects)
        {
            foreach (var f in Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, dialect), "*.json")
                         .Where(f => !f.EndsWith(".fixed.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepoPaths.Fixtures, f).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_is_detected_and_reports_its_expected_findings(string relative)
    {
        var path = Path.Combine(RepoPaths.Fixtures, relative);
        var result = FixerHarness.Lint(File.ReadAllBytes(path));
        result.Dialect.ShouldBe(relative.Split('/')[0]);
        result.Notifications.ShouldBeEmpty();
        result.Diagnostics.Select(d => ExpectedFindings.Format(d.Id, d.Location.StartLine)).Order(StringComparer.Ordinal)
            .ShouldBe(ExpectedFindings.Read(Path.ChangeExtension(path, ".expected")));
        if (relative.Contains("/clean-", StringComparison.Ordinal))
        {
            result.Diagnostics.ShouldBeEmpty();
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Safe_fixes_give_the_golden_file_and_touch_nothing_else(string relative)
    {
        var path = Path.Combine(RepoPaths.Fixtures, relative);
        var original = File.ReadAllBytes(path);
        var golden = Path.ChangeExtension(path, ".fixed.json");
        var outcome = FixerHarness.Fix(original);
        outcome.Rejected.ShouldBeEmpty();
        if (!File.Exists(golden))
        {
            outcome.Changed.ShouldBeFalse($"{relative} changed under fix but has no golden {Path.GetFileName(golden)}");
            return;
        }

        FixerHarness.Text(outcome.Fixed).ShouldBe(FixerHarness.Text(File.ReadAllBytes(golden)));
        outcome.Converged.ShouldBeTrue();
        FixerHarness.Lint(outcome.Fixed).Dialect.ShouldBe(relative.Split('/')[0]);
        FixerHarness.Fix(outcome.Fixed).Changed.ShouldBeFalse("fixing is idempotent");

        // Only one region changed: the bytes before it and after it are the original's.
        var prefix = 0;
        while (prefix < original.Length && prefix < outcome.Fixed.Length && original[prefix] == outcome.Fixed[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < original.Length - prefix && suffix < outcome.Fixed.Length - prefix && original[^(suffix + 1)] == outcome.Fixed[^(suffix + 1)])
        {
            suffix++;
        }

        (prefix + suffix).ShouldBeGreaterThan(original.Length * 3 / 4, "a fix rewrites one value, not the document");
    }
}
