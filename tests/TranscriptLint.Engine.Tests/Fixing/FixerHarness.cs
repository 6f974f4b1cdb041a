using System.Text;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// The fixer wired to the built-in rules, as the CLI uses it. Every fix is made twice, from the bytes in memory and from
/// them written to a file and read on demand (as the CLI fixes), and the two must agree in every respect: the file
/// source is the one users run, the array the one most tests read.
/// </summary>
internal static class FixerHarness
{
    public static IReadOnlyList<LoadedRule> Rules { get; } = new AssemblyRuleSource(typeof(RuleIdentifiers).Assembly).LoadRules(new List<ToolNotification>());

    public static LintEngine NewEngine() => new(Rules, new LintOptions());

    public static FixOutcome Fix(byte[] bytes, bool unsafeFixes = false, string path = "t.jsonl")
    {
        var fixer = new TranscriptFixer(NewEngine(), new FixOptions { IncludeUnsafe = unsafeFixes });
        return SameFromFile(fixer.Fix(bytes, path), bytes, source => fixer.Fix(source, path));
    }

    public static FixOutcome FixRecorded(byte[] bytes, params RecordedFix[] fixes)
    {
        var fixer = new TranscriptFixer(NewEngine(), new FixOptions { IncludeUnsafe = true });
        var recorded = new RecordedFindings("t.jsonl", LineSha(bytes), fixes);
        return SameFromFile(fixer.Fix(bytes, "t.jsonl", recorded), bytes, source => fixer.Fix(source, "t.jsonl", recorded));
    }

    /// <summary>Fixes the same bytes from a file and checks the outcome is the one made in memory; returns the latter.</summary>
    public static FixOutcome SameFromFile(FixOutcome inMemory, byte[] bytes, Func<FixSource, FixOutcome> fix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tl-fixsource-{Guid.NewGuid():N}.jsonl");
        File.WriteAllBytes(path, bytes);
        try
        {
            using var source = FixSource.OpenFile(path);
            var fromFile = fix(source);
            fromFile.OriginalHash.ShouldBe(inMemory.OriginalHash);
            fromFile.Fixed.ShouldBe(inMemory.Fixed, "the file source fixes to the same bytes");
            fromFile.Changed.ShouldBe(inMemory.Changed);
            fromFile.Applied.ShouldBe(inMemory.Applied);
            fromFile.Rejected.Select(r => r.Reason).ShouldBe(inMemory.Rejected.Select(r => r.Reason));
            fromFile.Refusal.ShouldBe(inMemory.Refusal);
            fromFile.Converged.ShouldBe(inMemory.Converged);
            fromFile.FinalLint.Diagnostics.Select(d => (d.Id, d.Message)).ShouldBe(inMemory.FinalLint.Diagnostics.Select(d => (d.Id, d.Message)));
            using var written = new MemoryStream();
            fromFile.Content.WriteTo(written); // hashes the file as it copies it
            written.ToArray().ShouldBe(inMemory.Fixed);
            return inMemory;
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static FileLintResult Lint(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return NewEngine().LintStream(stream, "t.jsonl");
    }

    public static string LineSha(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static string Text(byte[] b) => Encoding.UTF8.GetString(b);
}
