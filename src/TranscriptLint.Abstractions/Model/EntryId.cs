using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TranscriptLint.Model;

/// <summary>
/// An entry id as the index keeps it: a canonical lower-case uuid (<c>8-4-4-4-12</c> hex digits, what Claude Code,
/// Gemini CLI and Copilot CLI write) packed into 128 bits, anything else as its text. A long session has one uuid per
/// line and every line names its parent: as strings they were the largest part of the entry index (94 bytes each).
/// The text is made again only when a reader asks for it; equality and hashing never make it.
/// </summary>
internal readonly struct EntryId : IEquatable<EntryId>
{
    /// <summary>An id from its parts (an entry's fields).</summary>
    internal EntryId(ulong high, ulong low, string? text)
    {
        High = high;
        Low = low;
        TextOnly = text;
    }

    /// <summary>No id.</summary>
    public static EntryId None => default;

    /// <summary>The packed uuid's high 64 bits (0 for a text id).</summary>
    public ulong High { get; }

    /// <summary>The packed uuid's low 64 bits.</summary>
    public ulong Low { get; }

    /// <summary>The text of an id that is not a canonical uuid; null when packed (or absent).</summary>
    public string? TextOnly { get; }

    /// <summary>Whether there is an id.</summary>
    public bool HasValue => TextOnly is not null || IsPacked;

    // Zero is "no id": the all-zero uuid is never packed.
    private bool IsPacked => High != 0 || Low != 0;

    /// <summary>The id for a string: packed when it is a canonical lower-case uuid (it then formats back to the same text).</summary>
    public static EntryId From(string? text)
    {
        if (text is null)
        {
            return None;
        }

        return TryPack<char>(text.AsSpan(), out var high, out var low) ? new(high, low, null) : new(0, 0, text);
    }

    /// <summary>Packs UTF-8 bytes that are a canonical uuid, without making a string.</summary>
    public static bool TryPack(ReadOnlySpan<byte> utf8, out EntryId id)
    {
        var packed = utf8.Length == 36 && Vector128.IsHardwareAccelerated && BitConverter.IsLittleEndian ? TryPackVector(utf8, out var high, out var low) : TryPack<byte>(utf8, out high, out low);
        if (!packed)
        {
            id = None;
            return false;
        }

        id = new(high, low, null);
        return true;
    }

    /// <summary>The id as written, made on each call for a packed uuid.</summary>
    public string? Text => TextOnly ?? (IsPacked ? Format(High, Low) : null);

    /// <inheritdoc/>
    public bool Equals(EntryId other) => High == other.High && Low == other.Low && string.Equals(TextOnly, other.TextOnly, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EntryId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => TextOnly is { } t ? StringComparer.Ordinal.GetHashCode(t) : HashCode.Combine(High, Low);

    public static bool operator ==(EntryId left, EntryId right) => left.Equals(right);

    public static bool operator !=(EntryId left, EntryId right) => !left.Equals(right);

    // The 32 digit positions of 8-4-4-4-12, and each byte's digit value (0xFF: not a lower-case hex digit). Every line
    // of a session carries two uuids: a table lookup per digit, no branch on the character's range.
    private static ReadOnlySpan<byte> DigitPositions =>
        [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];

    private static readonly byte[] DigitValues = BuildDigitValues();

    private static byte[] BuildDigitValues()
    {
        var values = new byte[128];
        values.AsSpan().Fill(0xFF);
        for (var c = '0'; c <= '9'; c++)
        {
            values[c] = (byte)(c - '0');
        }

        for (var c = 'a'; c <= 'f'; c++)
        {
            values[c] = (byte)(c - 'a' + 10); // upper case would format back lower: not packed
        }

        return values;
    }

    // The all-zero uuid is kept as text: zero is "no id".
    private static bool TryPack<T>(ReadOnlySpan<T> text, out ulong high, out ulong low)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        high = low = 0;
        var dash = T.CreateTruncating('-');
        if (text.Length != 36 || text[8] != dash || text[13] != dash || text[18] != dash || text[23] != dash)
        {
            return false;
        }

        var positions = DigitPositions;
        var values = DigitValues;
        ulong acc = 0;
        for (var k = 0; k < 32; k++)
        {
            var c = uint.CreateTruncating(text[positions[k]]);
            if (c >= 128 || values[c] is var v && v == 0xFF)
            {
                return false;
            }

            acc = (acc << 4) | v;
            if (k == 15)
            {
                high = acc;
                acc = 0;
            }
        }

        low = acc;
        return high != 0 || low != 0;
    }

    // Two uuids a line: 36 bytes checked and turned into 16 in a few vector steps (bytes 0-15, 16-31 and 20-35), where the
    // loop above takes a table lookup and a branch per digit. Each lane must be a lower-case hex digit, or '-' where the
    // shape has one; the digits' values are (c & 0xF) + 9 for a-f, then the 32 of them are gathered past the dashes and
    // paired into bytes (read back as little-endian halves: the caller takes this path only on such a machine).
    private static bool TryPackVector(ReadOnlySpan<byte> utf8, out ulong high, out ulong low)
    {
        high = low = 0;
        ref var start = ref MemoryMarshal.GetReference(utf8);
        var a = Vector128.LoadUnsafe(ref start);
        var b = Vector128.LoadUnsafe(ref start, 16);
        var c = Vector128.LoadUnsafe(ref start, 20);
        if (!IsUuidPart(a, DashLanes.A) || !IsUuidPart(b, DashLanes.B) || !IsUuidPart(c, DashLanes.C))
        {
            return false;
        }

        // The digits in order: 0-7, 9-12, 14-17 (the high half), then 19-22 and 24-35 (the low half).
        var first = Vector128.Shuffle(Nibbles(a), Gather.FromA) | Vector128.Shuffle(Nibbles(b), Gather.HighFromB);
        var second = Vector128.Shuffle(Nibbles(b), Gather.LowFromB) | Vector128.Shuffle(Nibbles(c), Gather.FromC);
        var even = Vector128.Shuffle(first, Gather.Even) | Vector128.Shuffle(second, Gather.EvenSecond);
        var odd = Vector128.Shuffle(first, Gather.Odd) | Vector128.Shuffle(second, Gather.OddSecond);
        var bytes = (even << 4) | odd;
        high = BinaryPrimitives.ReverseEndianness(bytes.AsUInt64().GetElement(0));
        low = BinaryPrimitives.ReverseEndianness(bytes.AsUInt64().GetElement(1));
        return high != 0 || low != 0;
    }

    private static bool IsUuidPart(Vector128<byte> text, Vector128<byte> dashLanes)
    {
        var digit = Vector128.LessThan(text - Vector128.Create((byte)'0'), Vector128.Create((byte)10));
        var letter = Vector128.LessThan(text - Vector128.Create((byte)'a'), Vector128.Create((byte)6));
        var dash = Vector128.Equals(text, Vector128.Create((byte)'-'));
        return Vector128.ConditionalSelect(dashLanes, dash, digit | letter) == Vector128<byte>.AllBitsSet;
    }

    // A hex digit's value: '0'-'9' is 0x30-0x39, 'a'-'f' 0x61-0x66 (bit 6 set: add 9 to the low four bits).
    private static Vector128<byte> Nibbles(Vector128<byte> text) =>
        (text & Vector128.Create((byte)0x0F)) + (Vector128.ShiftRightLogical(text, 6) * Vector128.Create((byte)9));

    // Where the shape has its dashes (8, 13, 18, 23), in each of the three loads.
    private static readonly (Vector128<byte> A, Vector128<byte> B, Vector128<byte> C) DashLanes = (Dashes(0), Dashes(16), Dashes(20));

    private static Vector128<byte> Dashes(int from)
    {
        Span<byte> lanes = stackalloc byte[16];
        foreach (var at in (ReadOnlySpan<int>)[8, 13, 18, 23])
        {
            if (at >= from && at < from + 16)
            {
                lanes[at - from] = byte.MaxValue;
            }
        }

        return Vector128.Create<byte>(lanes);
    }

    // Shuffle indices (255: a zero lane) that gather the digits and then pair them.
    private static class Gather
    {
        public static readonly Vector128<byte> FromA = Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 255, 255);
        public static readonly Vector128<byte> HighFromB = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 1);
        public static readonly Vector128<byte> LowFromB = Vector128.Create((byte)3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255);
        public static readonly Vector128<byte> FromC = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 12, 13, 14, 15);
        public static readonly Vector128<byte> Even = Vector128.Create((byte)0, 2, 4, 6, 8, 10, 12, 14, 255, 255, 255, 255, 255, 255, 255, 255);
        public static readonly Vector128<byte> Odd = Vector128.Create((byte)1, 3, 5, 7, 9, 11, 13, 15, 255, 255, 255, 255, 255, 255, 255, 255);
        public static readonly Vector128<byte> EvenSecond = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 0, 2, 4, 6, 8, 10, 12, 14);
        public static readonly Vector128<byte> OddSecond = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 1, 3, 5, 7, 9, 11, 13, 15);
    }

    private static string Format(ulong high, ulong low) => string.Create(36, (high, low), static (span, v) =>
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, v.high);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], v.low);
        var o = 0;
        for (var i = 0; i < 16; i++)
        {
            if (i is 4 or 6 or 8 or 10)
            {
                span[o++] = '-';
            }

            span[o++] = "0123456789abcdef"[bytes[i] >> 4];
            span[o++] = "0123456789abcdef"[bytes[i] & 0xF];
        }
    });
}
