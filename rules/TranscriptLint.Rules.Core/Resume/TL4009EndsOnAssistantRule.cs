using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>TL4009: the chain ends with an assistant message on a profile that does not allow prefill.</summary>
public sealed class TL4009EndsOnAssistantRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.EndsOnAssistant,
        "ends-on-assistant",
        "Conversation ends on an assistant message",
        "The conversation ends with an assistant message, which the {0} profile does not accept as the last message (no prefill)",
        RuleCategories.Resume,
        Severity.Error,
        "Some providers and models do not accept a request that ends with an assistant message (prefill). A transcript replayed as is through such a provider, or migrated to a model without prefill, is rejected. The provider profile decides: the default anthropic profile allows prefill, so normal sessions that end on the assistant's answer are not reported. There is no automatic fix.",
        FixAvailability.None,
        ["This model does not support assistant message prefill. The conversation must end with a user message."],
        ["resume", "http-400", "prefill"],
        profileSeverities: [(ProviderProfile.OpenAIChat, Severity.Warning), (ProviderProfile.OpenAIResponses, Severity.Warning)]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var profile = ctx.Transcript.Profile;
        var index = ctx.Index;
        if (profile.AllowsAssistantPrefill || index.MessageCount == 0 || index.MessageAt(index.MessageCount - 1) is not { Role: MessageRole.Assistant } last)
        {
            return;
        }

        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(last.LastEntry), null, profile.Name));
    }
}
