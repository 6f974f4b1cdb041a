using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>
/// TL4011: a response on the resume chain (the lines sharing one <c>message.id</c>) whose last block is thinking:
/// the turn was cut off mid-stream after it had already produced a tool call or text (failure-modes-2026 F6).
/// </summary>
public sealed class TL4011ResponseEndsInThinkingRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ResponseEndsInThinking,
        "response-ends-in-thinking",
        "Response ends in a thinking block",
        "Response {0} ends in a {1} block after its {2}: the turn was cut off mid-stream, and the provider rejects the replayed message as modified",
        RuleCategories.Resume,
        Severity.Error,
        "A response whose last block is thinking was cut off while the model was still thinking, typically when a prompt was submitted during a long interleaved-thinking turn. Claude Code keeps the partial response, and a resume sends it back; the provider does not accept it as the response it returned. A response made only of thinking is not reported: Claude Code drops such orphaned thinking-only messages itself, and real sessions go on after them. The fix removes the whole partial response (every line of it and the results of its tool calls) and re-parents what follows onto what came before it; it is unsafe because the turn's output is lost. It edits a message before later thinking blocks, so on Claude 5.1+ block-bound signatures see docs/decisions/0001-fixes-before-signed-thinking.md.",
        FixAvailability.Always,
        ["`thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response."],
        ["resume", "http-400", "thinking"],
        profileSeverities:
        [
            (ProviderProfile.OpenAIChat, Severity.Note), // thinking blocks are Anthropic's; a converter drops them
            (ProviderProfile.OpenAIResponses, Severity.Note),
        ]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterConversationAction(Check);

    private static void Check(ConversationContext ctx)
    {
        // A Codex reasoning item is an input item of its own that may end a turn (reasoning, call, reasoning): the
        // Responses API does not hold it to Anthropic's rule that the latest thinking is sent back unmodified.
        if (ctx.Transcript.Traits.ReasoningItemsAreUnordered)
        {
            return;
        }

        var conversation = ctx.Conversation;
        foreach (var message in conversation.ResumeChain.Where(m => m.Role == MessageRole.Assistant && !m.IsSynthetic))
        {
            // A whitespace-only text block is not content (real 2.1.x responses carry "\n\n" lines).
            // Walked from the end, not filtered into a list: this runs on every response.
            var blocks = message.CanonicalBlocks;
            var at = blocks.Count - 1;
            while (at >= 0 && blocks[at].Block.IsBlankText())
            {
                at--;
            }

            if (at < 0 || !blocks[at].Block.IsThinking())
            {
                continue;
            }

            var last = blocks[at];
            while (at >= 0 && (blocks[at].Block.IsBlankText() || blocks[at].Block.IsThinking()))
            {
                at--;
            }

            if (at < 0)
            {
                continue; // thinking only: Claude Code filters orphaned thinking-only messages before sending
            }

            var before = blocks[at];
            var what = before.Block.Kind switch
            {
                BlockKind.ToolCall => "tool call " + (before.Block.ToolId ?? "(no id)"),
                BlockKind.Text => "text",
                _ => before.Block.TypeName + " block",
            };
            var fix = new Fix("Remove the partial response and the results of its tool calls", Applicability.Unsafe, RemoveResponse(conversation, message));
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(last.Entry, last.Block.JsonPointer), fix, message.ProviderMessageId ?? "(no id)", last.Block.TypeName, what));
        }
    }

    // Every line of the response (on the chain or a side branch) and every result answering one of its calls goes;
    // children are re-parented onto the nearest surviving ancestor, so the next prompt follows the turn before.
    private static List<FixEdit> RemoveResponse(Conversation conversation, Message message)
    {
        var id = message.ProviderMessageId;
        var lines = conversation.CanonicalEntries
            .Where(e => e.Kind == EntryKind.Assistant && (message.Entries.Contains(e, ReferenceEqualityComparer.Instance) || (id is not null && e.MessageId == id)))
            .ToList();
        var callIds = lines.SelectMany(e => e.Blocks).Where(b => b.Kind == BlockKind.ToolCall && b.ToolId is not null).Select(b => b.ToolId!).ToHashSet(StringComparer.Ordinal);
        var edits = new List<FixEdit>();
        foreach (var e in conversation.CanonicalEntries.Where(e => e.Kind is EntryKind.User or EntryKind.Tool))
        {
            var answers = e.Blocks.Where(b => b.Kind == BlockKind.ToolResult && b.ToolId is not null && callIds.Contains(b.ToolId)).ToList();
            if (answers.Count == 0)
            {
                continue;
            }

            if (answers.Count == e.Blocks.Count || answers.Any(b => b.Index < 0))
            {
                lines.Add(e);
            }
            else
            {
                edits.AddRange(answers.Select(b => (FixEdit)new RemoveArrayElement(e.Ref, ChainEdits.ArrayPointerOf(b), b.Index)));
            }
        }

        return [.. ChainEdits.SpliceAll(conversation, lines), .. edits];
    }
}
