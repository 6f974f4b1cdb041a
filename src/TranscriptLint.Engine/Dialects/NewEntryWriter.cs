using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TranscriptLint.Fixes;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// The part of rendering an inserted entry every dialect shares: a recovered raw object is written as it is, a
/// synthetic tool result (or assistant text, where the dialect writes one) is written by the dialect as one compact
/// JSON object, anything else is refused.
/// </summary>
internal static class NewEntryWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(
        NewEntry entry,
        string dialect,
        Action<Utf8JsonWriter, SyntheticToolResult> writeResult,
        Action<Utf8JsonWriter, SyntheticAssistantText>? writeAssistantText = null)
    {
        Action<Utf8JsonWriter>? write = entry switch
        {
            SyntheticToolResult result => w => writeResult(w, result),
            SyntheticAssistantText text when writeAssistantText is not null => w => writeAssistantText(w, text),
            _ => null,
        };
        if (entry is RawJsonEntry raw)
        {
            return raw.Json;
        }

        if (write is null)
        {
            throw new NotSupportedException($"The {dialect} dialect cannot write a {entry.GetType().Name}.");
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            write(w);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
