using System.Text.Json;
using System.Text.RegularExpressions;
using TranscriptLint;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace Acme.TranscriptRules;

/// <summary>
/// ACME1001: a user or assistant text block names a host of the company's internal domain
/// (<c>build01.corp.acme.example</c>). Transcripts get shared in bug reports; internal host names should not be.
/// The fix replaces each host name with <c>[internal-host]</c>.
/// </summary>
public sealed class InternalHostnameRule : TranscriptRule
{
    /// <summary>The descriptor: metadata readable without running the rule (docs, `rules`, SARIF).</summary>
    public static readonly RuleDescriptor Descriptor = new(
        AcmeRuleIds.InternalHostnameInText,
        "internal-hostname-in-text",
        "Message text names an internal host",
        "Message text names the internal host {0}",
        "Security",
        Severity.Warning)
    {
        FullDescription = "Transcripts are attached to bug reports and shared with vendors. A host name of the internal domain (option 'domain', default corp.acme.example) in a user or assistant text block leaks the network layout. The fix replaces each such host name with [internal-host].",
        HelpMarkdown = Docs.For(AcmeRuleIds.InternalHostnameInText),
        FixAvailability = FixAvailability.Always,
        Tags = ["acme", "privacy"],
        // Declared options: transcriptlint refuses a config that misspells one or gives it the wrong type.
        Options = [new RuleOptionDescriptor("domain", RuleOptionType.String, "The internal domain whose host names are reported.") { Default = DefaultDomain }],
    };

    /// <summary>The text that replaces a host name.</summary>
    public const string Placeholder = "[internal-host]";

    /// <summary>The domain used when the config sets no <c>domain</c> option.</summary>
    public const string DefaultDomain = "corp.acme.example";

    /// <inheritdoc/>
    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    /// <inheritdoc/>
    public override void Initialize(RuleInitializationContext context) =>
        context.RegisterTranscriptStartAction(start =>
        {
            // Per transcript: read the option once and build the pattern. Rules keep no state in fields.
            var domain = start.Options.GetString("domain", DefaultDomain) ?? DefaultDomain;
            var hosts = new Regex(@"\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+" + Regex.Escape(domain) + @"\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            start.RegisterEntryAction(ctx => Check(ctx, hosts));
        });

    private static void Check(EntryContext ctx, Regex hosts)
    {
        if (ctx.Entry.Kind is not (EntryKind.User or EntryKind.Assistant))
        {
            return;
        }

        foreach (var block in ctx.Entry.Blocks)
        {
            // Only plain text: a thinking block is signed, and changing it would break the signature.
            if (block.Kind != BlockKind.Text)
            {
                continue;
            }

            // String content ("content": "…") points at the string; a block ({"type":"text","text":"…"}) at its "text".
            var textPointer = block.Index < 0 ? block.JsonPointer : block.JsonPointer + "/text";
            if (Resolve(ctx.Json, textPointer) is not { ValueKind: JsonValueKind.String } value)
            {
                continue;
            }

            var text = value.GetString()!;
            var matches = hosts.Matches(text);
            if (matches.Count == 0)
            {
                continue;
            }

            var names = matches.Select(m => m.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var fix = new Fix(
                $"Replace {string.Join(", ", names)} with {Placeholder}",
                Applicability.Unsafe, // it changes what the conversation says: applied only with --unsafe-fixes
                [ReplaceValue.WithString(ctx.Entry.Ref, textPointer, hosts.Replace(text, Placeholder))]);
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(ctx.Entry, textPointer), fix, string.Join(", ", names)));
        }
    }

    private static JsonElement? Resolve(JsonElement root, string pointer)
    {
        var current = root;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var i) && i < current.GetArrayLength())
            {
                current = current[i];
            }
            else
            {
                return null;
            }
        }

        return current;
    }
}
