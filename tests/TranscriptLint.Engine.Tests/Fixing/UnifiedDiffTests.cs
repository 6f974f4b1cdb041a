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
