using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.ToolPairing;

/// <summary>TL3006: a tool call id is empty, has characters outside <c>[a-zA-Z0-9_-]</c>, or is too long for the profile.</summary>
public sealed class TL3006InvalidToolCallIdRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.InvalidToolCallId,
        "invalid-tool-call-id",
        "Tool call id is not valid for the provider",
        "Tool call id '{0}' ({1}) {2}",
        RuleCategories.ToolPairing,
        Severity.Error,
        "Providers validate tool call ids: Anthropic requires ^[a-zA-Z0-9_-]+$, OpenAI Chat Completions allows at most 40 characters, the Responses API and Bedrock at most 64. Ids minted by another provider or gateway (a model switch, a proxy) break the session on resume. There is no automatic fix: the call and its result would have to be renamed together.",
        FixAvailability.None,
        [
            "tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'",
            "string too long. Expected a string with maximum length 40",
            "string too long. Expected a string with maximum length 64",
        ],
        ["resume", "http-400", "provider-switch"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var profile = ctx.Transcript.Profile;
        foreach (var (_, call) in Queries.AssistantBlocks(ctx.Index))
        {
            if (call.Kind != BlockKind.ToolCall || Problem(call.ToolId, profile) is not { } problem)
            {
                continue;
            }

            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(call.Entry, call.JsonPointer), null, call.ToolId ?? "", call.ToolName ?? "unknown tool", problem));
        }
    }

    /// <summary>What is wrong with a tool call id for a profile, or null when it is valid.</summary>
    internal static string? Problem(string? id, ProviderProfile profile)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "is empty or missing";
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return $"has the character '{c}', outside [a-zA-Z0-9_-]";
            }
        }

        return profile.MaxToolIdLength is { } max && id.Length > max
            ? $"is {ChainEdits.N(id.Length)} characters long; the {profile.Name} profile allows at most {ChainEdits.N(max)}"
            : null;
    }
}
