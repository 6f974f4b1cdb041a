using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.ToolPairing;

/// <summary>TL3002: a tool result on the resume chain answers no call of the previous assistant message.</summary>
public sealed class TL3002ToolResultWithoutCallRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ToolResultWithoutCall,
        "tool-result-without-call",
        "Tool result answers no call",
        "Tool result for {0} answers no tool call in the previous assistant message; every request fails with HTTP 400",
        RuleCategories.ToolPairing,
        Severity.Error,
        "A tool result must answer a call in the assistant message right before it. When the call was lost (a missing line, compaction, an interrupted write), the orphan result makes every request fail. The fix removes the orphan result, or its whole entry when nothing else is left. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        [
            "unexpected `tool_use_id` found in `tool_result` blocks",
            "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'",
            "No tool call found for function call output",
        ],
        ["resume", "http-400"],
        "very-high");

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        for (var i = 0; i < index.MessageCount; i++)
        {
            var message = index.MessageAt(i);
            if (message.Role == MessageRole.Assistant || !Queries.HasBlock(message, BlockKind.ToolResult))
            {
                continue; // (a message without results makes no set of calls: most of a conversation's messages)
            }

            if (Orphans(index, i) is not { } orphans)
            {
                continue;
            }

            foreach (var orphan in orphans)
            {
                var entry = orphan.Entry;
                var orphansInEntry = orphans.Count(o => o.Entry == entry);
                // Removing a result that holds output loses real content (its call may sit elsewhere, e.g. a chat file
                // with a user message between call and result): Safe only for an empty result, Unsafe otherwise.
                var fix = orphansInEntry == index.BlockCountOf(entry)
                    ? new Fix("Delete the orphan tool result entry", orphans.Any(o => o.Entry == entry && HasOutput(o)) ? Applicability.Unsafe : Applicability.Safe, GraphEdits.Splice(index, entry))
                    : new Fix("Remove the orphan tool result block", HasOutput(orphan) ? Applicability.Unsafe : Applicability.Safe, [new RemoveArrayElement(entry.Ref, ChainSplice.ArrayPointerOf(orphan), orphan.IndexInContent)]);
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry, orphan.JsonPointer), fix, orphan.ToolId ?? "(no id)"));
            }
        }
    }

    // The results of message i that answer no call of the assistant message before it, or null when there are none (a
    // loop: this runs for every message with results, and almost all of them have none).
    private static List<BlockHandle>? Orphans(ConversationIndex index, int i)
    {
        var calls = PreviousCallIds(index, i);
        var message = index.MessageAt(i);
        List<BlockHandle>? orphans = null;
        for (var b = 0; b < message.BlockCount; b++)
        {
            var r = message.BlockAt(b);
            // A result after a prompt that answers the calls before the prompt is misplaced, not an orphan: TL3005's.
            if (r.Kind == BlockKind.ToolResult && (r.ToolId is not { } id || !calls.Contains(id)) && !Queries.IsLateResult(index, i, r))
            {
                (orphans ??= []).Add(r);
            }
        }

        return orphans;
    }

    private static bool HasOutput(BlockHandle result) => result.TextLength > 0 || !result.IsWhitespaceOnly;

    private static HashSet<string> PreviousCallIds(ConversationIndex index, int i)
    {
        // Walk back over OpenAI-style tool messages to the assistant message they answer.
        var j = i - 1;
        while (j >= 0 && index.MessageAt(j).Role == MessageRole.Tool)
        {
            j--;
        }

        return j >= 0 && index.MessageAt(j) is { Role: MessageRole.Assistant } assistant ? Queries.CallIds(assistant) : [];
    }
}
