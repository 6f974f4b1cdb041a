using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.ToolPairing;

/// <summary>
/// TL3008: a server-tool result block (<c>web_search_tool_result</c>, <c>advisor_tool_result</c>, …) on the resume
/// chain whose id matches no <c>server_tool_use</c> before it in the same message (failure-modes-2026 F8).
/// </summary>
public sealed class TL3008ServerToolResultWithoutCallRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ServerToolResultWithoutCall,
        "server-tool-result-without-call",
        "Server-tool result has no server_tool_use before it",
        "The {0} block for {1} has no server_tool_use with that id before it in the same message; every request after it fails with HTTP 400",
        RuleCategories.ToolPairing,
        Severity.Error,
        "A server tool (web search, web fetch, code execution, the advisor) runs on the provider's side: the call (server_tool_use) and its result (web_search_tool_result, advisor_tool_result, …) sit in the same assistant message, call first. Compaction that drops the server_tool_use but keeps its result leaves an orphan the provider rejects on every later request, /compact included. The fix removes the orphan result block (its line when it is the line's only block); it is unsafe because the result's content is lost. In the latest assistant message next to thinking blocks no fix is offered: removing a block there modifies the message the provider requires unchanged.",
        FixAvailability.Sometimes,
        ["unexpected `tool_use_id` found in `{type}` blocks: {id}. Each `{type}` block must have a corresponding `server_tool_use` block before it."],
        ["resume", "http-400"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        var latest = Queries.LatestRealAssistant(index);
        for (var m = 0; m < index.MessageCount; m++)
        {
            var message = index.MessageAt(m);
            HashSet<string>? calls = null; // made at the first server tool call: most messages hold none
            for (var i = 0; i < message.CanonicalBlockCount; i++)
            {
                var b = message.CanonicalBlockAt(i);
                if (b.Kind == BlockKind.ServerToolCall && b.ToolId is { } callId)
                {
                    (calls ??= new HashSet<string>(StringComparer.Ordinal)).Add(callId);
                    continue;
                }

                if (b.Kind != BlockKind.ServerToolResult || (b.ToolId is { } id && calls is not null && calls.Contains(id)))
                {
                    continue;
                }

                // The latest assistant message must reach the provider as it was returned when it holds thinking.
                var frozen = m == latest && Queries.HoldsThinking(message);
                var fix = frozen ? null : new Fix($"Remove the orphan {b.TypeName} block", Applicability.Unsafe, ChainEdits.RemoveBlock(index, b));
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(b.Entry, b.JsonPointer), fix, b.TypeName, b.ToolId ?? "(no id)"));
            }
        }
    }
}
