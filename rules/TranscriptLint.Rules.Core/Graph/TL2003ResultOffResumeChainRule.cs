using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Graph;

/// <summary>TL2003: a tool result answers a call on the resume chain, but a resume cannot reach it.</summary>
public sealed class TL2003ResultOffResumeChainRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ResultOffResumeChain,
        "result-off-resume-chain",
        "Tool result is off the resume chain",
        "The result for {0} answers the call on line {1}, which is on the resume chain, but it hangs off line {2}, which a resume never reaches; the resume drops it",
        RuleCategories.Graph,
        Severity.Error,
        "A resume walks parentUuid from the leaf and re-attaches the results of parallel calls that hang off a line of a response on the chain. A result written with a parent outside both (a stale parent after a hook, anthropics/claude-code#31330) is dropped: its call goes out unanswered and every request fails. The fix re-parents the result onto the line holding its call, where a resume finds it. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        ["`tool_use` ids were found without `tool_result` blocks immediately after"],
        ["graph", "resume", "http-400"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        if (!index.HasParentGraph)
        {
            return;
        }

        var calls = new Dictionary<string, (int Message, EntryHandle Entry)>(StringComparer.Ordinal);
        for (var i = 0; i < index.MessageCount; i++)
        {
            var message = index.MessageAt(i);
            if (message.Role != MessageRole.Assistant)
            {
                continue;
            }

            for (var b = 0; b < message.BlockCount; b++)
            {
                if (message.BlockAt(b) is { Kind: BlockKind.ToolCall, ToolId: { Length: > 0 } id } call)
                {
                    calls.TryAdd(id, (i, call.Entry));
                }
            }
        }

        if (calls.Count == 0)
        {
            return;
        }

        var answered = new Dictionary<int, HashSet<string>>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        // Every user line off the chain is looked at (in a file of many sessions, most of them): its uuid (a string made
        // on read) only for a result that answers a call.
        for (var e = 0; e < index.Count; e++)
        {
            var entry = index[e];
            if (entry.Kind != EntryKind.User || !index.IsCanonical(entry) || index.IsInResumeContext(entry))
            {
                continue;
            }

            for (var b = 0; b < index.BlockCountOf(entry); b++)
            {
                var result = index.BlockOf(entry, b);
                if (result.Kind != BlockKind.ToolResult || result.ToolId is not { } id || !calls.TryGetValue(id, out var call) || reported.Contains(id))
                {
                    continue;
                }

                if (!entry.HasUuid)
                {
                    break; // no line to re-parent
                }

                if (!answered.TryGetValue(call.Message, out var ids))
                {
                    answered[call.Message] = ids = Queries.NextTurnResultIds(index, call.Message);
                }

                if (ids.Contains(id))
                {
                    continue; // another copy of the result is on the chain
                }

                reported.Add(id);
                var fix = new Fix($"Re-parent the result onto the line of its call {id}", Applicability.Unsafe, [new SetParent(entry.Ref, call.Entry.Uuid)]);
                var parentLine = entry.ParentUuid is not null && index.ParentOf(entry) is { IsNone: false } parent ? ChainEdits.N(parent.Line.Number) : "(none)";
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry, "/parentUuid"), fix, id, call.Entry.Line.Number, parentLine));
            }
        }
    }
}
