using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>TL4005: a thinking block on the resume chain has a missing, empty, truncated or redacted signature.</summary>
public sealed class TL4005InvalidThinkingSignatureRule : TranscriptRule
{
    /// <summary>Real signatures are base64 and hundreds of characters long; anything this short was cut.</summary>
    internal const int MinimumSignatureLength = 64;

    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.InvalidThinkingSignature,
        "invalid-thinking-signature",
        "Thinking block signature is missing or not genuine",
        "The thinking block's signature {0}; the API verifies signatures and rejects the request",
        RuleCategories.Resume,
        Severity.Error,
        "Each thinking block carries a signature the provider checks when the block is sent back. A block stored without it, or with a value that was truncated or replaced by a redaction marker (sanitised transcripts, exporters), cannot be verified and the request fails. The fix removes the thinking block; the model loses that reasoning, so it is unsafe. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        [
            "Invalid `signature` in `thinking` block",
            "thinking.signature: Field required",
        ],
        ["resume", "http-400", "thinking"],
        profileSeverities:
        [
            (ProviderProfile.OpenAIChat, Severity.Note), // thinking signatures are Anthropic's; a converter drops them
            (ProviderProfile.OpenAIResponses, Severity.Note),
        ]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        // Signatures that are present and non-empty but not genuine-looking, with what is wrong.
        var suspicious = new Dictionary<(int, int), string>();
        start.RegisterEntryAction(e =>
        {
            if (e.Entry.Kind != EntryKind.Assistant || !e.Entry.Blocks.Any(b => b.Kind == BlockKind.Thinking && b.SignatureLength > 0) || ChainEdits.ContentArray(e.Json) is not { } content)
            {
                return;
            }

            foreach (var b in e.Entry.Blocks.Matching(b => b.Kind == BlockKind.Thinking && b.SignatureLength > 0 && b.Index >= 0))
            {
                if (content[b.Index].TryGetProperty("signature"u8, out var sig) && sig.ValueKind == JsonValueKind.String && Classify(sig) is { } problem)
                {
                    suspicious[ChainEdits.Key(e.Entry, b)] = problem;
                }
            }
        });
        start.RegisterIndexAction(ctx => Check(ctx, suspicious));
    });

    /// <summary>
    /// <see cref="Classify(string)"/> read from the JSON value's bytes: a signature of base64 characters only, with no
    /// escape, is judged by its length without being decoded (signatures are kilobytes, and on every assistant line).
    /// </summary>
    internal static string? Classify(JsonElement signature)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(signature)[1..^1];
        return raw.IndexOfAnyExcept(Base64Bytes) >= 0
            ? Classify(signature.GetString()!) // an escape, or a character that is not base64: the full check says which
            : raw.Length < MinimumSignatureLength ? $"is only {ChainEdits.N(raw.Length)} characters long (truncated)" : null;
    }

    private static readonly System.Buffers.SearchValues<byte> Base64Bytes =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_"u8);

    /// <summary>What is wrong with a present, non-empty signature value, or null when it looks genuine.</summary>
    internal static string? Classify(string signature)
    {
        foreach (var c in signature)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_'))
            {
                // A redaction marker ("[REDACTED_SIGNATURE]") is a publisher's sanitisation of a copy, not damage a
                // harness does: the session it came from had its signature. Real files must lint clean, so no finding.
                return Thinking.IsRedactionMarker(signature) ? null : $"is not base64 (it contains '{c}')";
            }
        }

        return signature.Length < MinimumSignatureLength ? $"is only {ChainEdits.N(signature.Length)} characters long (truncated)" : null;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static void Check(IndexContext ctx, Dictionary<(int, int), string> suspicious)
    {
        foreach (var (_, b) in Queries.AssistantBlocks(ctx.Index))
        {
            var problem = b.Kind != BlockKind.Thinking ? null : b.SignatureLength switch
            {
                < 0 => "is missing",
                0 => "is empty",
                _ => suspicious.GetValueOrDefault(ChainEdits.Key(b)),
            };
            if (problem is null)
            {
                continue;
            }

            var fix = new Fix("Remove the thinking block", Applicability.Unsafe, ChainEdits.RemoveBlock(ctx.Index, b));
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(b.Entry, b.JsonPointer + "/signature"), fix, problem));
        }
    }
}
