using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace TranscriptLint.Model;

/// <summary>
/// Decodes a JSON string value in pieces, straight from the document's UTF-8 bytes, so a rule can look at a string
/// of hundreds of megabytes without <see cref="JsonElement.GetString"/> materialising it (two bytes per character).
/// Escapes are decoded as <see cref="JsonElement.GetString"/> decodes them; invalid UTF-8 becomes U+FFFD.
/// </summary>
public ref struct JsonStringReader
{
    private readonly ReadOnlySpan<byte> _raw;
    private int _position;
    private int _backslash = -1; // index of the next backslash at or after _position (int.MaxValue: none); -1: not searched yet

    /// <summary>Creates a reader over a string element.</summary>
    /// <param name="element">A value of kind <see cref="JsonValueKind.String"/>.</param>
    public JsonStringReader(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw new ArgumentException("The element is not a string.", nameof(element));
        }

        var raw = JsonMarshal.GetRawUtf8Value(element);
        _raw = raw[1..^1]; // without the quotes
    }

    /// <summary>The length of the encoded value in bytes (an upper bound of its length in characters).</summary>
    public readonly int RawLength => _raw.Length;

    /// <summary>Decodes the next characters into <paramref name="destination"/>.</summary>
    /// <param name="destination">Where to write; at least 2 characters.</param>
    /// <returns>The number of characters written; 0 at the end.</returns>
    public int Read(scoped Span<char> destination)
    {
        if (destination.Length < 2)
        {
            throw new ArgumentException("The destination must hold at least 2 characters.", nameof(destination));
        }

        var written = 0;
        while (_position < _raw.Length && written < destination.Length)
        {
            var rest = _raw[_position..];
            if (rest[0] == (byte)'\\')
            {
                if (!TryUnescape(rest, out var c, out var length))
                {
                    if (rest.Length < 2)
                    {
                        break; // cannot happen in a parsed document
                    }

                    (c, length) = ((char)rest[1], 2); // a \u without four hex digits: neither can this
                }

                destination[written++] = c;
                _position += length;
                continue;
            }

            if (_backslash < _position && _backslash != int.MaxValue)
            {
                // Searched once per escape, not once per call: a long string is read in many small pieces.
                var found = rest.IndexOf((byte)'\\');
                _backslash = found < 0 ? int.MaxValue : _position + found;
            }

            var run = _backslash == int.MaxValue ? rest : rest[..(_backslash - _position)];
            var status = Utf8.ToUtf16(run, destination[written..], out var read, out var chars, replaceInvalidSequences: true, isFinalBlock: true);
            _position += read;
            written += chars;
            if (status == OperationStatus.DestinationTooSmall && chars == 0)
            {
                break; // one character that needs two units, with one unit of room left
            }
        }

        return written;
    }

    /// <summary>Length (UTF-16 units), whether it is empty or only whitespace, and whether it ends with whitespace, without materialising the string.</summary>
    /// <param name="element">A string value.</param>
    /// <returns>The shape.</returns>
    public static (int Length, bool WhitespaceOnly, bool TrailingWhitespace) Shape(JsonElement element)
    {
        var reader = new JsonStringReader(element);
        if (ShapeOnBytes(reader._raw) is { } shape)
        {
            return shape;
        }

        var buffer = ArrayPool<char>.Shared.Rent(Math.Clamp(reader.RawLength, 16, 64 * 1024));
        try
        {
            int length = 0, n;
            bool whitespace = true, trailing = false;
            while ((n = reader.Read(buffer)) > 0)
            {
                var chunk = buffer.AsSpan(0, n);
                length += n;
                if (whitespace)
                {
                    foreach (var c in chunk)
                    {
                        if (!char.IsWhiteSpace(c))
                        {
                            whitespace = false;
                            break;
                        }
                    }
                }

                trailing = char.IsWhiteSpace(chunk[^1]);
            }

            return (length, whitespace, trailing);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    // A string measured on its bytes, without decoding it into characters, in a few vectorised passes instead of one
    // step per escape (a tool's output has a \n every line). An escape is two bytes for one UTF-16 unit, or six for
    // \uXXXX (a surrogate pair is two of them); the rest counts what the UTF-8 transcoder makes of it. Backslashes pair
    // up from the left, so in a run of k of them the first k / 2 pairs are escaped backslashes and, when k is odd, the
    // last one starts the escape after the run. Null when no visible character settles that the text is not all
    // whitespace (whitespace only, or only non-ASCII characters could say): the decoding path answers those.
    private static (int Length, bool WhitespaceOnly, bool TrailingWhitespace)? ShapeOnBytes(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty || HasVisibleCharacter(raw) is not true)
        {
            return null;
        }

        var backslashes = raw.Count((byte)'\\');
        var sequences = backslashes;
        var unicodeEscapes = backslashes == 0 ? 0 : raw.Count("\\u"u8);
        for (var position = 0; backslashes > 1;)
        {
            var pair = raw[position..].IndexOf("\\\\"u8);
            if (pair < 0)
            {
                break;
            }

            var runStart = position + pair;
            var run = raw[runStart..].IndexOfAnyExcept((byte)'\\');
            run = run < 0 ? raw.Length - runStart : run;
            sequences -= run / 2;
            if (run % 2 == 0 && runStart + run < raw.Length && raw[runStart + run] == (byte)'u')
            {
                unicodeEscapes--; // "\\u": an escaped backslash, then a letter u
            }

            position = runStart + run;
        }

        var units = System.Text.Ascii.IsValid(raw) ? raw.Length : System.Text.Encoding.UTF8.GetCharCount(raw);
        bool trailing;
        if (raw[^1] >= 0x80)
        {
            // The last UTF-16 unit: a low surrogate or U+FFFD (invalid bytes) is not whitespace.
            System.Text.Rune.DecodeLastFromUtf8(raw, out var last, out _);
            trailing = last.IsBmp && char.IsWhiteSpace((char)last.Value);
        }
        else if (EscapeAtEnd(raw) is { } at)
        {
            if (!TryUnescape(raw[at..], out var last, out _))
            {
                return null;
            }

            trailing = char.IsWhiteSpace(last);
        }
        else
        {
            trailing = raw[^1] == (byte)' '; // a literal (or the second backslash of "\\\\", not whitespace)
        }

        return (units - sequences - (4 * unicodeEscapes), false, trailing);
    }

    // Where the escape that ends the text starts (\uXXXX, else \X), or null when it ends in a literal.
    private static int? EscapeAtEnd(ReadOnlySpan<byte> raw) =>
        raw.Length >= 6 && raw[^5] == (byte)'u' && StartsEscape(raw, raw.Length - 6) ? raw.Length - 6
        : raw.Length >= 2 && StartsEscape(raw, raw.Length - 2) ? raw.Length - 2
        : null;

    // Whether the byte at `at` is a backslash that starts an escape: the run of backslashes ending there is odd.
    private static bool StartsEscape(ReadOnlySpan<byte> raw, int at)
    {
        if (raw[at] != (byte)'\\')
        {
            return false;
        }

        var before = raw[..at].LastIndexOfAnyExcept((byte)'\\');
        return (at - before) % 2 == 1;
    }

    // Whether a string decodes to a character that is not whitespace: a visible ASCII byte outside an escape is one; an
    // escape is one unless it spells whitespace. Null when only non-ASCII characters could decide it (they need
    // decoding).
    private static bool? HasVisibleCharacter(ReadOnlySpan<byte> raw)
    {
        var position = 0;
        int at;
        while ((at = raw[position..].IndexOfAnyInRange((byte)0x21, (byte)0x7F)) >= 0)
        {
            at += position;
            if (raw[at] != (byte)'\\')
            {
                return true;
            }

            if (!TryUnescape(raw[at..], out var c, out var length))
            {
                return null;
            }

            if (!char.IsWhiteSpace(c))
            {
                return true; // \" \\ \/ \b, or a \u that is not whitespace
            }

            position = at + length;
        }

        return null;
    }

    // The character an escape at the start of `escape` stands for, and how many bytes it takes; false when it is cut
    // short or a \u lacks its four hex digits (neither is in a parsed document).
    private static bool TryUnescape(ReadOnlySpan<byte> escape, out char c, out int length)
    {
        (c, length) = ('\0', 2);
        if (escape.Length < 2)
        {
            return false;
        }

        if (escape[1] == (byte)'u')
        {
            length = 6;
            if (escape.Length < 6 || !ushort.TryParse(escape.Slice(2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                return false;
            }

            c = (char)code;
            return true;
        }

        c = escape[1] switch { (byte)'n' => '\n', (byte)'r' => '\r', (byte)'t' => '\t', (byte)'b' => '\b', (byte)'f' => '\f', var other => (char)other }; // \" \\ \/
        return true;
    }

    /// <summary>Whether the string starts with <paramref name="prefix"/> (ordinal), decoding only as much as the prefix needs.</summary>
    /// <param name="element">A string value.</param>
    /// <param name="prefix">The prefix.</param>
    /// <returns>True when it does.</returns>
    public static bool StartsWith(JsonElement element, string prefix)
    {
        var reader = new JsonStringReader(element);
        Span<char> buffer = stackalloc char[Math.Max(2, prefix.Length + 1)];
        var have = 0;
        int n;
        while (have < prefix.Length && (n = reader.Read(buffer[have..])) > 0)
        {
            have += n;
        }

        return buffer[..have].StartsWith(prefix, StringComparison.Ordinal);
    }
}
