using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Size;

/// <summary>
/// TL6004: a base64 image on the resume chain that the provider cannot process: its data does not decode, is empty,
/// its bytes are not the declared <c>media_type</c>, or the <c>media_type</c> is not one the provider accepts
/// (failure-modes-2026 F4).
/// </summary>
public sealed class TL6004UndecodableImageRule : TranscriptRule
{
    /// <summary>The media types the provider accepts for a base64 image.</summary>
    internal static readonly string[] Supported = ["image/jpeg", "image/png", "image/gif", "image/webp"];

    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.UndecodableImage,
        "undecodable-image",
        "Image the provider cannot decode",
        "The image {0}; the provider rejects it, and it is re-sent on every turn",
        RuleCategories.Size,
        Severity.Error,
        "The provider decodes every image it receives. An image whose base64 does not decode, that is empty, whose bytes are another format than its media_type says (an HTML page saved as .png, a JPEG declared as PNG), or whose media_type is not JPEG, PNG, GIF or WebP is rejected, and because the history is re-sent on every turn, every later request of the session fails. The fix replaces the image with a short text placeholder.",
        FixAvailability.Always,
        [
            "Could not process image",
            "Image does not match the provided media type {media_type}",
            "Image format {media_type} not supported",
            "image cannot be empty",
        ],
        ["resume", "http-400", "image"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        var images = new List<(Entry Entry, string Pointer, string Problem)>();
        start.RegisterEntryAction(e =>
        {
            if (!e.Entry.Blocks.Any(b => b.Kind is BlockKind.Image or BlockKind.ToolResult) || ChainEdits.ContentArray(e.Json) is not { } content)
            {
                return;
            }

            foreach (var b in e.Entry.Blocks.Matching(b => b.Kind is BlockKind.Image or BlockKind.ToolResult && b.Index >= 0))
            {
                var block = content[b.Index];
                if (b.Kind == BlockKind.Image)
                {
                    Check(block, b.JsonPointer, e.Entry, images);
                }
                else if (block.TryGetProperty("content"u8, out var inner) && inner.ValueKind == JsonValueKind.Array)
                {
                    // A Read of an image file stores the image inside the tool_result's content.
                    var i = 0;
                    foreach (var item in inner.EnumerateArray())
                    {
                        Check(item, b.JsonPointer + "/content/" + ChainEdits.N(i++), e.Entry, images);
                    }
                }
            }
        });
        start.RegisterIndexAction(ctx =>
        {
            foreach (var (entry, pointer, problem) in images.Where(i => Queries.IsInResumeContext(ctx.Index, i.Entry)))
            {
                var placeholder = new JsonObject
                {
                    ["type"] = "text",
                    ["text"] = $"[Image removed by TranscriptLint: it {problem}, so the provider could not process it]",
                };
                var fix = new Fix("Replace the image with a text placeholder", Applicability.Unsafe, [ReplaceValue.With(entry.Ref, pointer, placeholder)]);
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry, pointer), fix, problem));
            }
        });
    });

    private static void Check(JsonElement block, string pointer, Entry entry, List<(Entry, string, string)> images)
    {
        if (block.ValueKind != JsonValueKind.Object || JsonValues.Text(block, "type"u8) != "image"
            || !block.TryGetProperty("source"u8, out var source) || source.ValueKind != JsonValueKind.Object
            || JsonValues.Text(source, "type"u8) is not (null or "base64"))
        {
            return; // url and file sources are fetched by the provider, not decoded from the transcript
        }

        var mediaType = JsonValues.Text(source, "media_type"u8);
        var data = source.TryGetProperty("data"u8, out var d) && d.ValueKind == JsonValueKind.String ? d : (JsonElement?)null;
        if (Diagnose(mediaType, data) is { } problem)
        {
            images.Add((entry, pointer, problem));
        }
    }

    /// <summary>What is wrong with an image's media type and data, or null when the provider can decode it.</summary>
    internal static string? Diagnose(string? mediaType, JsonElement? data)
    {
        if (mediaType is null || !Supported.Contains(mediaType, StringComparer.Ordinal))
        {
            return mediaType is null ? "has no media_type" : $"has media_type '{mediaType}', which the provider does not accept (only JPEG, PNG, GIF and WebP)";
        }

        if (data is not { } value)
        {
            return "has no base64 data";
        }

        // The raw JSON text between its quotes is the base64 itself unless it holds escapes (\/, \n), which are rare.
        var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
        var utf8 = raw.Contains((byte)'\\') ? Encoding.UTF8.GetBytes(value.GetString()!) : raw.ToArray();
        if (utf8.AsSpan().Trim(" \t\r\n"u8).Length == 0)
        {
            return "is empty";
        }

        if (!Base64.IsValid(utf8, out var decodedLength))
        {
            return "has data that is not valid base64";
        }

        if (decodedLength == 0)
        {
            return "is empty";
        }

        var sniffed = Sniff(Head(utf8));
        if (sniffed != mediaType)
        {
            return sniffed is null
                ? $"is declared {mediaType} but its bytes ({Formatting.Size(decodedLength)}) are not a PNG, JPEG, GIF or WebP image"
                : $"is declared {mediaType} but its bytes are {sniffed}";
        }

        return null;
    }

    // The first decoded bytes (enough for every signature), from the first base64 characters that are not whitespace.
    private static byte[] Head(byte[] utf8)
    {
        var chars = new StringBuilder(32);
        foreach (var c in utf8)
        {
            if (chars.Length == 32)
            {
                break;
            }

            if (c is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                chars.Append((char)c);
            }
        }

        var text = chars.ToString().TrimEnd('=');
        text = text[..(text.Length / 4 * 4)];
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    /// <summary>The media type the bytes start with, or null when they are none of the accepted formats.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8) ? "image/gif"
        : head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;
}
