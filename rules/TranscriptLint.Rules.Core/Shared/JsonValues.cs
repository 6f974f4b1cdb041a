using System.Text.Json;

namespace TranscriptLint.Rules.Core;

/// <summary>
/// Questions per-entry actions ask of a line's JSON, answered from the value as written: no string is made, since
/// they run on every line of a session and most answers are "no". Names and values are UTF-8 literals (<c>"type"u8</c>),
/// which are compared as they are; a string would be transcoded on every call.
/// </summary>
internal static class JsonValues
{
    /// <summary>Whether <paramref name="obj"/> has a string property <paramref name="name"/> equal to <paramref name="value"/>.</summary>
    public static bool Is(JsonElement obj, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        String(obj, name) is { } v && v.ValueEquals(value);

    /// <summary>Whether <paramref name="obj"/> has a string property <paramref name="name"/> that is not empty.</summary>
    public static bool HasText(JsonElement obj, ReadOnlySpan<byte> name) =>
        String(obj, name) is { } v && System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(v).Length > 2; // more than the quotes

    /// <summary>The text of the string property <paramref name="name"/> of <paramref name="obj"/>, or null when absent or not a string.</summary>
    public static string? Text(JsonElement obj, ReadOnlySpan<byte> name) => String(obj, name)?.GetString();

    /// <summary>The string property <paramref name="name"/> of <paramref name="obj"/>, or null when absent or not a string.</summary>
    public static JsonElement? String(JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v : null;

    /// <summary>A test of a string's characters.</summary>
    public delegate bool CharsTest(ReadOnlySpan<char> chars);

    /// <summary>
    /// Applies <paramref name="test"/> to a JSON string value's decoded characters, read into a pooled buffer: signatures,
    /// thinking texts and tool outputs are kilobytes on every line, and most questions asked of them need no string.
    /// </summary>
    public static bool Test(JsonElement value, CharsTest test)
    {
        var reader = new TranscriptLint.Model.JsonStringReader(value);
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(reader.RawLength + 2); // never more characters than bytes
        try
        {
            var have = 0;
            int n;
            while (buffer.Length - have >= 2 && (n = reader.Read(buffer.AsSpan(have))) > 0)
            {
                have += n;
            }

            return test(buffer.AsSpan(0, have));
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
