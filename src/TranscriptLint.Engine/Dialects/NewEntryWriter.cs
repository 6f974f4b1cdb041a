using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TranscriptLint.Fixes;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// The part of rendering an inserted entry every dialect shares: a recovered raw object is written as it is, a
/// synthetic tool result is written by the dialect as one compact JSON object, anything else is refused.
/// </summary>
internal static class NewEntryWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(NewEntry entry, string dialect, Action<Utf8JsonWriter, SyntheticToolResult> writeResult)
    {
        if (entry is RawJsonEntry raw)
        {
            return raw.Json;
        }

        if (entry is not SyntheticToolResult result)
        {
            throw new NotSupportedException($"The {dialect} dialect cannot write a {entry.GetType().Name}.");
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            writeResult(w, result);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
