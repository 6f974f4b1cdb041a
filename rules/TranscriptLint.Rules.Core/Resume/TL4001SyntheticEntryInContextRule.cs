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

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        for (var m = 0; m < index.MessageCount; m++)
        {
            var message = index.MessageAt(m);
            if (message.Role != MessageRole.Assistant)
            {
                continue;
            }

            for (var i = 0; i < message.EntryCount; i++)
            {
                var entry = message.EntryAt(i);
                if (!entry.IsSynthetic)
                {
                    continue;
                }

                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry), GraphEdits.SpliceSyntheticRow(index, entry), entry.Line.Number, Reasons(entry.Synthetic)));
            }
        }
    }

    private static string Reasons(SyntheticReason synthetic)
    {
        var reasons = new List<string>();
        if (synthetic.HasFlag(SyntheticReason.SyntheticModel))
        {
            reasons.Add("model <synthetic>");
        }

        if (synthetic.HasFlag(SyntheticReason.ApiErrorFlag))
        {
            reasons.Add("isApiErrorMessage");
        }

        if (synthetic.HasFlag(SyntheticReason.ApiErrorText))
        {
            reasons.Add("API error text");
        }

        return string.Join(", ", reasons);
    }
}
