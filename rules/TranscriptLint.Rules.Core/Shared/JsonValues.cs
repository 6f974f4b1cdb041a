using System.Text.Json;

namespace TranscriptLint.Rules.Core;

/// <summary>
/// Questions per-entry actions ask of a line's JSON, answered from the value as written: no string is made, since
/// they run on every line of a session and most answers are "no".
/// </summary>
internal static class JsonValues
{
    /// <summary>Whether <paramref name="obj"/> has a string property <paramref name="name"/> equal to <paramref name="value"/>.</summary>
    public static bool Is(JsonElement obj, string name, string value) =>
        String(obj, name) is { } v && v.ValueEquals(value);

    /// <summary>Whether <paramref name="obj"/> has a string property <paramref name="name"/> that is not empty.</summary>
    public static bool HasText(JsonElement obj, string name) =>
        String(obj, name) is { } v && System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(v).Length > 2; // more than the quotes

    /// <summary>The string property <paramref name="name"/> of <paramref name="obj"/>, or null when absent or not a string.</summary>
    public static JsonElement? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v : null;
}
