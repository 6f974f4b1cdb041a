using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Size;

/// <summary>TL6001: a base64 image on the resume chain is over the provider's 5 MB limit.</summary>
public sealed class TL6001OversizedImageRule : TranscriptRule
{
    /// <summary>The provider limit on one image, decoded.</summary>
    public const long DefaultMaxBytes = 5L * 1024 * 1024;

    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.OversizedImage,
        "oversized-image",
        "Image over the provider's size limit",
        "An image of {0} (decoded) is over the {1} limit; it is re-sent on every turn and every request fails",
        RuleCategories.Size,
        Severity.Error,
        "Providers reject a request holding an image over 5 MB. A screenshot or a Read of a large image file is stored in the transcript as base64 and re-sent with every later request, so one oversized image breaks the whole session. The fix replaces the image with a short text placeholder. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        ["image exceeds 5 MB maximum", "An image in the conversation exceeds the dimension limit for many-image requests (2000px)"],
        ["resume", "http-400", "size"],
        options: [new("maxBytes", RuleOptionType.Integer, "Largest decoded image size in bytes that is not reported (the providers' limit is 5 MB).") { Default = DefaultMaxBytes, Minimum = 1 }]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        var max = start.Options.GetInt64("maxBytes", DefaultMaxBytes);
        var images = new List<(Entry Entry, string Pointer, long Bytes)>();
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
                    Check(block, b.JsonPointer, e.Entry, max, images);
                }
                else if (block.TryGetProperty("content"u8, out var inner) && inner.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var item in inner.EnumerateArray())
                    {
                        Check(item, b.JsonPointer + "/content/" + ChainEdits.N(i++), e.Entry, max, images);
                    }
                }
            }
        });
        start.RegisterIndexAction(ctx =>
        {
            foreach (var (entry, pointer, bytes) in images.Where(i => Queries.IsInResumeContext(ctx.Index, i.Entry)))
            {
                var placeholder = new JsonObject
                {
                    ["type"] = "text",
                    ["text"] = $"[Image removed by TranscriptLint: {Formatting.Size(bytes)}, over the {Formatting.Size(max)} limit]",
                };
                var fix = new Fix("Replace the image with a text placeholder", Applicability.Unsafe, [ReplaceValue.With(entry.Ref, pointer, placeholder)]);
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry, pointer), fix, Formatting.Size(bytes), Formatting.Size(max)));
            }
        });
    });

    private static void Check(JsonElement block, string pointer, Entry entry, long max, List<(Entry, string, long)> images)
    {
        if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type"u8, out var t) || t.ValueKind != JsonValueKind.String || !t.ValueEquals("image")
            || !block.TryGetProperty("source"u8, out var source) || source.ValueKind != JsonValueKind.Object
            || !source.TryGetProperty("data"u8, out var data) || data.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var bytes = DecodedLength(JsonMarshal.GetRawUtf8Value(data));
        if (bytes > max)
        {
            images.Add((entry, pointer, bytes));
        }
    }

    // Base64 decodes 4 characters to 3 bytes; '=' padding and JSON-escaped line breaks do not count.
    internal static long DecodedLength(ReadOnlySpan<byte> rawUtf8)
    {
        long chars = 0;
        foreach (var c in rawUtf8)
        {
            if (char.IsAsciiLetterOrDigit((char)c) || c is (byte)'+' or (byte)'/' or (byte)'-' or (byte)'_')
            {
                chars++;
            }
        }

        return chars * 3 / 4;
    }
}
