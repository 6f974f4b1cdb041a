using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace TranscriptLint.Tests;

/// <summary>
/// TL5001's byte search (Teddy): every path this machine can run (32- and 16-byte vectors, scalar) finds the first
/// place any needle starts, as a naive search of each needle does, at every offset and block boundary.
/// </summary>
public sealed class AsciiNeedleSearchTests
{
    private static readonly string[] Needles = SecretPatterns.RawNeedles;

    private static readonly string[] IgnoreCase = SecretPatterns.IgnoreCaseTriggers;

    public static TheoryData<int> Paths() => [.. AvailablePaths()];

    // Scalar always; 16-byte vectors where the machine shuffles bytes; 32 with AVX2; 64 with AVX-512.
    private static IEnumerable<int> AvailablePaths()
    {
        yield return 0;
        if (Vector128.IsHardwareAccelerated)
        {
            yield return 16;
        }

        if (Avx2.IsSupported)
        {
            yield return 32;
        }

        if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated)
        {
            yield return 64;
        }
    }

    [Theory]
    [InlineData("", -1)]
    [InlineData("sk", -1)]
    [InlineData("sk-", 0)]
    [InlineData("task-list", 2)] // found: the gates, not the search, judge the word before it
    [InlineData("{\"type\":\"text\",\"text\":\"plain words only\"}", -1)]
    [InlineData("see https://x", 9)]
    [InlineData("gh_ ghp ghp_", 8)]
    [InlineData("github_pa github_pat_", 14)] // the pre-scan's needle for github_pat_ is "ub_pat_" (SecretPatterns.RawNeedles)
    [InlineData("PRIVATE KE", -1)]
    [InlineData("\\u001b", 0)] // a \u00 escape: the caller decides whether it can spell a trigger
    [InlineData("日本語 AKIA", 10)]
    [InlineData("export AWS_SECRET_ACCESS_KEY=x", 12)] // an ignore-case needle, in upper case
    [InlineData("aws_secret_access_key aws", 5)]
    [InlineData("SecretAccessKey", 1)]
    [InlineData("ECRET-ACCESS ecret_acces", -1)]
    [InlineData("ecret_acce\u017F", -1)] // folding is ASCII only
    public void Finds_the_first_needle(string text, int expected)
    {
        foreach (var path in AvailablePaths())
        {
            new AsciiNeedleSearch(Needles, path, IgnoreCase).IndexOfAny(Encoding.UTF8.GetBytes(text)).ShouldBe(expected, $"{path}-byte path");
        }
    }

    // Every needle at every offset of lines of every length up to two blocks and the bytes a block reads past its end:
    // the last, padded block and the boundary between blocks are where a vector search goes wrong.
    [Theory]
    [MemberData(nameof(Paths))]
    public void Finds_each_needle_at_every_offset_and_length(int vectorBytes)
    {
        var search = new AsciiNeedleSearch(Needles, vectorBytes, IgnoreCase);
        foreach (var needle in Needles.Concat(IgnoreCase.Select(n => n.ToUpperInvariant())).Select(Encoding.ASCII.GetBytes))
        {
            for (var length = needle.Length; length <= (2 * Math.Max(vectorBytes, 16)) + 3; length++)
            {
                for (var at = 0; at + needle.Length <= length; at++)
                {
                    var text = new byte[length];
                    text.AsSpan().Fill((byte)'.');
                    needle.CopyTo(text, at);
                    search.IndexOfAny(text).ShouldBe(Naive(text), $"{Encoding.ASCII.GetString(needle)} at {at} of {length}");
                }
            }
        }
    }

    // Random texts from needle fragments, near misses and non-ASCII bytes (seeded: the same texts every run): every
    // match, found by searching again after each one, as TL5001 collects a line's triggers.
    [Theory]
    [MemberData(nameof(Paths))]
    public void Finds_every_match_in_random_text(int vectorBytes)
    {
        var search = new AsciiNeedleSearch(Needles, vectorBytes, IgnoreCase);
        string[] all = [.. Needles, .. IgnoreCase, .. IgnoreCase.Select(n => n.ToUpperInvariant()), "eCrEt_AcCeSs"];
        string[] pieces = [.. all, .. all.Select(n => n[..^1]), .. all.Select(n => n[1..]), "git", "ass", "hoo", "e", ":", "\\", "/", " ", "日", "\u00e9", "xxxxxxxxxxxxxxxxxxxx"];
        var random = new Random(20261204);
        for (var i = 0; i < 3000; i++)
        {
            var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => pieces[random.Next(pieces.Length)])));
            var found = new List<int>();
            for (int at = 0, next; at < text.Length && (next = search.IndexOfAny(text.AsSpan(at))) >= 0; at += next + 1)
            {
                found.Add(at + next);
            }

            found.ShouldBe(AllNaive(text), Encoding.UTF8.GetString(text));
        }
    }

    // Bytes a line may hold that no needle does: NULs, invalid UTF-8, every high byte; needles spliced in at random.
    [Theory]
    [MemberData(nameof(Paths))]
    public void Finds_every_match_among_arbitrary_bytes(int vectorBytes)
    {
        var search = new AsciiNeedleSearch(Needles, vectorBytes, IgnoreCase);
        var random = new Random(4122026);
        for (var i = 0; i < 2000; i++)
        {
            var text = new byte[random.Next(0, 200)];
            random.NextBytes(text);
            for (var splice = random.Next(0, 3); splice > 0 && text.Length > 0; splice--)
            {
                string[] all = [.. Needles, .. IgnoreCase.Select(n => n.ToUpperInvariant())];
                var needle = Encoding.ASCII.GetBytes(all[random.Next(all.Length)]);
                var at = random.Next(0, text.Length);
                needle.AsSpan(0, Math.Min(needle.Length, text.Length - at)).CopyTo(text.AsSpan(at));
            }

            var found = new List<int>();
            for (int at = 0, next; at < text.Length && (next = search.IndexOfAny(text.AsSpan(at))) >= 0; at += next + 1)
            {
                found.Add(at + next);
            }

            found.ShouldBe(AllNaive(text), Convert.ToHexString(text));
        }
    }

    // The letters after a needle's first four bytes fold too, where those four hold none.
    [Theory]
    [MemberData(nameof(Paths))]
    public void An_ignore_case_needle_folds_every_letter(int vectorBytes)
    {
        var search = new AsciiNeedleSearch(["sk-"], vectorBytes, ignoreCase: ["12-4key"]);
        search.IndexOfAny("id 12-4KEY"u8).ShouldBe(3);
        search.IndexOfAny("id 12-4kEy"u8).ShouldBe(3);
        search.IndexOfAny("id 12-4kez"u8).ShouldBe(-1);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("tab\there")]
    [InlineData("caf\u00e9")]
    public void Rejects_needles_it_cannot_search_for(string needle) =>
        Should.Throw<ArgumentException>(() => new AsciiNeedleSearch(["sk-", needle]));

    [Fact]
    public void Rejects_an_empty_list_of_needles() =>
        Should.Throw<ArgumentException>(() => new AsciiNeedleSearch([]));

    private static int Naive(byte[] text) => AllNaive(text) is [var first, ..] ? first : -1;

    private static List<int> AllNaive(byte[] text) =>
        [.. Enumerable.Range(0, text.Length).Where(at =>
            Needles.Any(n => text.AsSpan(at).StartsWith(Encoding.ASCII.GetBytes(n)))
            || IgnoreCase.Any(n => text.Length - at >= n.Length && Ascii.EqualsIgnoreCase(text.AsSpan(at, n.Length), Encoding.ASCII.GetBytes(n))))];
}
