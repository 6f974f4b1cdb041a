using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TranscriptLint.Model;

namespace TranscriptLint.Reporting.Html;

/// <summary>
/// The readable text of a content block in any dialect: the text of text and thinking blocks, a tool call's input,
/// a tool result's output; otherwise the block's JSON. Field names differ per format, so the common ones are tried
/// in turn.
/// </summary>
public static class BlockText
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The text of one block.</summary>
    /// <param name="block">The block's JSON.</param>
    /// <param name="info">What the engine read of it.</param>
    /// <param name="maxChars">The longest text kept.</param>
    /// <returns>The text, cut to <paramref name="maxChars"/>.</returns>
    public static CapturedText Of(JsonElement block, ContentBlock info, int maxChars)
    {
        if (block.ValueKind == JsonValueKind.String)
        {
            return Cut(block.GetString() ?? "", maxChars);
        }

        return info.Kind switch
        {
            BlockKind.Text => Field(block, maxChars, "text", "content", "output_text", "message") ?? Raw(block, maxChars),
            BlockKind.Thinking => Field(block, maxChars, "thinking", "text", "summary", "content", "description") ?? Raw(block, maxChars),
            BlockKind.RedactedThinking => new CapturedText("[redacted thinking]", 0),
            BlockKind.ToolCall => Field(block, maxChars, "input", "arguments", "args", "parameters", "function", "command") ?? Raw(block, maxChars),
            BlockKind.ToolResult => Field(block, maxChars, "content", "output", "result", "functionResponse", "response", "resultDisplay", "text") ?? Raw(block, maxChars),
            BlockKind.Image => new CapturedText("[image]", 0),
            _ => Raw(block, maxChars),
        };
    }

    /// <summary>A short text for an entry without blocks (a system line, a summary, metadata).</summary>
    /// <param name="entry">The entry's JSON.</param>
    /// <param name="maxChars">The longest text kept.</param>
    /// <returns>The text.</returns>
    public static CapturedText Summary(JsonElement entry, int maxChars) =>
        Field(entry, maxChars, "content", "summary", "text", "message", "subtype") ?? Raw(entry, Math.Min(maxChars, 600));

    // The first of the named members that holds something readable.
    private static CapturedText? Field(JsonElement obj, int maxChars, params string[] names)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (!obj.TryGetProperty(name, out var value))
            {
                continue;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    return Cut(value.GetString() ?? "", maxChars);
                case JsonValueKind.Array when Joined(value, maxChars) is { } joined:
                    return joined;
                case JsonValueKind.Object when name == "function" && Field(value, maxChars, "arguments") is { } arguments:
                    return arguments;
                case JsonValueKind.Object when name is "message" or "content" && Field(value, maxChars, "content", "text") is { } inner:
                    return inner;
                case JsonValueKind.Object when name is "functionResponse" or "response" && Field(value, maxChars, "response", "output", "result", "content", "error") is { } output:
                    return output; // Gemini: {functionResponse: {response: {output: "…"}}}
                case JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    return Raw(value, maxChars);
            }
        }

        return null;
    }

    // An array of parts ([{type:text,text}…], [{text}], strings): their texts one after another.
    private static CapturedText? Joined(JsonElement array, int maxChars)
    {
        var sb = new StringBuilder();
        long omitted = 0;
        foreach (var part in array.EnumerateArray())
        {
            var piece = part.ValueKind switch
            {
                JsonValueKind.String => part.GetString() ?? "",
                JsonValueKind.Object when part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String => t.GetString() ?? "",
                JsonValueKind.Object when part.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String && ty.GetString() == "image" => "[image]",
                _ => part.GetRawText(),
            };
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            var room = maxChars - sb.Length;
            if (room <= 0)
            {
                omitted += piece.Length;
                continue;
            }

            sb.Append(piece.Length <= room ? piece : piece[..room]);
            omitted += Math.Max(0, piece.Length - room);
        }

        return new CapturedText(sb.ToString(), omitted);
    }

    private static CapturedText Raw(JsonElement value, int maxChars) =>
        Cut(JsonSerializer.Serialize(value, Compact), maxChars);

    /// <summary>Cuts a text to <paramref name="maxChars"/>, never inside a surrogate pair.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxChars">The longest text kept.</param>
    /// <returns>The kept text and how much was cut.</returns>
    public static CapturedText Cut(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return new CapturedText(text, 0);
        }

        var keep = Math.Max(0, maxChars);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return new CapturedText(text[..keep], text.Length - keep);
    }
}
