using System.Globalization;
using System.Text;

namespace TranscriptLint.Engine.Reading;

/// <summary>A file converted from UTF-16 to UTF-8 with every character kept.</summary>
/// <param name="Encoding">The encoding it was saved in: <c>UTF-16 LE</c> or <c>UTF-16 BE</c>.</param>
/// <param name="Utf8">The same text in UTF-8, without a byte order mark.</param>
/// <param name="Characters">The number of UTF-16 code units converted (the mark not counted).</param>
internal sealed record Utf16Conversion(string Encoding, byte[] Utf8, long Characters);

/// <summary>
/// Text saved as UTF-16: Windows PowerShell 5.1 writes it with <c>&gt;</c>, <c>Out-File</c> and <c>Set-Content</c>,
/// Notepad with "Unicode". No harness reads it. It is recognised from its first bytes, and converted to UTF-8 only when
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

        var encoding = new UnicodeEncoding(big, byteOrderMark: false, throwOnInvalidBytes: true);
        string text;
        try
        {
            text = encoding.GetString(body);
        }
        catch (DecoderFallbackException ex)
        {
            why = $"it holds half a surrogate pair near byte {(mark + Math.Max(ex.Index, 0)).ToString("N0", CultureInfo.InvariantCulture)}, which UTF-8 cannot hold";
            return null;
        }

        // The proof that nothing is lost: the text gives back exactly the bytes it was read from.
        if (!encoding.GetBytes(text).AsSpan().SequenceEqual(body))
        {
            why = "its text does not encode back to the same bytes";
            return null;
        }

        why = null;
        return new Utf16Conversion(big ? "UTF-16 BE" : "UTF-16 LE", new UTF8Encoding(false, true).GetBytes(text), text.Length);
    }

    private static string Bytes(long n) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} bytes";
}
