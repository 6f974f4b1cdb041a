using TranscriptLint.Engine.Reading;

namespace TranscriptLint.Tests;

/// <summary>The bounded cache of re-read lines behind fix rendering, fingerprints and location resolution.</summary>
public sealed class LineBytesCacheTests
{
    [Fact]
    public void Lines_are_kept_until_the_next_would_pass_the_limit_then_the_cache_starts_over()
    {
        var cache = new LineBytesCache();
        var half = new byte[LineBytesCache.Limit / 2];
        var first = new byte[] { 1 };
        cache.Add(1, first).ShouldBeSameAs(first);
        cache.Add(2, half);
        cache.TryGet(1, out var kept).ShouldBeTrue();
        kept.ShouldBeSameAs(first);

        // 1 + half + half bytes pass the limit: everything before is forgotten, the new line kept.
        cache.Add(3, new byte[LineBytesCache.Limit / 2]);
        cache.TryGet(1, out _).ShouldBeFalse();
        cache.TryGet(2, out _).ShouldBeFalse();
        cache.TryGet(3, out var last).ShouldBeTrue();
        last.Length.ShouldBe((int)(LineBytesCache.Limit / 2));
    }
}
