using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.ToolPairing;

/// <summary>TL3004: two tool results in one turn answer the same call.</summary>
public sealed class TL3004DuplicateToolResultRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.DuplicateToolResult,
        "duplicate-tool-result",
        "Two tool results answer one call",
        "Tool result for {0} repeats the result on line {1}; the API accepts a single result per tool call",
        RuleCategories.ToolPairing,
        Severity.Error,
        "Each tool call takes exactly one result. A retried write, a replayed hook or a merge of two branches can leave two results for one call in the same turn, and the request is rejected. The fix keeps the first result; it is safe when the later one is a byte-identical copy. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        ["each tool_use must have a single result. Found multiple `tool_result` blocks with id"],
        ["resume", "http-400"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) =>
        context.RegisterTranscriptStartAction(start => start.RegisterIndexAction(Check));

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        var turn = new Dictionary<string, BlockHandle>(StringComparer.Ordinal);
        for (var m = 0; m < index.MessageCount; m++)
        {
            var message = index.MessageAt(m);
            if (message.Role is MessageRole.Assistant or MessageRole.System)
            {
                turn.Clear();
                continue;
            }

            for (var b = 0; b < message.CanonicalBlockCount; b++)
            {
                var result = message.CanonicalBlockAt(b);
                if (result.Kind != BlockKind.ToolResult || result.ToolId is not { } id)
                {
                    continue;
                }

                if (!turn.TryGetValue(id, out var kept))
                {
                    turn[id] = result;
                    continue;
                }

                var identical = ChainEdits.SameBlockText(ctx, kept, result);
                var fix = new Fix(
                    $"Remove the repeated result for {id}, keeping the first",
                    identical ? Applicability.Safe : Applicability.Unsafe,
                    ChainEdits.RemoveBlock(index, result));
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(result.Entry, result.JsonPointer), fix, id, kept.Entry.Line.Number));
            }

            if (message.Role == MessageRole.User)
            {
                turn.Clear(); // Anthropic shape: the turn is one user message
            }
        }
    }
}
