using System.Runtime.InteropServices;
using System.Text.Json;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Size;

/// <summary>TL6003: the resume chain's estimated tokens exceed the profile's context window.</summary>
public sealed class TL6003ContextTooLongRule : TranscriptRule
{
    /// <summary>Rough bytes of JSON content per token, for content the provider has not counted.</summary>
    internal const int BytesPerToken = 4;

    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ContextTooLong,
        "context-too-long",
        "Resume would exceed the context window",
        "A resume would send about {0} tokens ({1}), more than the {2} tokens of the {3} context window",
        RuleCategories.Size,
        Severity.Error,
        "A resume sends the whole chain. When it is longer than the model's context window the first request fails, and so does compaction, which has to send the same history. The estimate uses the provider's own count where the transcript has one (the usage of the last response on the chain: input, cache reads and writes, output) plus about one token per 4 bytes of content after it; otherwise 4 bytes per token for the whole chain. The window comes from the provider profile; once the provider has answered more tokens than that in this file, the model evidently has the large 1M-token window. Option contextWindow overrides both. There is no automatic fix: compact or fork the session.",
        FixAvailability.None,
        [
            "prompt is too long: {n} tokens > {max} maximum",
            "input length and `max_tokens` exceed context limit",
            "This model's maximum context length is {n} tokens",
        ],
        ["size", "context", "http-400"],
        options: [new("contextWindow", RuleOptionType.Integer, "Context window in tokens; overrides the provider profile's (anthropic, bedrock, vertex: 200000; openai-chat: 128000; openai-responses: 400000).") { Minimum = 1 }]);

    private const int ImageTokens = 1_600;

    /// <summary>The large window tier (Anthropic's and OpenAI's 1M-token models), assumed once the provider has answered past the default.</summary>
    private const long LargeContextWindowTokens = 1_000_000;

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        var usage = new LineTable(); // by line: the tokens an assistant line's usage counts
        long answered = 0;
        var contentBytes = new LineTable(); // by line: the size of a conversational line's content
        var lastUsage = new UsageMemo();
        start.RegisterEntryAction(e =>
        {
            if (!e.Entry.IsConversational || !e.Json.TryGetProperty("message"u8, out var message) || message.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (message.TryGetProperty("content"u8, out var content))
            {
                // An image costs about 1,600 tokens whatever its base64 size (Anthropic: width x height / 750,
                // capped near 1.15 megapixels), so count it as that, not as 4 bytes per token of base64.
                long bytes = JsonMarshal.GetRawUtf8Value(content).Length;
                var blocks = e.Entry.Blocks;
                for (var i = 0; i < blocks.Count; i++) // by index: no enumerator per line
                {
                    if (blocks[i].Kind == BlockKind.Image)
                    {
                        bytes += (ImageTokens * BytesPerToken) - blocks[i].ByteSize;
                    }
                }

                contentBytes[e.Entry.Line.Number] = bytes;
            }

            if (e.Entry.Kind == EntryKind.Assistant && !e.Entry.IsSynthetic && message.TryGetProperty("usage"u8, out var u) && u.ValueKind == JsonValueKind.Object)
            {
                var total = lastUsage.Tokens(u);
                if (total > 0)
                {
                    usage[e.Entry.Line.Number] = total;

                    // Only a larger count can raise what was answered, so the model is read only then (the lines of
                    // one response repeat its usage).
                    if (total > answered && SameFamily(start.Transcript.Profile, message))
                    {
                        answered = total;
                    }
                }
            }
        });
        start.RegisterIndexAction(ctx => Check(ctx, usage, answered, contentBytes));
    });

    // Only the profile's own provider proves its window: a Claude response says nothing about an OpenAI model's.
    private static bool SameFamily(ProviderProfile profile, JsonElement message)
    {
        // Judged on pooled characters, no string: this runs on every assistant line.
        var claude = JsonValues.String(message, "model"u8) is { } model && JsonValues.Test(model, static name => name.Contains("claude", StringComparison.OrdinalIgnoreCase));
        return profile.Name.StartsWith("openai", StringComparison.Ordinal) ? !claude && JsonValues.HasText(message, "model"u8) : claude;
    }

    // The lines of one response repeat its usage as written, so the last one read is kept with its total: a line whose
    // usage has the same bytes is not read again.
    private sealed class UsageMemo
    {
        private byte[]? _raw; // the last usage read, as written (its first _length bytes)
        private int _length;
        private long _total;

        public long Tokens(JsonElement usage)
        {
            var raw = JsonMarshal.GetRawUtf8Value(usage);
            if (_raw is not null && raw.SequenceEqual(_raw.AsSpan(0, _length)))
            {
                return _total;
            }

            _total = TL6003ContextTooLongRule.Tokens(usage);
            if (_raw is null || raw.Length > _raw.Length)
            {
                _raw = new byte[Math.Max(raw.Length, 2 * (_raw?.Length ?? 0))];
            }

            raw.CopyTo(_raw);
            _length = raw.Length;
            return _total;
        }
    }

    // The four counts in one pass over usage's properties, not four lookups that each scan it from the end; a repeated
    // name counts its last value, as a lookup by name reads it.
    private static long Tokens(JsonElement usage)
    {
        long input = 0, created = 0, read = 0, output = 0;
        foreach (var p in usage.EnumerateObject())
        {
            // Every assistant line has a usage: its names are told apart by length and bytes as written (a name
            // compared through the parser is checked for escapes first); an escaped name is compared decoded.
            var name = JsonMarshal.GetRawUtf8PropertyName(p);
            var field = name.Contains((byte)'\\') ? Field(p) : Field(name);
            switch (field)
            {
                case UsageField.Input: input = Count(p.Value); break;
                case UsageField.CacheCreation: created = Count(p.Value); break;
                case UsageField.CacheRead: read = Count(p.Value); break;
                case UsageField.Output: output = Count(p.Value); break;
                default: break;
            }
        }

        return input + created + read + output;
    }

    private enum UsageField
    {
        Other,
        Input,
        CacheCreation,
        CacheRead,
        Output,
    }

    private static UsageField Field(ReadOnlySpan<byte> name) => name.Length switch
    {
        12 when name.SequenceEqual("input_tokens"u8) => UsageField.Input,
        13 when name.SequenceEqual("output_tokens"u8) => UsageField.Output,
        23 when name.SequenceEqual("cache_read_input_tokens"u8) => UsageField.CacheRead,
        27 when name.SequenceEqual("cache_creation_input_tokens"u8) => UsageField.CacheCreation,
        _ => UsageField.Other,
    };

    private static UsageField Field(JsonProperty escaped) => escaped.NameEquals("input_tokens"u8) ? UsageField.Input
        : escaped.NameEquals("output_tokens"u8) ? UsageField.Output
        : escaped.NameEquals("cache_read_input_tokens"u8) ? UsageField.CacheRead
        : escaped.NameEquals("cache_creation_input_tokens"u8) ? UsageField.CacheCreation
        : UsageField.Other;

    private static long Count(JsonElement v) => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n > 0 ? n : 0;

    private static void Check(IndexContext ctx, LineTable usage, long answered, LineTable contentBytes)
    {
        var index = ctx.Index;
        var count = index.MessageCount;
        if (count == 0)
        {
            return;
        }

        // A request the provider answered proves the model's window is larger than the profile's default (a session
        // on a 1M-token model runs past 200,000): the window is then the large tier, never less than what was
        // answered. An explicit contextWindow option is the user's word and is kept as given.
        long window = ctx.Transcript.Profile.ContextWindowTokens;
        if (answered > window)
        {
            window = Math.Max(answered, LargeContextWindowTokens);
        }

        window = ctx.Options.GetInt64("contextWindow", window);
        var counted = -1;
        long tokens = 0;
        for (var i = count - 1; i >= 0 && counted < 0; i--)
        {
            if (index.MessageAt(i) is { Role: MessageRole.Assistant } message && MaxOver(message, usage) is var u and > 0)
            {
                counted = i;
                tokens = u;
            }
        }

        long estimatedBytes = 0;
        for (var i = counted + 1; i < count; i++)
        {
            var message = index.MessageAt(i);
            for (var e = 0; e < message.EntryCount; e++)
            {
                estimatedBytes += contentBytes[message.EntryAt(e).Line.Number];
            }
        }

        tokens += estimatedBytes / BytesPerToken;
        if (tokens <= window)
        {
            return;
        }

        var how = counted >= 0
            ? $"the provider's count for message {ChainEdits.N(counted)} plus an estimate for the {ChainEdits.N(count - counted - 1)} messages after it"
            : "estimated from the content size";
        var leaf = index.MessageAt(count - 1).LastEntry;
        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(leaf), null, ChainEdits.N(tokens), how, ChainEdits.N(window), ctx.Transcript.Profile.Name));
    }

    // The largest usage any line of the message recorded (the lines of one response repeat it).
    private static long MaxOver(MessageHandle message, LineTable usage)
    {
        var max = long.MinValue;
        for (var e = 0; e < message.EntryCount; e++)
        {
            max = Math.Max(max, usage[message.EntryAt(e).Line.Number]);
        }

        return max;
    }
}
