using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>TL4003: two messages of one role follow each other on the resume chain.</summary>
public sealed class TL4003ConsecutiveSameRoleRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ConsecutiveSameRole,
        "consecutive-same-role",
        "Two messages of one role in a row",
        "Message {0} ({1}) follows another {1} message; providers that require alternating roles reject the request",
        RuleCategories.Resume,
        Severity.Warning,
        "After split lines and tool results are merged, user and assistant messages should alternate. Two assistant responses in a row (an interrupted response followed by a retry, a harness row) are merged silently by Anthropic's API but rejected by Bedrock Converse and by strict chat templates. The fix merges the second message into the first. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Sometimes,
        [
            "roles must alternate between \"user\" and \"assistant\"",
            "A conversation must alternate between user and assistant roles",
            "conversation roles must alternate user/assistant/user/assistant",
        ],
        ["resume", "alternation"],
        profileSeverities:
        [
            (ProviderProfile.Anthropic, Severity.Note), // merges consecutive same-role messages silently
            (ProviderProfile.Bedrock, Severity.Error), // Converse rejects them
            (ProviderProfile.Vertex, Severity.Note),
        ]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterConversationAction(Check);

    private static void Check(ConversationContext ctx)
    {
        var chain = ctx.Conversation.ResumeChain;
        for (var i = 1; i < chain.Count; i++)
        {
            var previous = chain[i - 1];
            var message = chain[i];
            if (message.Role != previous.Role || message.Role is MessageRole.Tool or MessageRole.System)
            {
                continue;
            }

            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(message.FirstEntry), MergeFix(previous, message), message.Index, Queries.RoleName(message.Role)));
        }
    }

    // Lines of one response share message.id and a resume merges them; giving the second response's lines the
    // first one's id merges the two messages the same way.
    private static Fix? MergeFix(Message previous, Message message)
    {
        if (message.Role != MessageRole.Assistant || previous.ProviderMessageId is not { } id)
        {
            return null;
        }

        var edits = message.Entries.Where(e => e.MessageId != id).Select(e => (FixEdit)ReplaceValue.WithString(e.Ref, "/message/id", id)).ToList();
        return edits.Count == 0 ? null : new Fix("Merge the second assistant message into the first", Applicability.Unsafe, edits);
    }
}
