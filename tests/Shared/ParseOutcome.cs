using System.Text;
using System.Text.Json;

namespace TranscriptLint.Tests;

/// <summary>
/// What a parse gives a reader, as one string: for checking that two ways of parsing the same bytes (the plain reader
/// and <c>EscapedStringMask</c>) agree on the document, or fail with the same error at the same place.
/// </summary>
internal static class ParseOutcome
{
    /// <summary>The document's description (see <see cref="Describe"/>), or the parse's error and its position.</summary>
    /// <param name="parse">The parse to run.</param>
    /// <returns>The outcome.</returns>
    public static string Of(Func<JsonDocument> parse)
    {
        try
        {
            using var document = parse();
            return Describe(document.RootElement);
        }
        catch (JsonException ex)
        {
            return $"error {ex.Message} @{ex.BytePositionInLine}";
        }
    }

    /// <summary>Everything a reader of the document can see: kinds, names (raw and decoded), raw values, decoded strings.</summary>
    /// <param name="element">The root.</param>
    /// <returns>The description.</returns>
    public static string Describe(JsonElement element)
    {
        var sb = new StringBuilder();
        Walk(element);
        return sb.ToString();

        void Walk(JsonElement e)
        {
            sb.Append(e.ValueKind).Append(':');
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        sb.Append(Convert.ToHexString(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(p))).Append('|').Append(TryGetName(p)).Append('=');
                        Walk(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
                case JsonValueKind.String:
                    sb.Append(Raw(e)).Append('|').Append(TryGetString(e));
                    break;
                default:
                    sb.Append(Raw(e));
                    break;
            }

            sb.Append(';');
        }
    }

    // The value's bytes as written (GetRawText would fail on invalid UTF-8, which the reader lets through).
    private static string Raw(JsonElement e) => Convert.ToHexString(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(e));

    private static string TryGetName(JsonProperty p)
    {
        try
        {
            return p.Name;
        }
        catch (InvalidOperationException ex)
        {
            return "!" + ex.GetType().Name;
        }
    }

    private static string TryGetString(JsonElement e)
    {
        try
        {
            return e.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            return "!" + ex.GetType().Name; // invalid UTF-8 or a lone surrogate: the same failure either way
        }
    }
}
