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

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        // A Codex reasoning item is an input item of its own that may end a turn (reasoning, call, reasoning): the
        // Responses API does not hold it to Anthropic's rule that the latest thinking is sent back unmodified.
        if (ctx.Transcript.Traits.ReasoningItemsAreUnordered)
        {
            return;
        }

        var index = ctx.Index;
        for (var m = 0; m < index.MessageCount; m++)
        {
            var message = index.MessageAt(m);
            if (message.Role != MessageRole.Assistant || message.IsSynthetic)
            {
                continue;
            }

            // A whitespace-only text block is not content (real 2.1.x responses carry "\n\n" lines).
            // Walked from the end, not filtered into a list: this runs on every response.
            var at = message.CanonicalBlockCount - 1;
            while (at >= 0 && message.CanonicalBlockAt(at).IsBlankText())
            {
                at--;
            }

            if (at < 0 || !message.CanonicalBlockAt(at).IsThinking())
            {
                continue;
            }

            var last = message.CanonicalBlockAt(at);
            while (at >= 0 && message.CanonicalBlockAt(at) is var b && (b.IsBlankText() || b.IsThinking()))
            {
                at--;
            }

            if (at < 0)
            {
                continue; // thinking only: Claude Code filters orphaned thinking-only messages before sending
            }

            var before = message.CanonicalBlockAt(at);
            var what = before.Kind switch
            {
                BlockKind.ToolCall => "tool call " + (before.ToolId ?? "(no id)"),
                BlockKind.Text => "text",
                _ => before.TypeName + " block",
            };
            var fix = new Fix("Remove the partial response and the results of its tool calls", Applicability.Unsafe, RemoveResponse(index, message));
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(last.Entry, last.JsonPointer), fix, message.ProviderMessageId ?? "(no id)", last.TypeName, what));
        }
    }

    // Every line of the response (on the chain or a side branch) and every result answering one of its calls goes;
    // children are re-parented onto the nearest surviving ancestor, so the next prompt follows the turn before.
    private static List<FixEdit> RemoveResponse(ConversationIndex index, MessageHandle message)
    {
        var id = message.ProviderMessageId;
        var own = new HashSet<EntryHandle>();
        for (var i = 0; i < message.EntryCount; i++)
        {
            own.Add(message.EntryAt(i));
        }

        var lines = new List<EntryHandle>();
        var callIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < index.Count; i++)
        {
            var e = index[i];
            if (e.Kind == EntryKind.Assistant && index.IsCanonical(e) && (own.Contains(e) || (id is not null && e.MessageId == id)))
            {
                lines.Add(e);
                for (var b = 0; b < index.BlockCountOf(e); b++)
                {
                    if (index.BlockOf(e, b) is { Kind: BlockKind.ToolCall, ToolId: { } callId })
                    {
                        callIds.Add(callId);
                    }
                }
            }
        }

        var edits = new List<FixEdit>();
        for (var i = 0; i < index.Count; i++)
        {
            var e = index[i];
            if (e.Kind is not (EntryKind.User or EntryKind.Tool) || !index.IsCanonical(e))
            {
                continue;
            }

            var answers = new List<BlockHandle>();
            var blocks = index.BlockCountOf(e);
            for (var b = 0; b < blocks; b++)
            {
                if (index.BlockOf(e, b) is { Kind: BlockKind.ToolResult, ToolId: { } resultId } result && callIds.Contains(resultId))
                {
                    answers.Add(result);
                }
            }

            if (answers.Count == 0)
            {
                continue;
            }

            if (answers.Count == blocks || answers.Any(b => b.IndexInContent < 0))
            {
                lines.Add(e);
            }
            else
            {
                edits.AddRange(answers.Select(b => (FixEdit)new RemoveArrayElement(e.Ref, ChainSplice.ArrayPointerOf(b), b.IndexInContent)));
            }
        }

        return [.. ChainSplice.SpliceAll(index, lines), .. edits];
    }
}
