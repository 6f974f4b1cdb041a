using System.Text.Json;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Lookup;

/// <summary>
/// TL7001: the session's first prompt ends beyond the head of the file that Claude Code's session list reads, and no
/// title in the tail names the session, so /resume and the picker cannot find it (failure-modes-2026 F3).
/// </summary>
public sealed class TL7001FirstPromptOutsideHeadWindowRule : TranscriptRule
{
    /// <summary>The head and tail Claude Code reads per session file (65,536 bytes in 2.1.81; 16,384 in 2.1.31-2.1.42).</summary>
    public const long DefaultWindowBytes = 64 * 1024;

    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.FirstPromptOutsideHeadWindow,
        "first-prompt-outside-head-window",
        "First prompt lies beyond the part of the file the session list reads",
        "The first prompt (line {0}) ends at byte {1}, beyond the first {2} that Claude Code reads to list a session, and no custom title lies in the last {2}; /resume and the session picker cannot find the session (resume it by id)",
        RuleCategories.Lookup,
        Severity.Warning,
        "Claude Code lists sessions without reading whole files: it reads the first bytes of each file for the first prompt and the last bytes for a custom title (16 KB each in 2.1.31-2.1.42, 64 KB in later builds), and it drops a session that has neither. A first prompt that does not end inside the head (a pasted plan, an IDE message carrying a base64 screenshot) cannot be parsed from it, so the session disappears from /resume and the picker although the file is valid. The window is the option windowBytes. There is no fix that keeps the file as it is; renaming the session (/rename) writes a title that rescues it while it stays in the tail.",
        FixAvailability.None,
        ["Session {id} was not found."],
        ["resume", "lookup"],
        options: [new("windowBytes", RuleOptionType.Integer, "How many bytes of the head and of the tail of a session file Claude Code reads to list it (65536 in current builds, 16384 in 2.1.31-2.1.42).") { Default = DefaultWindowBytes, Minimum = 1 }]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        // Only Claude Code's per-session files are listed this way.
        if (!start.Transcript.Traits.HasEntryEnvelope)
        {
            return;
        }

        var window = start.Options.GetInt64("windowBytes", DefaultWindowBytes);
        Entry? first = null;
        long size = 0;
        long lastTitleStart = -1;
        start.RegisterLineAction(l => size = Math.Max(size, l.Line.ByteOffset + l.Line.ContentLength));
        start.RegisterEntryAction(e =>
        {
            if (e.Entry.TypeName == "custom-title")
            {
                lastTitleStart = e.Entry.Line.ByteOffset;
            }

            if (first is null && IsFirstPrompt(e.Entry, e.Json))
            {
                first = e.Entry;
            }
        });
        start.RegisterTranscriptEndAction(ctx =>
        {
            if (first is not { } prompt || size <= window)
            {
                return;
            }

            var end = prompt.Line.ByteOffset + prompt.Line.ContentLength;
            var titled = lastTitleStart >= 0 && lastTitleStart >= size - window;
            if (end > window && !titled)
            {
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(prompt), null, ChainEdits.N(prompt.Line.Number), ChainEdits.N(end), Formatting.Size(window)));
            }
        });
    });

    // What Claude Code takes as the first prompt: a user line that is not harness-injected (isMeta), not a tool
    // result and not an interruption notice or a command/caveat wrapper.
    private static bool IsFirstPrompt(Entry entry, JsonElement json)
    {
        if (entry.Kind != EntryKind.User || entry.IsMeta || entry.Blocks.Any(b => b.Kind == BlockKind.ToolResult)
            || !json.TryGetProperty("message"u8, out var message) || message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content"u8, out var content))
        {
            return false;
        }

        var text = content.ValueKind == JsonValueKind.String
            ? content.GetString()
            : content.ValueKind == JsonValueKind.Array
                ? content.EnumerateArray().Select(b => JsonValues.Is(b, "type"u8, "text"u8) ? JsonValues.Text(b, "text"u8) : null).FirstOrDefault(t => t is not null)
                : null;
        var start = text?.TrimStart() ?? "";
        // An image-only prompt still counts once its line is read; a line without text is not a prompt.
        return (start.Length > 0 || entry.Blocks.Any(b => b.Kind == BlockKind.Image))
            && !start.StartsWith("[Request interrupted", StringComparison.Ordinal) && !start.StartsWith('<') && !start.StartsWith("Caveat:", StringComparison.Ordinal);
    }
}
