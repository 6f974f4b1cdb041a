using System.Text.Json;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// Small, allocation-light readers over <see cref="JsonElement"/> used by the dialects. Property names are UTF-8
/// literals (<c>"type"u8</c>): a name given as a string is transcoded on every lookup, and these run on every line.
/// </summary>
internal static class JsonFacts
{
    public static string? Str(this JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? TextOrNull(v) : null;

    /// <summary>The value's text when it is a string (see <see cref="Text"/>), else null.</summary>
    public static string? TextOrNull(JsonElement value) => value.ValueKind == JsonValueKind.String ? Text(value) : null;

    /// <summary>
    /// A property's name as UTF-8 to compare with a literal: its bytes as written, or its decoded form when it is
    /// escaped (<c>"\u0074ype"</c> is <c>type</c>), for a dialect that reads an object's fields in one pass.
    /// </summary>
    public static ReadOnlySpan<byte> NameBytes(JsonProperty property)
    {
        var name = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(property);
        return name.IndexOf((byte)'\\') >= 0 ? System.Text.Encoding.UTF8.GetBytes(property.Name) : name;
    }

    /// <summary>A string value; short repeated ones are one shared copy.</summary>
    /// <remarks>
    /// Entries keep their ids and names for the whole file, and most repeat: every line carries the session id, its type,
    /// role and model, and a parent id that is the line before's id. Short unescaped values come from a small cache, so
    /// a million lines hold one copy of each repeated string, not a million (and allocate none when it recurs).
    /// </remarks>
    public static string Text(JsonElement value)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
        return raw.Length - 2 <= Utf8StringCache.MaxBytes && raw.IndexOf((byte)'\\') < 0 ? Utf8StringCache.Get(raw[1..^1]) : value.GetString()!;
    }

    /// <summary>An id value (<c>uuid</c>, <c>parentUuid</c>): a canonical uuid is packed from its bytes without a string.</summary>
    public static EntryId Id(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return EntryId.None;
        }

        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
        return EntryId.TryPack(raw[1..^1], out var packed) ? packed : EntryId.From(Text(value));
    }

    /// <summary>A JSON pointer to element <paramref name="index"/> under <paramref name="prefix"/>, one shared copy of each.</summary>
    public static string Pointer(string prefix, int index)
    {
        Span<char> chars = stackalloc char[prefix.Length + 11];
        prefix.CopyTo(chars);
        chars[prefix.Length] = '/';
        index.TryFormat(chars[(prefix.Length + 1)..], out var digits, default, System.Globalization.CultureInfo.InvariantCulture);
        return Utf8StringCache.Get(chars[..(prefix.Length + 1 + digits)]);
    }

    /// <summary>The length in UTF-16 units of a string value, without materialising it (signatures, base64 payloads).</summary>
    public static int StringLength(JsonElement value) => JsonStringReader.Shape(value).Length;

    public static bool Bool(this JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>A property by a name known only at run time (cold paths: fix rendering, tool-call shapes).</summary>
    public static JsonElement? Prop(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? v : null;

    public static JsonElement? Prop(this JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? v : null;

    /// <summary>Text length and shape of a text-bearing value: a string, or an array of text blocks.</summary>
    public static (int Length, bool WhitespaceOnly, bool TrailingWhitespace) TextShape(JsonElement? value)
    {
        if (value is not { } v)
        {
            return (0, true, false);
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            return JsonStringReader.Shape(v); // never the whole string: a text may be hundreds of MB
        }

        if (v.ValueKind == JsonValueKind.Array)
        {
            int length = 0;
            bool ws = true, trailing = false;
            foreach (var item in v.EnumerateArray())
            {
                if (item.Prop("text"u8) is not { ValueKind: JsonValueKind.String } t)
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        ws = false; // an image or other non-text part is content
                    }

                    continue;
                }

                var (len, onlyWs, trailingWs) = JsonStringReader.Shape(t);
                length += len;
                ws &= onlyWs;
                trailing = trailingWs;
            }

            return (length, ws, trailing);
        }

        return (0, true, false);
    }

    /// <summary>A text block's compact facts, from a string value (or an array of text parts).</summary>
    public static ContentBlock TextBlock(JsonElement? text, string typeName, int index, string pointer)
    {
        var (len, ws, trailing) = TextShape(text);
        return new ContentBlock { Kind = BlockKind.Text, TypeName = typeName, Index = index, JsonPointer = pointer, TextLength = len, IsWhitespaceOnly = ws, HasTrailingWhitespace = trailing, ByteSize = len };
    }
}
