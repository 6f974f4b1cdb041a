using System.Text;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// Short strings decoded from UTF-8 once and handed out again while they recur: a direct-mapped table per thread (no
/// lock; files are linted one per thread), so the ids, types, roles and models every entry keeps share one copy and
/// a value seen again allocates nothing. A collision simply replaces the slot; the table never grows. Only ASCII
/// values are kept.
/// </summary>
internal static class Utf8StringCache
{
    /// <summary>Values longer than this are decoded every time (they rarely recur).</summary>
    public const int MaxBytes = 96;

    private const int Slots = 4096;

    [ThreadStatic]
    private static Slot[]? t_slots;

    /// <summary>The string for these UTF-8 bytes (at most <see cref="MaxBytes"/>; longer ones are decoded, not cached).</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slots = t_slots ??= new Slot[Slots];
        var hash = Hash(utf8);
        ref var slot = ref slots[(int)(hash >> 52) & (Slots - 1)];
        if (slot.Hash == hash && slot.Value is { } hit && hit.Length == utf8.Length && System.Text.Ascii.Equals(utf8, hit))
        {
            return hit;
        }

        // Only ASCII values are kept (ids, types, roles, models): the string alone can then be compared with the bytes,
        // so a miss costs the string and nothing else.
        var value = Encoding.UTF8.GetString(utf8);
        if (System.Text.Ascii.IsValid(utf8))
        {
            slot = new Slot(hash, value);
        }

        return value;
    }

    // A value and the hash it was filed under. A lookup compares the hashes first, so one for a new id (a tool call's,
    // a message's) does not read the string in its slot: another id's, cold, somewhere in the heap. That read was most
    // of a lookup's time in a profile of a 1 GB lint.
    private readonly record struct Slot(ulong Hash, string? Value);

    // The hash (its top bits pick the slot): a few multiplies over the first and last eight bytes and the length, not a
    // hash of every byte (the values are ids, types and models: ids differ at both ends). A poor spread only costs a
    // miss, never a wrong hit.
    private static ulong Hash(ReadOnlySpan<byte> utf8)
    {
        ulong head, tail;
        if (utf8.Length >= 8)
        {
            head = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(utf8);
            tail = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..]);
        }
        else
        {
            head = 0;
            foreach (var b in utf8)
            {
                head = (head << 8) | b;
            }

            tail = 0;
        }

        return ((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)utf8.Length) * 0x165667B19E3779F9UL;
    }

    /// <summary>The string for these characters, shared while it recurs (JSON pointers built by the dialects).</summary>
    public static string Get(ReadOnlySpan<char> chars)
    {
        Span<byte> utf8 = stackalloc byte[MaxBytes];
        return Encoding.UTF8.TryGetBytes(chars, utf8, out var written) ? Get(utf8[..written]) : new string(chars);
    }
}
