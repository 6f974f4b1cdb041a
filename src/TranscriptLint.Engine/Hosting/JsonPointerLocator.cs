using System.Text;
using System.Text.Json;

namespace TranscriptLint.Engine.Hosting;

/// <summary>Finds the byte span of the value an RFC 6901 pointer names inside one line of JSON.</summary>
public static class JsonPointerLocator
{
    /// <summary>Locates a pointer's value.</summary>
    /// <param name="json">The line's bytes.</param>
    /// <param name="pointer">The pointer, e.g. <c>/message/content/2</c>; "" is the whole line.</param>
    /// <returns>The start and end (exclusive) byte offsets, or null when the pointer does not resolve.</returns>
    public static (int Start, int End)? Find(ReadOnlySpan<byte> json, string pointer)
    {
        var tokens = Parse(pointer);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4096, AllowTrailingCommas = false });
        try
        {
            if (!reader.Read())
            {
                return null;
            }

            foreach (var token in tokens)
            {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var found = false;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isMatch = reader.ValueTextEquals(token);
                        reader.Read();
                        if (isMatch)
                        {
                            found = true;
                            break;
                        }

                        reader.Skip();
                    }

                    if (!found)
                    {
                        return null;
                    }
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    if (!int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                    {
                        return null;
                    }

                    var i = -1;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (++i == index)
                        {
                            break;
                        }

                        reader.Skip();
                    }

                    if (i != index || reader.TokenType == JsonTokenType.EndArray)
                    {
                        return null;
                    }
                }
                else
                {
                    return null;
                }
            }

            var start = (int)reader.TokenStartIndex;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            var end = (int)reader.BytesConsumed;
            return (start, end);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Converts a byte offset within a UTF-8 line into a 1-based UTF-16 column.</summary>
    /// <param name="line">The line's bytes.</param>
    /// <param name="byteOffset">The byte offset.</param>
    /// <returns>The 1-based column.</returns>
    public static int ColumnOf(ReadOnlySpan<byte> line, int byteOffset) =>
        Encoding.UTF8.GetCharCount(line[..Math.Clamp(byteOffset, 0, line.Length)]) + 1;

    /// <summary>Splits a pointer into unescaped reference tokens.</summary>
    /// <param name="pointer">The pointer.</param>
    /// <returns>The tokens.</returns>
    public static IReadOnlyList<string> Parse(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new ArgumentException($"JSON pointer '{pointer}' must start with '/'.", nameof(pointer));
        }

        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }
}
