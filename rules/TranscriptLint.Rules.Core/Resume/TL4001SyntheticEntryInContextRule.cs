using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>TL4001: a harness-made assistant row (API error, rate limit, placeholder) is on the resume chain.</summary>
public sealed class TL4001SyntheticEntryInContextRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.SyntheticEntryInContext,
        "synthetic-entry-in-context",
        "Harness-made row is on the resume chain",
        "Line {0} is a harness-made assistant row ({1}), not a model response, and a resume would replay it",
        RuleCategories.Resume,
        Severity.Error,
        "When a request fails (a 429, an overload, an auth error), the harness writes a synthetic assistant row with model <synthetic> and isApiErrorMessage. It was never returned by the provider; resuming through it replays a fabricated turn and, as the previous response, sends its non-msg_ id back to the API. The fix splices the row out of the chain. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        ["diagnostics.previous_message_id: must be the id from a prior /v1/messages response (starts with msg_)"],
        ["resume", "synthetic"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterConversationAction(Check);

    private static void Check(ConversationContext ctx)
    {
        foreach (var message in ctx.Conversation.ResumeChain)
        {
            if (message.Role != MessageRole.Assistant)
            {
                continue;
            }

            var entries = message.Entries;
            for (var i = 0; i < entries.Count; i++) // by index: no iterator per assistant message, almost all without one
            {
                var entry = entries[i];
                if (!entry.IsSynthetic)
                {
                    continue;
                }

                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry), GraphEdits.SpliceSyntheticRow(ctx.Conversation, entry), entry.Line.Number, Reasons(entry)));
            }
        }
    }

    private static string Reasons(Entry entry)
    {
        var reasons = new List<string>();
        if (entry.Synthetic.HasFlag(SyntheticReason.SyntheticModel))
        {
            reasons.Add("model <synthetic>");
        }

        if (entry.Synthetic.HasFlag(SyntheticReason.ApiErrorFlag))
        {
            reasons.Add("isApiErrorMessage");
        }

        if (entry.Synthetic.HasFlag(SyntheticReason.ApiErrorText))
        {
            reasons.Add("API error text");
        }

        return string.Join(", ", reasons);
    }
}
