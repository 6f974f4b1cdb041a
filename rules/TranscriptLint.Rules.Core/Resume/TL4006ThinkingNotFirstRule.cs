using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>TL4006: an assistant message holds thinking but does not start with it.</summary>
public sealed class TL4006ThinkingNotFirstRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ThinkingNotFirst,
        "thinking-not-first",
        "Thinking is not the first block of its message",
        "Message {0} holds thinking blocks but starts with a {1} block; the first block must be thinking",
        RuleCategories.Resume,
        Severity.Error,
        "When an assistant message contains thinking, the first block must be thinking or redacted_thinking. Reordered or merged lines (a lost first line, lines of two responses sharing an id) put text or a tool call first, and the request is rejected. Whitespace-only text before the thinking (the \"\\n\\n\" line Claude Code 2.1.x writes) is ignored. There is no automatic fix: moving a signed block is not safe.",
        FixAvailability.None,
        ["If an assistant message contains any thinking blocks, the first block must be thinking or redacted_thinking"],
        ["resume", "http-400", "thinking"],
        profileSeverities: [(ProviderProfile.OpenAIChat, Severity.Note), (ProviderProfile.OpenAIResponses, Severity.Note)]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        // The Responses API has no thinking-first rule: a Codex reasoning item is an input item of its own, and a
        // turn may hold several (reasoning, message, reasoning, call). Only Anthropic-shaped thinking is ordered.
        if (ctx.Transcript.Traits.ReasoningItemsAreUnordered)
        {
            return;
        }

        var index = ctx.Index;
        for (var m = 0; m < index.MessageCount; m++)
        {
            var message = index.MessageAt(m);

            // The first block that is not whitespace-only text, when the response holds thinking and it is not first.
            if (message.Role != MessageRole.Assistant || FirstBeforeThinking(message) is not { } first)
            {
                continue;
            }

            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(first.Entry, first.JsonPointer), null, message.Number, first.TypeName));
        }
    }

    private static BlockHandle? FirstBeforeThinking(MessageHandle message)
    {
        BlockHandle? first = null;
        for (var i = 0; i < message.CanonicalBlockCount; i++)
        {
            var b = message.CanonicalBlockAt(i);
            if (b.IsBlankText())
            {
                continue;
            }

            if (b.IsThinking())
            {
                return first; // null when the thinking is first
            }

            first ??= b;
        }

        return null; // no thinking
    }
}
