using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.ToolPairing;

/// <summary>TL3001: a tool call on the resume chain has no result in the next message.</summary>
public sealed class TL3001ToolCallWithoutResultRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ToolCallWithoutResult,
        "tool-call-without-result",
        "Tool call has no result",
        "Tool call {0} ({1}) has no result {2}; {3}",
        RuleCategories.ToolPairing,
        Severity.Error,
        "Providers require every tool call to be answered by a result in the very next message. A crash, a kill, a 429 or an interrupted parallel call leaves a call without a result, and every later request of the session is rejected. The fix inserts an error result saying the call was interrupted. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Sometimes,
        [
            "`tool_use` ids were found without `tool_result` blocks immediately after",
            "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'",
            "No tool output found for function call",
        ],
        ["resume", "http-400"],
        "very-high");

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private const string EveryRequestFails = "every request after it fails with HTTP 400";
    private const string HarnessAnswers = "the harness papers over it on resume, but older versions and other readers of the file send it unanswered";

    private static bool AnsweredByHarness(IndexContext ctx, bool atEnd) => ctx.Transcript.Traits.AnswersUnansweredCalls switch
    {
        UnansweredCallRepair.Anywhere => true,
        UnansweredCallRepair.AtEnd => atEnd,
        _ => false,
    };

    // Whether the session ends with this message's turn: nothing after it but results of its calls (the parallel
    // calls that did finish before the kill).
    private static bool OnlyResultsAfter(ConversationIndex index, int i)
    {
        for (var j = i + 1; j < index.MessageCount; j++)
        {
            var message = index.MessageAt(j);
            if (message.Role == MessageRole.Assistant)
            {
                return false;
            }

            for (var b = 0; b < message.BlockCount; b++)
            {
                if (message.BlockAt(b).Kind != BlockKind.ToolResult)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        HashSet<string>? resultIds = null;
        for (var i = 0; i < index.MessageCount; i++)
        {
            var message = index.MessageAt(i);
            if (message.Role != MessageRole.Assistant || !Queries.HasBlock(message, BlockKind.ToolCall))
            {
                continue; // (a message without calls makes no sets: most of a conversation's messages)
            }

            // A call at the end of the chain is unanswered too: when the harness was killed while the tool ran,
            // a resume sends the next prompt right after the call, and the provider rejects the request.
            var answered = Queries.NextTurnResultIds(index, i);
            // A result that exists but comes after a prompt is in the wrong place, not missing: TL3005's.
            var late = Queries.LateResults(index, i);
            for (var k = 0; k < late.Count; k++) // (no iterator per message with calls)
            {
                answered.Add(late[k].ToolId!);
            }

            for (var b = 0; b < message.BlockCount; b++)
            {
                var call = message.BlockAt(b);
                if (call.Kind != BlockKind.ToolCall || call.ToolId is not { } id || answered.Contains(id))
                {
                    continue;
                }

                // A real result written somewhere resume cannot reach (TL2003) must not be shadowed by a fake one:
                // re-attaching it is TL2003's fix.
                var fix = (resultIds ??= ResultIds(index)).Contains(id)
                    ? null
                    : new Fix($"Insert an error result for {id}", Applicability.Safe, InsertResult(index, index.ResultAnchorOf(call.Entry, id), id));
                var atEnd = OnlyResultsAfter(index, i);
                var where = atEnd ? "before the session ends (it was cut off while the tool ran)" : "in the next message";
                // Where the harness's own resume sends an interrupted result for it, only other readers of the file break.
                var effect = AnsweredByHarness(ctx, atEnd) ? HarnessAnswers : EveryRequestFails;
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(call.Entry, call.JsonPointer), fix, id, call.ToolName ?? "unknown tool", where, effect));
            }
        }
    }

    // The ids of every tool result in the file, on or off the chain: made once a file, at its first unanswered call
    // (it was a walk over every entry for each such call).
    private static HashSet<string> ResultIds(ConversationIndex index)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < index.Count; i++)
        {
            var entry = index[i];
            for (var b = 0; b < index.BlockCountOf(entry); b++)
            {
                if (index.BlockOf(entry, b) is { Kind: BlockKind.ToolResult, ToolId: { } id })
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    // The synthetic result goes right after the call's line. When the call's line is where the chain leaves
    // the response (its chain child is not another line of the same response), the entry that followed it is
    // re-parented onto the result so a resume walks through it; otherwise the result hangs off the call's
    // line like every real parallel result does, and resume re-attaches it.
    private static List<FixEdit> InsertResult(ConversationIndex index, EntryHandle callEntry, string toolId)
    {
        var result = new SyntheticToolResult(toolId, SyntheticToolResult.InterruptedText, IsError: true)
        {
            EndsChain = index.HasParentGraph && index.ResumeLeaf == callEntry,
        };
        var edits = new List<FixEdit> { new InsertEntryAfter(callEntry.Ref, result) };
        if (!index.HasParentGraph || index.ChainChildOf(callEntry) is not { IsNone: false } child)
        {
            return edits;
        }

        var next = child;
        while (!next.IsNone && next.Kind is not (EntryKind.User or EntryKind.Assistant))
        {
            next = index.ChainChildOf(next);
        }

        var sameResponse = !next.IsNone && next.Kind == EntryKind.Assistant && next.MessageId is not null && next.MessageId == callEntry.MessageId;
        if (!sameResponse)
        {
            edits.Add(new SetParent(child.Ref, result.DerivedUuid));
        }

        return edits;
    }
}
