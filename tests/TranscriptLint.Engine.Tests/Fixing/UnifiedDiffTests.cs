using System.Globalization;
using System.Text;
using CsCheck;
using TranscriptLint.Engine.Fixing;

namespace TranscriptLint.Tests.Fixing;

public sealed class UnifiedDiffTests
{
    private static readonly Gen<string[]> Doc = Gen.Int[0, 5].Select(i => "line" + i.ToString(CultureInfo.InvariantCulture)).Array[0, 40];

    [Fact]
    public void Applying_the_diff_to_the_original_gives_the_new_text()
    {
        Gen.Select(Doc, Doc, Gen.Bool).Sample((a, b, finalNewline) =>
        {
            var before = Encoding.UTF8.GetBytes(string.Concat(a.Select(l => l + "\n")));
            var after = Encoding.UTF8.GetBytes(string.Concat(b.Select(l => l + "\n")));
            if (!finalNewline && after.Length > 0)
            {
                after = after[..^1];
            }

            var diff = UnifiedDiff.Create("x.jsonl", before, after);
            if (before.AsSpan().SequenceEqual(after))
            {
                diff.ShouldBeEmpty();
                return;
            }

            Apply(before, diff).ShouldBe(Encoding.UTF8.GetString(after));
        }, iter: 500);
    }

    [Fact]
    public void Changes_scattered_through_a_long_file_are_each_their_own_hunk()
    {
        // Like redacting a secret on 500 lines of a session: one shortest-edit search over the whole file kept a copy of
        // its frontier (the file's length) per change; anchored on unique lines, each change is found where it is.
        var a = Enumerable.Range(0, 20_000).Select(i => $"{{\"uuid\":\"u{i}\"}}").ToArray();
        var b = a.Select((l, i) => i % 40 == 7 ? l.Replace("}", ",\"redacted\":true}", StringComparison.Ordinal) : l).ToArray();
        var before = Encoding.UTF8.GetBytes(string.Concat(a.Select(l => l + "\n")));
        var after = Encoding.UTF8.GetBytes(string.Concat(b.Select(l => l + "\n")));
        var diff = UnifiedDiff.Create("x.jsonl", before, after);
        Apply(before, diff).ShouldBe(Encoding.UTF8.GetString(after));
        diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)).ShouldBe(500);
        diff.Split('\n').Count(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal)).ShouldBe(500);
    }

    [Fact]
    public void A_change_too_large_to_search_is_removed_and_added_whole()
    {
        var a = Enumerable.Range(0, 3_000).Select(i => "old" + (i % 7).ToString(CultureInfo.InvariantCulture)).Prepend("head").Append("tail").ToArray();
        var b = Enumerable.Range(0, 3_000).Select(i => "new" + (i % 7).ToString(CultureInfo.InvariantCulture)).Prepend("head").Append("tail").ToArray();
        var before = Encoding.UTF8.GetBytes(string.Concat(a.Select(l => l + "\n")));
        var after = Encoding.UTF8.GetBytes(string.Concat(b.Select(l => l + "\n")));
        var diff = UnifiedDiff.Create("x.jsonl", before, after);
        Apply(before, diff).ShouldBe(Encoding.UTF8.GetString(after));
        var lines = diff.Split('\n');
        lines.Count(l => l.StartsWith("-old", StringComparison.Ordinal)).ShouldBe(3_000);
        lines.Count(l => l.StartsWith("+new", StringComparison.Ordinal)).ShouldBe(3_000);
        Array.FindLastIndex(lines, l => l.StartsWith("-old", StringComparison.Ordinal)).ShouldBeLessThan(Array.FindIndex(lines, l => l.StartsWith("+new", StringComparison.Ordinal)));
    }

    // A minimal patch applier: hunks in order, context checked.
    private static string Apply(byte[] before, string diff)
    {
        var source = Encoding.UTF8.GetString(before).Split('\n').SkipLast(1).ToList();
        var result = new StringBuilder();
        var lines = diff.Split('\n').SkipLast(1).ToList();
        lines[0].ShouldStartWith("--- a/");
        lines[1].ShouldStartWith("+++ b/");
        var next = 0; // next unconsumed source line (0-based)
        string? lastAdded = null;
        var noNewline = false;
        for (var i = 2; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                var from = int.Parse(line.Split(' ')[1][1..].Split(',')[0], CultureInfo.InvariantCulture);
                var count = line.Split(' ')[1].Contains(',', StringComparison.Ordinal) ? int.Parse(line.Split(' ')[1].Split(',')[1], CultureInfo.InvariantCulture) : 1;
                var start = count == 0 ? from : from - 1;
                for (; next < start; next++)
                {
                    result.Append(source[next]).Append('\n');
                }

                continue;
            }

            if (line.StartsWith('\\'))
            {
                noNewline = lastAdded is not null;
                continue;
            }

            var text = line[1..];
            switch (line[0])
            {
                case ' ':
                    source[next++].ShouldBe(text);
                    result.Append(text).Append('\n');
                    lastAdded = null;
                    break;
                case '-':
                    source[next++].ShouldBe(text);
                    lastAdded = null;
                    break;
                case '+':
                    result.Append(text).Append('\n');
                    lastAdded = text;
                    break;
            }
        }

        for (; next < source.Count; next++)
        {
            result.Append(source[next]).Append('\n');
        }

        var s = result.ToString();
        return noNewline ? s[..^1] : s;
    }
}
