namespace TranscriptLint.Tests;

/// <summary>A string written as a JSON string literal the ways tests need besides System.Text.Json's own.</summary>
internal static class JsonEscaping
{
    /// <summary>
    /// As JavaScript's JSON.stringify writes it (the Node harnesses' lines): a quote, a backslash and the control
    /// characters escaped (\b \f \n \r \t by name, the rest as \u00XX), every other character, non-ASCII whitespace
    /// included, as its UTF-8 bytes (.NET's relaxed encoder escapes those).
    /// </summary>
    /// <param name="value">The text.</param>
    /// <returns>The literal, quotes included.</returns>
    public static string AsJsonStringify(string value) =>
        "\"" + string.Concat(value.Select(c => c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\f' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            < ' ' => $"\\u{(int)c:x4}",
            _ => c.ToString(),
        })) + "\"";

    /// <summary>Every character as a \u escape: the raw bytes then hold none of the text's characters.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The literal, quotes included.</returns>
    public static string EveryCharacter(string value) => "\"" + string.Concat(value.Select(c => $"\\u{(int)c:x4}")) + "\"";
}
