using System.Runtime.InteropServices;
using System.Text.Json;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Size;

/// <summary>TL6002: a tool result on the resume chain is over the configured size.</summary>
public sealed class TL6002OversizedToolResultRule : TranscriptRule
{
    /// <summary>The default limit: 100 KB of JSON.</summary>
    public const long DefaultMaxBytes = 100 * 1024;

    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.OversizedToolResult,
        "oversized-tool-result",
        "Tool result is very large",
        "The result for {0} ({1}) is {2}, over the {3} limit; it fills the context on every later turn",
        RuleCategories.Size,
        Severity.Note,
        "A single huge tool result (a full log, a minified bundle, a database dump) is re-sent with every later request: it eats the context window, slows every turn and pushes the session toward compaction or 'prompt is too long'. The limit is configurable (option maxBytes, default 100 KB). There is no automatic fix: what part of the output matters is for a person to decide.",
        FixAvailability.None,
        ["prompt is too long"],
        ["size", "context"],
        options: [new("maxBytes", RuleOptionType.Integer, "Largest tool result size in bytes that is not reported.") { Default = DefaultMaxBytes, Minimum = 1 }]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    // The result's size without its image blocks: a screenshot's base64 is megabytes of JSON but costs the model
    // tokens by its pixels, not its bytes (and an image over the provider's limit is TL6001's). Real sessions
    // reported 1 MB Playwright screenshots as "filling the context".
    private static long TextSize(JsonElement inner, long size)
    {
        if (inner.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in inner.EnumerateArray())
            {
                if (JsonValues.Is(part, "type"u8, "image"u8))
                {
                    size -= JsonMarshal.GetRawUtf8Value(part).Length;
                }
            }
        }

        return size;
    }

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        var max = start.Options.GetInt64("maxBytes", DefaultMaxBytes);
        var sizes = new Dictionary<(int, int), long>();
        start.RegisterEntryAction(e =>
        {
            if (!e.Entry.Blocks.Any(b => b.Kind == BlockKind.ToolResult && b.Index >= 0) || ChainEdits.ContentArray(e.Json) is not { } content)
            {
                return;
            }

            foreach (var b in e.Entry.Blocks.Matching(b => b.Kind == BlockKind.ToolResult && b.Index >= 0))
            {
                // The raw length first (free); the image blocks are looked for only in a result over the limit.
                long size = content[b.Index].TryGetProperty("content"u8, out var inner) ? JsonMarshal.GetRawUtf8Value(inner).Length : 0;
                if (size > max)
                {
                    size = TextSize(inner, size);
                }


                if (size > max)
                {
                    sizes[ChainEdits.Key(e.Entry, b)] = size;
                }
            }
        });
        start.RegisterIndexAction(ctx =>
        {
            if (sizes.Count == 0)
            {
                return; // nothing over the limit: no table of every call's tool name
            }

            // Each call id's tool name, from its first call on the chain.
            var index = ctx.Index;
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var m = 0; m < index.MessageCount; m++)
            {
                var message = index.MessageAt(m);
                for (var i = 0; i < message.BlockCount; i++)
                {
                    if (message.BlockAt(i) is { Kind: BlockKind.ToolCall, ToolId: { } callId } call)
                    {
                        names.TryAdd(callId, call.ToolName ?? "unknown tool");
                    }
                }
            }

            for (var m = 0; m < index.MessageCount; m++)
            {
                var message = index.MessageAt(m);
                for (var i = 0; i < message.CanonicalBlockCount; i++)
                {
                    var r = message.CanonicalBlockAt(i);
                    if (r.Kind == BlockKind.ToolResult && sizes.TryGetValue(ChainEdits.Key(r), out var size))
                    {
                        var id = r.ToolId ?? "(no id)";
                        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(r.Entry, r.JsonPointer), null, id, names.GetValueOrDefault(id, "unknown tool"), Formatting.Size(size), Formatting.Size(max)));
                    }
                }
            }
        });
    });
}
