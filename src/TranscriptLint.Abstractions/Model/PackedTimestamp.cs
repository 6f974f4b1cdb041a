using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TranscriptLint.Model;

/// <summary>
/// Packs a timestamp of the exact shape <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (what Claude Code and most harnesses write)
/// into a long, digit groups as written, so it is given back character for character. Anything else is not packed.
/// </summary>
internal static class PackedTimestamp
{
    private const string Shape = "dddd-dd-ddTdd:dd:dd.dddZ";

    // Field widths in bits, in order: year, month, day, hour, minute, second, millisecond; the top bit marks a packed value.
    private static readonly (int Start, int Length, int Bits)[] Fields = [(0, 4, 14), (5, 2, 7), (8, 2, 7), (11, 2, 7), (14, 2, 7), (17, 2, 7), (20, 3, 10)];

    /// <summary>The packed form, or 0 when the text is null or not of the shape.</summary>
    /// <param name="text">The timestamp as written.</param>
    /// <returns>A non-zero long, or 0.</returns>
    public static long Pack(string? text) => text is null ? 0 : Pack<char>(text);

    /// <summary>The packed form of a timestamp's UTF-8 bytes as written in a JSON string, or 0 when not of the shape.</summary>
    /// <param name="utf8">The string value's bytes between its quotes (an escaped one is not of the shape).</param>
    /// <returns>A non-zero long, or 0.</returns>
    public static long Pack(ReadOnlySpan<byte> utf8) =>
        utf8.Length == Shape.Length && Vector128.IsHardwareAccelerated ? PackBytes(utf8) : Pack<byte>(utf8);

    // Every line of a session has a timestamp: the shape is checked with two vector compares (bytes 0-15 and 8-23) and
    // the digits read with no check each, where the loop below tests each character against the shape (a third of
    // the entry's envelope read).
    private static long PackBytes(ReadOnlySpan<byte> utf8)
    {
        ref var start = ref MemoryMarshal.GetReference(utf8);
        return Fits(Vector128.LoadUnsafe(ref start), ShapeBytes.Low, DigitLanes.Low)
            && Fits(Vector128.LoadUnsafe(ref start, 8), ShapeBytes.High, DigitLanes.High)
            ? PackDigits(utf8)
            : 0;
    }

    // Each lane a digit where the shape has one, else the shape's own character.
    private static bool Fits(Vector128<byte> text, Vector128<byte> shape, Vector128<byte> digitLanes)
    {
        var digits = Vector128.LessThan(text - Vector128.Create((byte)'0'), Vector128.Create((byte)10));
        var literals = Vector128.Equals(text, shape);
        return Vector128.ConditionalSelect(digitLanes, digits, literals) == Vector128<byte>.AllBitsSet;
    }

    private static readonly (Vector128<byte> Low, Vector128<byte> High) ShapeBytes = Lanes(c => (byte)c);

    private static readonly (Vector128<byte> Low, Vector128<byte> High) DigitLanes = Lanes(c => c == 'd' ? byte.MaxValue : (byte)0);

    private static (Vector128<byte> Low, Vector128<byte> High) Lanes(Func<char, byte> of)
    {
        Span<byte> lanes = stackalloc byte[Shape.Length];
        for (var i = 0; i < Shape.Length; i++)
        {
            lanes[i] = of(Shape[i]);
        }

        return (Vector128.Create<byte>(lanes[..16]), Vector128.Create<byte>(lanes[8..]));
    }

    // Characters or UTF-8 bytes alike: the shape is ASCII, so a byte outside it never matches.
    private static long Pack<T>(ReadOnlySpan<T> text)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        if (text.Length != Shape.Length)
        {
            return 0;
        }

        for (var i = 0; i < Shape.Length; i++)
        {
            var c = int.CreateTruncating(text[i]);
            if (Shape[i] == 'd' ? c is < '0' or > '9' : c != Shape[i])
            {
                return 0;
            }
        }

        return PackDigits(text);
    }

    // The fields' digits packed, once the text is known to be of the shape.
    private static long PackDigits<T>(ReadOnlySpan<T> text)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        long packed = 1;
        foreach (var (start, length, bits) in Fields)
        {
            var value = 0;
            for (var i = start; i < start + length; i++)
            {
                value = (value * 10) + (int.CreateTruncating(text[i]) - '0');
            }

            packed = (packed << bits) | (long)value;
        }

        return packed;
    }

    /// <summary>Milliseconds since 1970 of a packed timestamp; null for 0 (not packed) or a date that does not exist.</summary>
    /// <param name="packed">A value of <see cref="Pack(string?)"/>.</param>
    /// <returns>The instant, or null.</returns>
    public static long? ToUnixMilliseconds(long packed)
    {
        if (packed == 0)
        {
            return null;
        }

        Span<int> values = stackalloc int[Fields.Length];
        Decode(packed, values);
        var (year, month, day, hour, minute, second, millisecond) = (values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        return new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    /// <summary>The text a packed value was made from, or null for 0.</summary>
    /// <param name="packed">A value from <see cref="Pack(string?)"/>, or 0.</param>
    /// <returns>The timestamp as written, or null.</returns>
    public static string? Unpack(long packed)
    {
        if (packed == 0)
        {
            return null;
        }

        return string.Create(Shape.Length, packed, static (chars, value) =>
        {
            Shape.AsSpan().CopyTo(chars);
            Span<int> values = stackalloc int[Fields.Length];
            Decode(value, values);
            for (var f = 0; f < Fields.Length; f++)
            {
                var (start, length, _) = Fields[f];
                var field = values[f];
                for (var i = start + length - 1; i >= start; i--)
                {
                    chars[i] = (char)('0' + (field % 10));
                    field /= 10;
                }
            }
        });
    }

    // The field values of a packed timestamp, in the order of Fields (year first).
    private static void Decode(long packed, Span<int> values)
    {
        for (var f = Fields.Length - 1; f >= 0; f--)
        {
            values[f] = (int)(packed & ((1L << Fields[f].Bits) - 1));
            packed >>= Fields[f].Bits;
        }
    }
}
