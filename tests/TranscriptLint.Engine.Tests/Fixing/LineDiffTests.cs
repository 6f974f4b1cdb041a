using TranscriptLint.Engine.Fixing;

namespace TranscriptLint.Tests.Fixing;

/// <summary>The line diff both of a fix's diffs use: its changes turn the original into the new lines, whatever the input.</summary>
public sealed class LineDiffTests
{
    [Fact]
    public void Input_that_nests_anchors_level_after_level_gives_a_valid_diff_without_nesting_further()
    {
        // Each level's only common unique line (w{k+1}) splits off a range in which w{k} becomes unique, because its
        // second copy is outside that range: anchors nest one level per four lines. Unbounded, the recursion went as deep
        // as the input is long (a stack overflow for crafted files, and a pass over the range per level).
        List<string> a = ["A", "w0"];
        List<string> b = ["B", "w0"];
        const int Levels = 3_000;
        for (var k = 0; k < Levels; k++)
        {
            a = [$"pa{k}", .. a, $"w{k + 1}", $"w{k}", $"qa{k}"];
            b = [$"pb{k}", .. b, $"w{k + 1}", $"qb{k}"];
        }

        var hunks = LineDiff.Hunks(a, b);
        Apply(a, b, hunks).ShouldBe(b);
        hunks.Count.ShouldBeLessThan(200); // unbounded: two changes per level, about 6,000
    }

    [Fact]
    public void Random_line_lists_with_repeats_diff_into_changes_that_give_the_new_list()
    {
        var random = new Random(29);
        for (var n = 0; n < 2_000; n++)
        {
            var a = Enumerable.Range(0, random.Next(30)).Select(_ => "l" + random.Next(6)).ToList();
            var b = Enumerable.Range(0, random.Next(30)).Select(_ => "l" + random.Next(6)).ToList();
            Apply(a, b, LineDiff.Hunks(a, b)).ShouldBe(b, $"a = [{string.Join(',', a)}], b = [{string.Join(',', b)}]");
        }
    }

    // The original with each change applied: the lines before it kept, its removed lines replaced by its added ones.
    private static List<string> Apply(List<string> a, List<string> b, List<LineDiff.Hunk> hunks)
    {
        var result = new List<string>();
        var next = 0;
        var lastB = 0;
        foreach (var h in hunks)
        {
            h.A.ShouldBeGreaterThanOrEqualTo(next);
            (h.B - lastB).ShouldBe(h.A - next); // what lies between changes is the same length on both sides
            result.AddRange(a.GetRange(next, h.A - next));
            result.AddRange(b.GetRange(h.B, h.Added));
            next = h.A + h.Removed;
            lastB = h.B + h.Added;
        }

        result.AddRange(a.GetRange(next, a.Count - next));
        return result;
    }
}
