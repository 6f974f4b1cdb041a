using System.Text;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests.Fixing;

/// <summary>The fixer wired to the built-in rules, as the CLI uses it.</summary>
internal static class FixerHarness
{
    public static IReadOnlyList<LoadedRule> Rules { get; } = new AssemblyRuleSource(typeof(RuleIdentifiers).Assembly).LoadRules(new List<ToolNotification>());

    public static LintEngine NewEngine() => new(Rules, new LintOptions());

    public static FixOutcome Fix(byte[] bytes, bool unsafeFixes = false, string path = "t.jsonl") =>
        new TranscriptFixer(NewEngine(), new FixOptions { IncludeUnsafe = unsafeFixes }).Fix(bytes, path);

    public static FixOutcome FixRecorded(byte[] bytes, params RecordedFix[] fixes) =>
        new TranscriptFixer(NewEngine(), new FixOptions { IncludeUnsafe = true }).Fix(bytes, "t.jsonl", new RecordedFindings("t.jsonl", LineSha(bytes), fixes));

    public static FileLintResult Lint(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return NewEngine().LintStream(stream, "t.jsonl");
    }

    public static string LineSha(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static string Text(byte[] b) => Encoding.UTF8.GetString(b);
}
