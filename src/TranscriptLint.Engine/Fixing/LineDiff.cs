namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// The lines that change between two versions of a transcript, for the diffs of a fix (<c>fix --diff</c> and
/// <c>--diff=unified</c>). Anchoring on lines unique to both keeps it fast and small on a file of any size, where a
/// plain shortest-edit-script search over the whole file needs memory in proportion to the file times the changes.
/// </summary>
public static class LineDiff
{
    /// <summary>One change: lines <c>[A, A+Removed)</c> of the original became lines <c>[B, B+Added)</c> of the fixed one (0-based).</summary>
    /// <param name="A">The first original line.</param>
    /// <param name="Removed">How many original lines it replaces.</param>
    /// <param name="B">The first fixed line.</param>
    /// <param name="Added">How many fixed lines replace them.</param>
    public sealed record Hunk(int A, int Removed, int B, int Added);

    /// <summary>
    /// The changes between two line lists, in order. Transcript lines are nearly all unique (each carries a uuid or a
    /// timestamp), so lines unique in both lists anchor the match (patience diff); between anchors the common
    /// start and end are trimmed and the rest is one change.
    /// </summary>
    public static List<Hunk> Hunks<T>(List<T> a, List<T> b)
        where T : IEquatable<T>
    {
        var hunks = new List<Hunk>();
        Between(a, 0, a.Count, b, 0, b.Count, hunks, 0);
        return hunks;
    }

    // How often a range is split again by the lines unique inside it. Each level can find new anchors (a line twice in
    // the file may be once in a part of it); crafted input could nest that deep enough to exhaust the stack, so below
    // this the rest of a range is one change: a valid diff, only less fine-grained.
    private const int MaxNesting = 32;

    private static void Between<T>(List<T> a, int a0, int a1, List<T> b, int b0, int b1, List<Hunk> hunks, int nesting)
        where T : IEquatable<T>
    {
        while (a0 < a1 && b0 < b1 && a[a0].Equals(b[b0]))
        {
            a0++;
            b0++;
        }

        while (a1 > a0 && b1 > b0 && a[a1 - 1].Equals(b[b1 - 1]))
        {
            a1--;
            b1--;
        }

        if (a0 == a1 && b0 == b1)
        {
            return;
        }

        var anchors = nesting < MaxNesting ? Anchors(a, a0, a1, b, b0, b1) : [];
        if (anchors.Count == 0)
        {
            hunks.Add(new Hunk(a0, a1 - a0, b0, b1 - b0));
            return;
        }

        var (pa, pb) = (a0, b0);
        foreach (var (ia, ib) in anchors)
        {
            Between(a, pa, ia, b, pb, ib, hunks, nesting + 1);
            (pa, pb) = (ia + 1, ib + 1);
        }

        Between(a, pa, a1, b, pb, b1, hunks, nesting + 1);
    }

    // Lines that occur once in each range, kept in an order increasing in both (longest increasing subsequence).
    private static List<(int A, int B)> Anchors<T>(List<T> a, int a0, int a1, List<T> b, int b0, int b1)
        where T : IEquatable<T>
    {
        static Dictionary<T, (int Count, int Index)> Count(List<T> lines, int from, int to)
        {
            var counts = new Dictionary<T, (int, int)>();
            for (var i = from; i < to; i++)
            {
                counts[lines[i]] = counts.TryGetValue(lines[i], out var c) ? (c.Item1 + 1, c.Item2) : (1, i);
            }

            return counts;
        }

        var ca = Count(a, a0, a1);
        var cb = Count(b, b0, b1);
        var pairs = new List<(int A, int B)>();
        for (var i = a0; i < a1; i++)
        {
            if (ca[a[i]].Count == 1 && cb.TryGetValue(a[i], out var inB) && inB.Count == 1)
            {
                pairs.Add((i, inB.Index));
            }
        }

        // Patience sorting: the longest run of pairs whose B also increases.
        var tails = new List<int>();
        var previous = new int[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            int lo = 0, hi = tails.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (pairs[tails[mid]].B < pairs[i].B)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            previous[i] = lo > 0 ? tails[lo - 1] : -1;
            if (lo == tails.Count)
            {
                tails.Add(i);
            }
            else
            {
                tails[lo] = i;
            }
        }

        var result = new List<(int, int)>();
        for (var i = tails.Count > 0 ? tails[^1] : -1; i >= 0; i = previous[i])
        {
            result.Add(pairs[i]);
        }

        result.Reverse();
        return result;
    }
}
