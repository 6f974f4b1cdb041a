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
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly string? _text; // null when packed (or absent)

    /// <summary>An id from its parts (an entry's fields).</summary>
    internal EntryId(ulong high, ulong low, string? text)
    {
        _high = high;
        _low = low;
        _text = text;
    }

    /// <summary>No id.</summary>
    public static EntryId None => default;

    /// <summary>The packed uuid's high 64 bits (0 for a text id).</summary>
    public ulong High => _high;

    /// <summary>The packed uuid's low 64 bits.</summary>
    public ulong Low => _low;

    /// <summary>The text of an id that is not a canonical uuid; null when packed.</summary>
    public string? TextOnly => _text;

    /// <summary>Whether there is an id.</summary>
    public bool HasValue => _text is not null || _high != 0 || _low != 0;

    /// <summary>The id for a string: packed when it is a canonical lower-case uuid (it then formats back to the same text).</summary>
    public static EntryId From(string? text)
    {
        if (text is null)
        {
            return None;
        }

        return text.Length == 36 && TryPack(text.AsSpan(), out var high, out var low) ? new(high, low, null) : new(0, 0, text);
    }

    /// <summary>Packs UTF-8 bytes that are a canonical uuid, without making a string.</summary>
    public static bool TryPack(ReadOnlySpan<byte> utf8, out EntryId id)
    {
        id = None;
        if (utf8.Length != 36)
        {
            return false;
        }

        Span<char> chars = stackalloc char[36];
        for (var i = 0; i < 36; i++)
        {
            chars[i] = (char)utf8[i];
        }

        if (!TryPack(chars, out var high, out var low))
        {
            return false;
        }

        id = new(high, low, null);
        return true;
    }

    /// <summary>The id as written, made on each call for a packed uuid.</summary>
    public string? Text => _text ?? (_high != 0 || _low != 0 ? Format(_high, _low) : null);

    /// <inheritdoc/>
    public bool Equals(EntryId other) => _high == other._high && _low == other._low && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EntryId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _text is { } t ? StringComparer.Ordinal.GetHashCode(t) : HashCode.Combine(_high, _low);

    public static bool operator ==(EntryId left, EntryId right) => left.Equals(right);

    public static bool operator !=(EntryId left, EntryId right) => !left.Equals(right);

    // The all-zero uuid is kept as text: zero is "no id".
    private static bool TryPack(ReadOnlySpan<char> text, out ulong high, out ulong low)
    {
        high = low = 0;
        if (text.Length != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        {
            return false;
        }

        var digits = 0;
        foreach (var c in text)
        {
            if (c == '-')
            {
                continue;
            }

            int v;
            if (c is >= '0' and <= '9')
            {
                v = c - '0';
            }
            else if (c is >= 'a' and <= 'f')
            {
                v = c - 'a' + 10;
            }
            else
            {
                return false; // upper case or not hex: kept as written
            }

            if (digits < 16)
            {
                high = (high << 4) | (uint)v;
            }
            else
            {
                low = (low << 4) | (uint)v;
            }

            digits++;
        }

        // 32 digits: the dashes are where a uuid has them and nowhere else.
        return digits == 32 && (high != 0 || low != 0);
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
