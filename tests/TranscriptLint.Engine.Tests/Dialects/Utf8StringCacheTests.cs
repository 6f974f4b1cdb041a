using System.Text;
using TranscriptLint.Engine.Dialects;

namespace TranscriptLint.Tests;

/// <summary>
/// The per-thread string cache the dialects read ids, types and models through: it must always give the decoded text
/// (whatever collides in its table), share one instance of a recurring ASCII value, and never keep what it cannot
/// compare with bytes alone.
/// </summary>
public sealed class Utf8StringCacheTests
{
    [Theory]
    [InlineData("assistant")]
    [InlineData("")]
    [InlineData("claude-opus-4-5-20251101")]
    [InlineData("café ünïcode")]
    [InlineData("日本語のモデル")]
    public void Gives_the_decoded_text(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Utf8StringCache.Get(bytes).ShouldBe(text);
        Utf8StringCache.Get(bytes).ShouldBe(text, "again, from the table or decoded afresh");
    }

    [Fact]
    public void Invalid_utf8_decodes_as_the_decoder_does()
    {
        byte[] bytes = [(byte)'a', 0xFF, (byte)'b', 0xC3];
        Utf8StringCache.Get(bytes).ShouldBe(Encoding.UTF8.GetString(bytes));
        Utf8StringCache.Get(bytes).ShouldBe(Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void A_recurring_ascii_value_is_one_instance()
    {
        var bytes = "8f14e45f-ceea-467f-a0e6-1f2b3c4d5e6f"u8.ToArray();
        ReferenceEquals(Utf8StringCache.Get(bytes), Utf8StringCache.Get(bytes)).ShouldBeTrue();
    }

    [Fact]
    public void Many_distinct_values_sharing_slots_each_decode_to_themselves()
    {
        // Far more values than slots: every collision replaces a slot, and a stale slot must never answer for another value.
        var random = new Random(7);
        var values = Enumerable.Range(0, 20_000).Select(_ => Guid.NewGuid().ToString()).Concat(Enumerable.Range(0, 2_000).Select(i => new string('x', random.Next(0, 40)) + i)).ToList();
        foreach (var round in Enumerable.Range(0, 2))
        {
            foreach (var v in values)
            {
                Utf8StringCache.Get(Encoding.UTF8.GetBytes(v)).ShouldBe(v);
            }
        }
    }

    [Fact]
    public void Values_longer_than_the_limit_are_decoded_not_kept()
    {
        var text = new string('k', Utf8StringCache.MaxBytes + 1);
        var bytes = Encoding.UTF8.GetBytes(text);
        Utf8StringCache.Get(bytes).ShouldBe(text);
        ReferenceEquals(Utf8StringCache.Get(bytes), Utf8StringCache.Get(bytes)).ShouldBeFalse();
    }
}
