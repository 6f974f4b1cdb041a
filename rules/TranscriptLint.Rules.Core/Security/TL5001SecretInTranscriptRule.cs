using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Security;

/// <summary>TL5001: a credential (cloud, GitHub, provider or Slack key, private key, JWT, URL password) in any string.</summary>
public sealed class TL5001SecretInTranscriptRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.SecretInTranscript,
        "secret-in-transcript",
        "Credential stored in the transcript",
        "This line holds a credential ({0}) {1}; anyone who reads or shares the transcript can use it",
        RuleCategories.Security,
        Severity.Warning,
        "Agents read .env files, print tokens and paste connection strings; every tool result is written to the transcript in plain text and kept, synced and shared. The rule finds AWS access keys, GitHub tokens, Anthropic and OpenAI keys, Slack tokens and webhooks, private-key PEM blocks, JWTs and passwords in URLs. The fix redacts each secret in place, keeping the line valid JSON; inside a thinking block it removes the block instead, because an edited thinking block fails its signature check. Rotate the credential too: redaction does not un-leak it. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        [],
        ["security", "privacy", "secrets"],
        "high",
        securitySeverity: 8.0);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        var found = new List<(Entry Entry, List<Hit> Hits)>();
        var triggers = new List<int>(); // one line's trigger positions, reused
        start.RegisterEntryAction(e =>
        {
            // Most lines hold no trigger anywhere in their bytes: they are passed over without decoding a string. In the
            // others, every value whose bytes hold no trigger is skipped whole (most of the line, usually), and the
            // line's bytes are searched once, not again per string.
            triggers.Clear();
            SecretPatterns.TriggerPositions(e.Bytes, 0, triggers);
            SecretPatterns.DropInertTriggers(e.Bytes, triggers); // most lines with a trigger hold only URLs and words like task-
            if (triggers.Count == 0)
            {
                return;
            }

            var hits = new List<Hit>();
            var line = new LineSpan(e.Bytes, triggers);
            Scan(e.Json, [], hits, ref line);
            if (hits.Count > 0)
            {
                found.Add((e.Entry, hits));
            }
        });
        start.RegisterIndexAction(ctx =>
        {
            foreach (var (entry, hits) in found)
            {
                Report(ctx, entry, hits);
            }
        });
    });

    /// <summary>One string value holding secrets: where, which families, and the redacted text.</summary>
    private sealed record Hit(string Pointer, IReadOnlyList<string> Families, string Redacted);

    // The path from the entry's root to the value being scanned: a property (its name read only for a hit) or an index.
    private readonly record struct Step(JsonProperty? Property, int Index);

    // The line's bytes and where its triggers start. A value's raw bytes are a slice of the line (the document was
    // parsed from it without a copy), so its offset says whether a trigger starts inside it; a value whose bytes lie
    // elsewhere (a copy) is searched on its own.
    private readonly ref struct LineSpan(ReadOnlySpan<byte> bytes, List<int> triggers)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public bool HoldsNoTrigger(JsonElement value)
        {
            var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
            var offset = (long)System.Runtime.CompilerServices.Unsafe.ByteOffset(
                ref System.Runtime.InteropServices.MemoryMarshal.GetReference(_bytes),
                ref System.Runtime.InteropServices.MemoryMarshal.GetReference(raw));
            if (offset < 0 || offset + raw.Length > _bytes.Length)
            {
                return !SecretPatterns.MayHoldTrigger(raw);
            }

            // The first trigger at or after the value's start; none inside it means nothing to decode or walk.
            var at = triggers.BinarySearch((int)offset);
            var next = at >= 0 ? at : ~at;
            return next >= triggers.Count || triggers[next] >= offset + raw.Length;
        }
    }

    private static void Scan(JsonElement value, List<Step> path, List<Hit> hits, ref LineSpan line)
    {
        if (line.HoldsNoTrigger(value))
        {
            return; // no trigger in it: nothing to decode or walk
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var opaqueData = value.TryGetProperty("type"u8, out var t) && t.ValueKind == JsonValueKind.String
                    && (t.ValueEquals("base64"u8) || t.ValueEquals("redacted_thinking"u8) || t.ValueEquals("reasoning"u8));
                foreach (var p in value.EnumerateObject())
                {
                    // Signatures and base64 payloads are opaque: random bytes can look like anything.
                    if (p.NameEquals("signature"u8) || (opaqueData && (p.NameEquals("data"u8) || p.NameEquals("encrypted_content"u8))))
                    {
                        continue;
                    }

                    path.Add(new Step(p, 0));
                    Scan(p.Value, path, hits, ref line);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    path.Add(new Step(null, i++));
                    Scan(item, path, hits, ref line);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonValueKind.String:
                // The string as written holds a trigger (checked above); a huge one is searched in windows before it is decoded.
                if (!SecretPatterns.MayHoldSecret(value))
                {
                    break; // a huge string with no secret is scanned in windows, never materialised
                }

                var matches = SecretPatterns.Find(value, out var text);
                if (matches.Count > 0)
                {
                    hits.Add(new Hit(Pointer(path), [.. matches.Select(m => m.Family).Distinct()], SecretPatterns.Redact(text!, matches)));
                }

                break;
        }
    }

    private static string Pointer(List<Step> path) =>
        string.Concat(path.Select(s => "/" + (s.Property is { } p ? Escape(p.Name) : ChainEdits.N(s.Index))));

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static void Report(IndexContext ctx, Entry entry, List<Hit> hits)
    {
        var edits = new List<FixEdit>();
        var removedBlocks = new HashSet<int>();
        foreach (var hit in hits)
        {
            if (ThinkingBlockOf(entry, hit.Pointer) is { } ordinal && ctx.Index.HandleOf(entry) is { IsNone: false } handle)
            {
                var block = ctx.Index.BlockOf(handle, ordinal);
                if (removedBlocks.Add(block.IndexInContent))
                {
                    edits.AddRange(ChainEdits.RemoveBlock(ctx.Index, block));
                }

                continue;
            }

            edits.Add(ReplaceValue.WithString(entry.Ref, hit.Pointer, hit.Redacted));
        }

        // A removed line needs no other edits.
        if (edits.OfType<DeleteEntry>().Any(d => d.Target == entry.Ref))
        {
            edits = [.. edits.Where(e => e is not ReplaceValue && e is not RemoveArrayElement)];
        }

        var families = hits.SelectMany(h => h.Families).Distinct().ToList();
        var what = string.Join(", ", families);
        var where = hits.Count == 1 ? "at " + hits[0].Pointer : $"in {ChainEdits.N(hits.Count)} strings, first at {hits[0].Pointer}";
        var title = removedBlocks.Count > 0 ? "Redact the secrets (removing the thinking block that holds one)" : "Redact the secrets in place";
        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry, hits[0].Pointer), new Fix(title, Applicability.Unsafe, edits), what, where));
    }

    // The thinking block a pointer points into (/message/content/N/...), if any: its place in the entry's blocks.
    private static int? ThinkingBlockOf(Entry entry, string pointer)
    {
        const string Prefix = "/message/content/";
        if (!pointer.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = pointer[Prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var indexText = slash < 0 ? rest : rest[..slash];
        if (!int.TryParse(indexText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return null;
        }

        for (var ordinal = 0; ordinal < entry.Blocks.Count; ordinal++)
        {
            if (entry.Blocks[ordinal] is { } b && b.Index == index && b.IsThinking())
            {
                return ordinal;
            }
        }

        return null;
    }
}
