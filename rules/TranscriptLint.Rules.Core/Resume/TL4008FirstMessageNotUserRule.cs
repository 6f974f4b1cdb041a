using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>TL4008: the resume chain's first message is an assistant message.</summary>
public sealed class TL4008FirstMessageNotUserRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.FirstMessageNotUser,
        "first-message-not-user",
        "The conversation does not start with a user message",
        "The first message a resume would send is an assistant message; the conversation must start with a user message",
        RuleCategories.Resume,
        Severity.Error,
        "A request's first message must come from the user. When the chain's first lines were lost (a trimmed or torn file, a broken parent link, compaction that dropped the summary), a resume starts with an assistant message and is rejected. There is no automatic fix: the missing prompt cannot be recovered.",
        FixAvailability.None,
        [
            "first message must use the \"user\" role",
            "A conversation must start with a user message",
        ],
        ["resume", "http-400"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        if (index.MessageCount > 0 && index.MessageAt(0) is { Role: MessageRole.Assistant } first)
        {
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(first.FirstEntry), null));
        }
    }
}
