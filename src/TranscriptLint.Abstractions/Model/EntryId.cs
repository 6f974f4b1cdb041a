using System.Buffers.Binary;

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
        if (!TryPack<byte>(utf8, out var high, out var low))
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
