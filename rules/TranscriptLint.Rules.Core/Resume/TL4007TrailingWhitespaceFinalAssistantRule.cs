using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>TL4007: the chain ends with an assistant text that ends in whitespace.</summary>
public sealed class TL4007TrailingWhitespaceFinalAssistantRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.TrailingWhitespaceFinalAssistant,
        "trailing-whitespace-final-assistant",
        "Final assistant text ends with whitespace",
        "The final assistant message ends with whitespace; sent as the last message, the API rejects it",
        RuleCategories.Resume,
        Severity.Warning,
        "A request that ends with an assistant message (prefill) must not end with whitespace. A transcript whose last response ends in a newline or space fails when it is replayed as is (a client that continues the last response, an export replayed through the API). The fix trims the trailing whitespace.",
        FixAvailability.Always,
        ["final assistant content cannot end with trailing whitespace"],
        ["resume", "http-400", "prefill"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        // Trimmed text of every assistant text block that ends with whitespace (only the last one is used).
        var trimmed = new Dictionary<(int, int), string>();
        start.RegisterEntryAction(e =>
        {
            if (e.Entry.Kind != EntryKind.Assistant)
            {
                return;
            }

            foreach (var b in e.Entry.Blocks.Matching(b => b.Kind == BlockKind.Text && b.HasTrailingWhitespace && !b.IsWhitespaceOnly))
            {
                // Read where the dialect found the block: Claude Code's message.content, Codex's payload.content, …
                if (JsonPointers.Resolve(e.Json, ChainEdits.TextPointer(b)) is { ValueKind: JsonValueKind.String } value)
                {
                    trimmed[ChainEdits.Key(e.Entry, b)] = value.GetString()!.TrimEnd();
                }
            }
        });
        start.RegisterIndexAction(ctx => Check(ctx, trimmed));
    });

    private static void Check(IndexContext ctx, Dictionary<(int, int), string> trimmed)
    {
        // Where a request may not end on an assistant message at all, that is TL4009's finding, whatever its text.
        var index = ctx.Index;
        if (!ctx.Transcript.Profile.AllowsAssistantPrefill || index.MessageCount == 0 || index.MessageAt(index.MessageCount - 1) is not { Role: MessageRole.Assistant } last || last.BlockCount == 0)
        {
            return;
        }

        var b = last.BlockAt(last.BlockCount - 1);
        if (b.Kind != BlockKind.Text || !b.HasTrailingWhitespace || b.IsWhitespaceOnly
            || !trimmed.TryGetValue(ChainEdits.Key(b), out var text))
        {
            return; // whitespace-only text is TL4004's finding
        }

        var pointer = ChainEdits.TextPointer(b);
        var fix = new Fix("Trim the trailing whitespace", Applicability.Safe, [ReplaceValue.WithString(b.Entry.Ref, pointer, text)]);
        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(b.Entry, pointer), fix));
    }
}
