using System.Text;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// Short strings decoded from UTF-8 once and handed out again while they recur: a direct-mapped table per thread (no
/// lock; files are linted one per thread), so the ids, types, roles and models every entry keeps share one copy and
/// a value seen again allocates nothing. A collision simply replaces the slot; the table never grows.
/// </summary>
internal static class Utf8StringCache
{
    /// <summary>Values longer than this are decoded every time (they rarely recur).</summary>
    public const int MaxBytes = 96;

    private const int Slots = 4096;

    [ThreadStatic]
    private static Slot[]? t_slots;

    private sealed class Slot(byte[] utf8, string value)
    {
        public readonly byte[] Utf8 = utf8;
        public readonly string Value = value;
    }

    /// <summary>The string for these UTF-8 bytes (at most <see cref="MaxBytes"/>; longer ones are decoded, not cached).</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slots = t_slots ??= new Slot[Slots];
        var hash = default(HashCode);
        hash.AddBytes(utf8);
        ref var slot = ref slots[hash.ToHashCode() & (Slots - 1)];
        if (slot is { } hit && hit.Utf8.AsSpan().SequenceEqual(utf8))
        {
            return hit.Value;
        }

        slot = new Slot(utf8.ToArray(), Encoding.UTF8.GetString(utf8));
        return slot.Value;
    }

    /// <summary>The string for these characters, shared while it recurs (JSON pointers built by the dialects).</summary>
    public static string Get(ReadOnlySpan<char> chars)
    {
        Span<byte> utf8 = stackalloc byte[MaxBytes];
        return Encoding.UTF8.TryGetBytes(chars, utf8, out var written) ? Get(utf8[..written]) : new string(chars);
    }
}
