using System.Text.Json;

namespace TranscriptLint.Model;

/// <summary>
/// RFC 6901 pointers resolved against a JSON value. Every <see cref="ContentBlock"/> carries the pointer its dialect
/// read it at, so a rule, a reporter or the host reads a block's value the same way on every format.
/// </summary>
public static class JsonPointers
{
    /// <summary>The value at <paramref name="pointer"/>, or null when there is none.</summary>
    /// <param name="root">The value the pointer is relative to.</param>
    /// <param name="pointer">E.g. <c>/message/content/0</c>; empty for the root.</param>
    /// <returns>The value, or null.</returns>
    public static JsonElement? Resolve(JsonElement root, string pointer)
    {
        if (pointer.Length == 0)
        {
            return root;
        }

        if (pointer[0] != '/')
        {
            return null;
        }

        var current = root;
        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(token, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < current.GetArrayLength())
            {
                current = current[i];
            }
            else
            {
                return null;
            }
        }

        return current;
    }
}
