using System.Text;

namespace TranscriptLint.Engine.Fixing;

/// <summary>A unified diff (3 lines of context) of two transcripts, line by line (Myers' algorithm).</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>Writes the diff of <paramref name="before"/> and <paramref name="after"/>; nothing when equal.</summary>
    /// <param name="path">The path shown in the headers.</param>
    /// <param name="before">The original bytes.</param>
    /// <param name="after">The fixed bytes.</param>
    /// <param name="restoration">When the file was restored first (<see cref="FixOutcome.Restoration"/>): how; <paramref name="before"/> is then the restored file.</param>
    /// <returns>The diff text (LF line endings), empty when the bytes are equal.</returns>
    public static string Create(string path, byte[] before, byte[] after, Reading.Restoration? restoration = null)
    {
        if (before.AsSpan().SequenceEqual(after) && restoration is null)
        {
            return "";
        }

        var (docA, docB) = (LineDocument.Parse(before), LineDocument.Parse(after));
        var a = Lines(docA);
        var b = Lines(docB);
        var script = Diff(a, b);
        var sb = new StringBuilder();
        sb.Append(path.StartsWith('/') ? "--- a" : "--- a/").Append(path).Append('\n');
        sb.Append(path.StartsWith('/') ? "+++ b" : "+++ b/").Append(path).Append('\n');
        if (restoration is not null)
        {
            // The lines below are compared with the restored file, as the later passes saw it.
            sb.Append("# restored first: ").Append(restoration.Detail).Append('\n');
        }

        if (docA.HasBom != docB.HasBom)
        {
            sb.Append("# the byte order mark changes\n");
        }

        // Group the edit script into hunks.
        var i = 0;
        while (i < script.Count)
        {
            if (script[i].Op == ' ')
            {
                i++;
                continue;
            }

            var start = Math.Max(0, i - Context);
            var end = i;
            while (end < script.Count)
            {
                if (script[end].Op != ' ')
                {
                    end++;
                    continue;
                }

                var run = end;
                while (run < script.Count && script[run].Op == ' ')
                {
                    run++;
                }

                if (run == script.Count || run - end > 2 * Context)
                {
                    end = Math.Min(script.Count, end + Context);
                    break;
                }

                end = run;
            }

            var hunk = script.GetRange(start, end - start);
            var aStart = hunk.FirstOrDefault(h => h.Op != '+').A;
            var bStart = hunk.FirstOrDefault(h => h.Op != '-').B;
            var aCount = hunk.Count(h => h.Op != '+');
            var bCount = hunk.Count(h => h.Op != '-');
            sb.Append("@@ -").Append(Range(aStart, aCount, script, start, true)).Append(" +").Append(Range(bStart, bCount, script, start, false)).Append(" @@\n");
            foreach (var h in hunk)
            {
                var line = h.Op == '+' ? b[h.B] : a[h.A];
                sb.Append(h.Op).Append(line.Text).Append('\n');
                if (!line.HasNewline)
                {
                    sb.Append("\\ No newline at end of file\n");
                }
            }

            i = end;
        }

        return sb.ToString();
    }

    private static string Range(int firstIndex, int count, List<(char Op, int A, int B)> script, int hunkStart, bool isA)
    {
        if (count == 0)
        {
            // An empty side: the line before the hunk (0 at the start of the file).
            var before = 0;
            for (var k = hunkStart - 1; k >= 0; k--)
            {
                if (script[k].Op != (isA ? '+' : '-'))
                {
                    before = (isA ? script[k].A : script[k].B) + 1;
                    break;
                }
            }

            return before + ",0";
        }

        return count == 1 ? (firstIndex + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{firstIndex + 1},{count}";
    }

    // A line as shown (a CRLF line with its CR) and whether a newline ends it: both part of what makes two lines equal.
    private readonly record struct DiffLine(LineSlice Shown, bool HasNewline)
    {
        public string Text => Shown.Text;
    }

    private static List<DiffLine> Lines(LineDocument doc) =>
        [.. doc.Lines.Select(l => new DiffLine(new LineSlice(l.Shown), l.Terminator != Model.LineTerminator.None))];

    // Lines a change of more than this many spans are removed and added whole instead of searched for the shortest
    // script: Myers keeps a copy of its frontier per edit, so memory grows with the square of the change.
    private const int ShortestScriptLimit = 2_000;

    // The changes come from LineDiff (anchored on lines unique to both, so a file of any size diffs in little memory);
    // Myers orders the lines inside each change.
    private static List<(char Op, int A, int B)> Diff(List<DiffLine> a, List<DiffLine> b)
    {
        var script = new List<(char Op, int A, int B)>();
        var (x, y) = (0, 0);
        foreach (var h in LineDiff.Hunks(a, b))
        {
            for (; x < h.A; x++, y++)
            {
                script.Add((' ', x, y));
            }

            if (h.Removed + h.Added > ShortestScriptLimit)
            {
                script.AddRange(Enumerable.Range(0, h.Removed).Select(i => ('-', h.A + i, h.B)));
                script.AddRange(Enumerable.Range(0, h.Added).Select(j => ('+', h.A + h.Removed, h.B + j)));
            }
            else
            {
                var middle = Myers(a.GetRange(h.A, h.Removed), b.GetRange(h.B, h.Added));
                script.AddRange(middle.Select(m => (m.Op, m.A + h.A, m.B + h.B)));
            }

            (x, y) = (h.A + h.Removed, h.B + h.Added);
        }

        for (; x < a.Count; x++, y++)
        {
            script.Add((' ', x, y));
        }

        return script;
    }

    // Myers O((N+M)D) shortest edit script over line keys.
    private static List<(char Op, int A, int B)> Myers(List<DiffLine> a, List<DiffLine> b)
    {
        int n = a.Count, m = b.Count, max = n + m;
        var v = new int[2 * max + 2];
        var trace = new List<int[]>();
        for (var d = 0; d <= max; d++)
        {
            trace.Add((int[])v.Clone());
            for (var k = -d; k <= d; k += 2)
            {
                int x;
                if (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]))
                {
                    x = v[k + 1 + max];
                }
                else
                {
                    x = v[k - 1 + max] + 1;
                }

                var y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    x++;
                    y++;
                }

                v[k + max] = x;
                if (x >= n && y >= m)
                {
                    return Backtrack(trace, n, m, max, d);
                }
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    private static List<(char Op, int A, int B)> Backtrack(List<int[]> trace, int n, int m, int max, int dFinal)
    {
        var script = new List<(char, int, int)>();
        int x = n, y = m;
        for (var d = dFinal; d > 0; d--)
        {
            var v = trace[d];
            var k = x - y;
            var prevK = k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]) ? k + 1 : k - 1;
            var prevX = v[prevK + max];
            var prevY = prevX - prevK;
            while (x > prevX && y > prevY)
            {
                script.Add((' ', --x, --y));
            }

            if (x == prevX)
            {
                script.Add(('+', x, --y));
            }
            else
            {
                script.Add(('-', --x, y));
            }
        }

        while (x > 0 && y > 0)
        {
            script.Add((' ', --x, --y));
        }

        script.Reverse();
        return script;
    }
}
