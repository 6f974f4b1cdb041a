using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>TL4002: the response a resume would reference as the previous one has no provider (<c>msg_</c>) id.</summary>
public sealed class TL4002NonProviderMessageIdRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.NonProviderMessageId,
        "non-provider-message-id",
        "Previous response id is not a provider message id",
        "The last assistant message on the resume chain has id '{0}', which is not a provider message id (msg_…); a resume sends it as previous_message_id and gets HTTP 400",
        RuleCategories.Resume,
        Severity.Error,
        "On resume, Claude Code sends the id of the last assistant response as diagnostics.previous_message_id. Anthropic accepts only ids it issued (msg_…). After an upstream 429 the last assistant row is a synthetic error row with a locally made id, and every retry fails until the row is removed.",
        FixAvailability.Sometimes,
        ["diagnostics.previous_message_id: must be the id from a prior /v1/messages response (starts with msg_)"],
        ["resume", "http-400"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        // previous_message_id is how Claude Code resumes against Anthropic; other harnesses send no such id.
        if (!ctx.Transcript.Profile.RequiresProviderMessageIds || !ctx.Transcript.Traits.SendsPreviousMessageId)
        {
            return;
        }

        var index = ctx.Index;
        var m = index.MessageCount - 1;
        while (m >= 0 && index.MessageAt(m).Role != MessageRole.Assistant)
        {
            m--;
        }

        if (m < 0)
        {
            return;
        }

        var entry = index.MessageAt(m).LastEntry;
        var id = entry.MessageId;
        if (id is not null && id.StartsWith("msg_", StringComparison.Ordinal))
        {
            return;
        }

        // When the row is harness-made, splicing it out makes the real response before it the previous one.
        var fix = entry.IsSynthetic ? GraphEdits.SpliceSyntheticRow(index, entry) : null;
        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(entry, id is null ? null : "/message/id"), fix, id ?? "(none)"));
    }
}
