namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// Byte-level mutations of the real corpus (flipped bytes, cuts, NUL runs, spliced copies, truncation, extra
/// newlines) must never crash lint or fix, and fix must be idempotent on whatever it produces. Seeded: the same
/// 150 inputs on every run.
/// </summary>
public sealed class MutationFuzzTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < 150; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutated_real_transcripts_lint_and_fix_without_crashing(int seed)
    {
        // The small real files (every dialect the corpus has), so 150 rounds stay quick.
        var sources = Directory.EnumerateFiles(RepoPaths.RealCorpus, "*.jsonl", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length < 64 * 1024).Order(StringComparer.Ordinal).ToList();
        var random = new Random(seed);
        var bytes = Mutate(File.ReadAllBytes(sources[random.Next(sources.Count)]), random);

        var lint = FixerHarness.Lint(bytes);
        lint.Notifications.ShouldBeEmpty("no rule may throw on damaged input");

        var once = FixerHarness.Fix(bytes, unsafeFixes: true);
        var twice = FixerHarness.Fix(once.Fixed, unsafeFixes: true);
        if (once.Converged && once.Rejected.Count == 0)
        {
            twice.Changed.ShouldBeFalse("fix(fix(x)) == fix(x)");
        }
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        var data = new List<byte>(input);
        for (var n = random.Next(1, 7); n > 0 && data.Count > 0; n--)
        {
            var p = random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0: data[p] = (byte)random.Next(256); break;
                case 1: data.RemoveRange(p, Math.Min(random.Next(1, 200), data.Count - p)); break;
                case 2: data.InsertRange(p, new byte[random.Next(1, 50)]); break;
                case 3:
                    var q = random.Next(data.Count);
                    data.InsertRange(p, data.GetRange(q, Math.Min(random.Next(1, 300), data.Count - q)));
                    break;
                case 4: data.RemoveRange(p, data.Count - p); break;
                default: data.Insert(p, (byte)'\n'); break;
            }
        }

        return [.. data];
    }
}
