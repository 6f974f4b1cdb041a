using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.ToolPairing;

/// <summary>TL3003: two tool calls on the resume chain share one id.</summary>
public sealed class TL3003DuplicateToolCallIdRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.DuplicateToolCallId,
        "duplicate-tool-call-id",
        "Two tool calls share one id",
        "Tool call id {0} ({1}) was already used by the call on line {2}; the API rejects a request whose tool_use ids repeat",
        RuleCategories.ToolPairing,
        Severity.Error,
        "Every tool call id in a request must be unique. A harness regression, a model or mode switch, or a re-appended block can write the same call twice; every later request of the session is rejected. When the later call is a byte-identical copy, the fix removes it and the result that answers it. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Sometimes,
        ["`tool_use` ids must be unique"],
        ["resume", "http-400"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) =>
        context.RegisterTranscriptStartAction(start => start.RegisterIndexAction(Check));

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        var first = new Dictionary<string, (int Message, BlockHandle Call)>(StringComparer.Ordinal);
        foreach (var (i, call) in Queries.AssistantBlocks(index))
        {
            var message = index.MessageAt(i);
            if (call.Kind != BlockKind.ToolCall || call.ToolId is not { Length: > 0 } id)
            {
                continue;
            }

            if (!first.TryGetValue(id, out var earlier))
            {
                first[id] = (i, call);
                continue;
            }

            var identical = IsAssistantCall(earlier.Call) && IsAssistantCall(call) && ChainEdits.SameBlockText(ctx, earlier.Call, call);
            Fix? fix = null;
            if (identical)
            {
                var remove = new List<EntryHandle>();
                var edits = new List<FixEdit>();
                AddRemoval(index, call, remove, edits);

                // When the repeated call was the response's only real content, the lines left (the opening
                // "\n\n" line) would make an empty message: they go too.
                if (OnlyBlankBesides(message, call))
                {
                    for (var e = 0; e < message.CanonicalEntryCount; e++)
                    {
                        if (message.CanonicalEntryAt(e) is var entry && !remove.Contains(entry))
                        {
                            remove.Add(entry);
                        }
                    }

                    edits.Clear();
                }

                var result = ResultOf(index, i, id, sameMessageAsFirst: earlier.Message == i);
                if (result is { } answer)
                {
                    AddRemoval(index, answer, remove, edits);
                }

                edits.InsertRange(0, ChainSplice.SpliceAll(index, remove));
                fix = new Fix(result is null ? $"Remove the repeated call {id}" : $"Remove the repeated call {id} and its result", Applicability.Unsafe, edits);
            }

            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(call.Entry, call.JsonPointer), fix, id, call.ToolName ?? "unknown tool", earlier.Call.Entry.Line.Number));
        }
    }

    // Whether every block of the message but the call is whitespace-only text.
    private static bool OnlyBlankBesides(MessageHandle message, BlockHandle call)
    {
        for (var b = 0; b < message.BlockCount; b++)
        {
            var block = message.BlockAt(b);
            if (!(block.Entry == call.Entry && block.IndexInContent == call.IndexInContent) && !block.IsBlankText())
            {
                return false;
            }
        }

        return true;
    }

    // The calls whose text is compared: tool_use blocks of assistant lines.
    private static bool IsAssistantCall(BlockHandle call) => call.Entry.Kind == EntryKind.Assistant && call.Kind == BlockKind.ToolCall;

    private static void AddRemoval(ConversationIndex index, BlockHandle block, List<EntryHandle> wholeEntries, List<FixEdit> edits)
    {
        if (index.BlockCountOf(block.Entry) <= 1 || block.IndexInContent < 0)
        {
            wholeEntries.Add(block.Entry);
        }
        else
        {
            edits.AddRange(ChainEdits.RemoveBlock(index, block));
        }
    }

    // The result answering the repeated call: in the turn after its message; when both calls sit in one message,
    // the second result with the id (the first answers the first call).
    private static BlockHandle? ResultOf(ConversationIndex index, int i, string id, bool sameMessageAsFirst)
    {
        var seen = 0;
        for (var j = i + 1; j < index.MessageCount && index.MessageAt(j).Role is MessageRole.User or MessageRole.Tool; j++)
        {
            var message = index.MessageAt(j);
            for (var b = 0; b < message.BlockCount; b++)
            {
                if (message.BlockAt(b) is { Kind: BlockKind.ToolResult } r && r.ToolId == id && (!sameMessageAsFirst || seen++ == 1))
                {
                    return r;
                }
            }

            if (message.Role == MessageRole.User)
            {
                break;
            }
        }

        return null;
    }
}
