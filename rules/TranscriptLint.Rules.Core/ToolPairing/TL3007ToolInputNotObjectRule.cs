using System.Text.Json;
using System.Text.Json.Nodes;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.ToolPairing;

/// <summary>TL3007: an Anthropic <c>tool_use</c> block's <c>input</c> is not a JSON object.</summary>
public sealed class TL3007ToolInputNotObjectRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ToolInputNotObject,
        "tool-input-not-object",
        "Tool call input is not an object",
        "Tool call {0} ({1}) has {2} input instead of an object",
        RuleCategories.ToolPairing,
        Severity.Error,
        "An Anthropic tool_use block's input must be a JSON object. A client that stored the arguments as a JSON string (double-encoded), or null, writes a call the API rejects on replay. When the string holds a JSON object, the fix replaces it with that object. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Sometimes,
        ["tool_use.input: Input should be a valid dictionary"],
        ["resume", "http-400"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        // For string inputs that hold a JSON object: that object, compact.
        var parsed = new Dictionary<(int, int), JsonObject>();
        var anyBadCall = false; // the conversation is walked only when some line holds one
        start.RegisterEntryAction(e =>
        {
            if (!e.Entry.Blocks.Any(IsBadCall))
            {
                return;
            }

            anyBadCall = true;
            if (ChainEdits.ContentArray(e.Json) is not { } content)
            {
                return;
            }

            foreach (var b in e.Entry.Blocks.Matching(b => IsBadCall(b) && b.InputKind == JsonValueKind.String && b.Index >= 0))
            {
                var text = content[b.Index].GetProperty("input"u8).GetString();
                if (TryParseObject(text) is { } obj)
                {
                    parsed[ChainEdits.Key(e.Entry, b)] = obj;
                }
            }
        });
        start.RegisterIndexAction(ctx =>
        {
            if (anyBadCall)
            {
                Check(ctx, parsed);
            }
        });
    });

    private static bool IsBadCall(ContentBlock b) => b.Kind == BlockKind.ToolCall && b.TypeName == "tool_use" && b.InputKind != JsonValueKind.Object;

    private static bool IsBadCall(BlockHandle b) => b.Kind == BlockKind.ToolCall && b.TypeName == "tool_use" && b.InputKind != JsonValueKind.Object;

    internal static JsonObject? TryParseObject(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Check(IndexContext ctx, Dictionary<(int, int), JsonObject> parsed)
    {
        foreach (var (_, call) in Queries.AssistantBlocks(ctx.Index))
        {
            if (!IsBadCall(call))
            {
                continue;
            }

            var fix = parsed.TryGetValue(ChainEdits.Key(call), out var json)
                ? new Fix("Replace the string input with the object it encodes", Applicability.Safe, [ReplaceValue.With(call.Entry.Ref, call.JsonPointer + "/input", json)])
                : null;
            var kind = call.InputKind switch
            {
                JsonValueKind.Undefined => "no",
                JsonValueKind.String => "a string",
                JsonValueKind.Null => "a null",
                JsonValueKind.Array => "an array",
                JsonValueKind.Number => "a number",
                _ => "a boolean",
            };
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(call.Entry, call.JsonPointer), fix, call.ToolId ?? "(no id)", call.ToolName ?? "unknown tool", kind));
        }
    }
}
