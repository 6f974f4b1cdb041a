using System.Globalization;
using System.Text;

namespace TranscriptLint.Engine.Reading;

/// <summary>A file converted from UTF-16 to UTF-8 with every character kept.</summary>
/// <param name="Encoding">The encoding it was saved in: <c>UTF-16 LE</c> or <c>UTF-16 BE</c>.</param>
/// <param name="Utf8">The same text in UTF-8, without a byte order mark.</param>
/// <param name="Characters">The number of UTF-16 code units converted (the mark not counted).</param>
internal sealed record Utf16Conversion(string Encoding, byte[] Utf8, long Characters);

/// <summary>
/// Text saved as UTF-16: Windows PowerShell 5.1 writes it with <c>&gt;</c>, <c>&gt;&gt;</c> and <c>Out-File</c>, Notepad
/// with "Unicode". No harness reads it. It is recognised from its first bytes, and converted to UTF-8 only when
/// the conversion provably loses nothing: the bytes decode with no unpaired surrogate and no cut last character, and the
/// text encodes back to exactly the same bytes.
/// </summary>
internal static class Utf16Text
{
    /// <summary>Whether a file's first bytes are UTF-16 text, and in which byte order; null when they are not.</summary>
    /// <param name="header">The first bytes (four are enough).</param>
    /// <returns>True for big endian, false for little endian, null for not UTF-16.</returns>
    public static bool? BigEndian(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((byte[])[0xFF, 0xFE]))
        {
            return false;
        }

        if (header.StartsWith((byte[])[0xFE, 0xFF]))
        {
            return true;
        }

        // No mark: JSON starts with ASCII ('{', whitespace), which UTF-16 writes as one zero byte beside each character.
        if (header.Length >= 4 && header[0] != 0 && header[1] == 0 && header[3] == 0)
        {
            return false;
        }

        return header.Length >= 4 && header[0] == 0 && header[1] != 0 && header[2] == 0 ? true : null;
    }

    /// <summary>Converts UTF-16 bytes to UTF-8, or says why it would lose something.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="why">Why it was not converted, when it was not.</param>
    /// <returns>The conversion, or null.</returns>
    public static Utf16Conversion? ToUtf8(ReadOnlySpan<byte> bytes, out string? why)
    {
        if (BigEndian(bytes) is not { } big)
        {
            why = "it is not UTF-16";
            return null;
        }

        var mark = bytes.StartsWith(big ? [0xFE, 0xFF] : [0xFF, 0xFE]) ? 2 : 0;
        var body = bytes[mark..];
        if (body.Length % 2 != 0)
        {
            why = $"it ends in half a character ({Bytes(bytes.Length)}, an odd number): the file was cut";
            return null;
        }

        // Two streaming passes, a piece at a time: the first proves the round trip and measures the UTF-8, the second
        // writes it into an array of exactly that size, so a 200 MB file is held once, plus its UTF-8, and never as text.
        var encoding = new UnicodeEncoding(big, byteOrderMark: false, throwOnInvalidBytes: true);
        var length = Transcode(encoding, body, mark, null, out why);
        if (length < 0)
        {
            return null;
        }

        var utf8 = new byte[length];
        Transcode(encoding, body, mark, utf8, out _);
        return new Utf16Conversion(big ? "UTF-16 BE" : "UTF-16 LE", utf8, body.Length / 2); // every code unit is two bytes
    }

    private const int Piece = 32 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Decodes the body strictly, encodes each piece back to UTF-16 and compares it with the bytes it came from (the
    // proof that nothing is lost), and encodes it to UTF-8 (into destination, when given). Returns the UTF-8 length,
    // or -1 with why.
    private static long Transcode(UnicodeEncoding utf16, ReadOnlySpan<byte> body, int mark, byte[]? destination, out string? why)
    {
        var decoder = utf16.GetDecoder();
        var back = utf16.GetEncoder();
        var toUtf8 = StrictUtf8.GetEncoder();
        var chars = new char[Piece + 2];
        var backBytes = new byte[(Piece + 2) * 2];
        var utf8Bytes = new byte[(Piece + 2) * 3];
        var consumed = 0;
        var compared = 0;
        long written = 0;
        while (true)
        {
            var take = Math.Min(Piece * 2, body.Length - consumed);
            var flush = consumed + take == body.Length;
            int used, decoded;
            try
            {
                decoder.Convert(body.Slice(consumed, take), chars, flush, out used, out decoded, out _);
            }
            catch (DecoderFallbackException)
            {
                why = $"it holds half a surrogate pair near byte {(mark + consumed).ToString("N0", CultureInfo.InvariantCulture)}, which UTF-8 cannot hold";
                return -1;
            }

            consumed += used;
            var last = flush && consumed == body.Length;
            back.Convert(chars.AsSpan(0, decoded), backBytes, last, out _, out var again, out _);
            if (compared + again > body.Length || !backBytes.AsSpan(0, again).SequenceEqual(body.Slice(compared, again)))
            {
                why = "its text does not encode back to the same bytes";
                return -1;
            }

            compared += again;
            toUtf8.Convert(chars.AsSpan(0, decoded), utf8Bytes, last, out _, out var encoded, out _);
            if (destination is not null)
            {
                utf8Bytes.AsSpan(0, encoded).CopyTo(destination.AsSpan((int)written));
            }

            written += encoded;
            if (last)
            {
                break;
            }
        }

        why = compared == body.Length ? null : "its text does not encode back to the same bytes";
        return why is null ? written : -1;
    }

    private static string Bytes(long n) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} bytes";
}
