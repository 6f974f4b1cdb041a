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

    /// <summary>The string property <paramref name="name"/> of <paramref name="obj"/>, or null when absent or not a string.</summary>
    public static JsonElement? String(JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v : null;
}
