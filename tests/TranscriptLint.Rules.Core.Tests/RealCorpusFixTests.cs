using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests;

/// <summary>
/// <c>fix --unsafe-fixes</c> on every real transcript changes only what its findings name: the fixed bytes are
/// diffed line by line against the original, and every deleted, rewritten or inserted line must sit on a line a
/// finding reports or one of its fix's edits targets. A file without findings must come back byte for byte.
/// </summary>
public sealed class RealCorpusFixTests
{
    public static TheoryData<string> RealFiles() => RealCorpusTests.RealFiles();

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void Unsafe_fix_changes_only_the_lines_its_findings_name(string relativePath)
    {
        var path = Path.Combine(RepoPaths.RealCorpus, relativePath);
        var original = File.ReadAllBytes(path);
        var current = original;

        // One pass at a time: a fix can reveal a finding the damaged file hid (a glued line, once split, turns
        // out to be a byte-identical copy of a later row: TL1003). Each pass may change only what the findings of
        // the file it ran on name.
        for (var pass = 1; pass <= 10; pass++)
        {
            var lint = LintBytes(current, relativePath);
            var named = new HashSet<int>();
            foreach (var d in lint.Diagnostics)
            {
                named.Add(d.Location.StartLine);
                foreach (var edit in d.Fixes.SelectMany(f => f.Edits))
                {
                    named.Add(edit.Target.Line);
                }
            }

            var outcome = new TranscriptFixer(new LintEngine(RuleHarness.Rules, new LintOptions()), new FixOptions { IncludeUnsafe = true, MaxPasses = 1 }).Fix(current, relativePath);
            outcome.Rejected.ShouldBeEmpty();
            if (!outcome.Changed)
            {
                return;
            }

            lint.Diagnostics.ShouldContain(d => d.Fixes.Count > 0, "the file changed although no finding offers a fix");
            var (changed, insertedAfter) = LineDiff.Compare(Lines(current), Lines(outcome.Fixed));
            changed.Where(l => !named.Contains(l)).ShouldBeEmpty($"{relativePath} pass {pass}: lines changed that no finding names");

            // An added line sits next to the line whose edit wrote it (a split line's second object, a synthetic result).
            insertedAfter.Where(l => !named.Contains(l) && !named.Contains(l + 1)).ShouldBeEmpty($"{relativePath} pass {pass}: lines added away from every line a finding names");
            current = outcome.Fixed;
        }

        throw new ShouldAssertException($"{relativePath}: fix --unsafe-fixes did not settle in 10 passes");
    }

    private static FileLintResult LintBytes(byte[] bytes, string name)
    {
        using var stream = new MemoryStream(bytes);
        return new LintEngine(RuleHarness.Rules, new LintOptions()).LintStream(stream, name);
    }

    private static string[] Lines(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes).Split('\n');
}

/// <summary>A line diff (longest common subsequence) that says which original lines changed and where lines were added.</summary>
internal static class LineDiff
{
    /// <summary>
    /// The 1-based original lines that were deleted or rewritten, and for each added line the 1-based original line
    /// it follows (0 = the start of the file).
    /// </summary>
    public static (List<int> Changed, List<int> InsertedAfter) Compare(string[] before, string[] after)
    {
        var n = before.Length;
        var m = after.Length;

        // Trim the common head and tail so the quadratic table covers only the changed middle.
        var head = 0;
        while (head < n && head < m && before[head] == after[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < n - head && tail < m - head && before[n - 1 - tail] == after[m - 1 - tail])
        {
            tail++;
        }

        var a = before[head..(n - tail)];
        var b = after[head..(m - tail)];
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var changed = new List<int>();
        var inserted = new List<int>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                inserted.Add(head + x); // after original line head + x (1-based), i.e. after the last line consumed
                y++;
            }
            else
            {
                changed.Add(head + x + 1);
                x++;
            }
        }

        return (changed, inserted);
    }
}
