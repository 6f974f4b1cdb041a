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
        context.RegisterTranscriptStartAction(start => start.RegisterConversationAction(Check));

    private static void Check(ConversationContext ctx)
    {
        var conversation = ctx.Conversation;
        var chain = conversation.ResumeChain;
        var first = new Dictionary<string, (int Message, MessageBlock Call)>(StringComparer.Ordinal);
        for (var i = 0; i < chain.Count; i++)
        {
            if (chain[i].Role != MessageRole.Assistant)
            {
                continue;
            }

            foreach (var call in chain[i].CanonicalCalls())
            {
                if (call.Block.ToolId is not { Length: > 0 } id)
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
                    var remove = new List<Entry>();
                    var edits = new List<FixEdit>();
                    AddRemoval(conversation, call, remove, edits);

                    // When the repeated call was the response's only real content, the lines left (the opening
                    // "\n\n" line) would make an empty message: they go too.
                    var rest = chain[i].Blocks.Where(b => !(ReferenceEquals(b.Entry, call.Entry) && b.Block.Index == call.Block.Index)).ToList();
                    if (rest.All(b => b.Block.IsBlankText()))
                    {
                        remove.AddRange(chain[i].CanonicalEntries.Where(e => !remove.Contains(e)));
                        edits.Clear();
                    }

                    var result = ResultOf(chain, i, id, sameMessageAsFirst: earlier.Message == i);
                    if (result is { } answer)
                    {
                        AddRemoval(conversation, answer, remove, edits);
                    }

                    edits.InsertRange(0, ChainEdits.SpliceAll(conversation, remove));
                    fix = new Fix(result is null ? $"Remove the repeated call {id}" : $"Remove the repeated call {id} and its result", Applicability.Unsafe, edits);
                }

                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(call.Entry, call.Block.JsonPointer), fix, id, call.Block.ToolName ?? "unknown tool", earlier.Call.Entry.Line.Number));
            }
        }
    }

    // The calls whose text is compared: tool_use blocks of assistant lines.
    private static bool IsAssistantCall(MessageBlock call) => call.Entry.Kind == EntryKind.Assistant && call.Block.Kind == BlockKind.ToolCall;

    private static void AddRemoval(Conversation conversation, MessageBlock block, List<Entry> wholeEntries, List<FixEdit> edits)
    {
        if (block.Entry.Blocks.Count <= 1 || block.Block.Index < 0)
        {
            wholeEntries.Add(block.Entry);
        }
        else
        {
            edits.AddRange(ChainEdits.RemoveBlock(conversation, block.Entry, block.Block));
        }
    }

    // The result answering the repeated call: in the turn after its message; when both calls sit in one message,
    // the second result with the id (the first answers the first call).
    private static MessageBlock? ResultOf(IReadOnlyList<Message> chain, int i, string id, bool sameMessageAsFirst)
    {
        var seen = 0;
        for (var j = i + 1; j < chain.Count && chain[j].Role is MessageRole.User or MessageRole.Tool; j++)
        {
            foreach (var r in chain[j].ToolResults.Where(r => r.Block.ToolId == id))
            {
                if (!sameMessageAsFirst || seen++ == 1)
                {
                    return r;
                }
            }

            if (chain[j].Role == MessageRole.User)
            {
                break;
            }
        }

        return null;
    }
}
