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
        "After split lines and tool results are merged, user and assistant messages should alternate. Two assistant responses in a row (an interrupted response followed by a retry, a harness row) are merged silently by Anthropic's API but rejected by Bedrock Converse and by strict chat templates. In formats that write tool results as messages of their own (chat, Amplifier), a prompt right after the results is a second user message on profiles whose API carries results in user messages (anthropic, bedrock, vertex). The fix merges two assistant messages (Unsafe), or closes the interrupted turn with a synthetic assistant reply, as Amplifier's own repair does (Safe). On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
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

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        var resultsAreUserContent = ctx.Transcript.Profile.ToolResultsInUserMessages && !ctx.Transcript.Traits.ToolOutputsStayOwnItems;
        for (var i = 1; i < index.MessageCount; i++)
        {
            var previous = index.MessageAt(i - 1);
            var message = index.MessageAt(i);
            if (previous.IsSynthetic || message.IsSynthetic)
            {
                // A harness-made row (an API-error notice, "No response requested.") next to a real message is
                // TL4001's defect, and its fix removes the row: reporting the pair here would name one defect twice
                // (a session that went on after a "Login expired" row would read as two assistant turns).
                continue;
            }

            if (message.Role == MessageRole.User && previous.Role == MessageRole.Tool && resultsAreUserContent)
            {
                // Formats that keep tool results as messages of their own (chat, Amplifier): on an Anthropic-style
                // API the results become a user message, so a prompt right after them is a second user message.
                // This is Amplifier's "incomplete assistant turn" (diagnosis.py FM3, the seed of amplifier#217), and
                // Amplifier repairs it by closing the turn with a synthetic assistant reply; so does the fix. Results
                // that answer no call before them are TL3002's (removing them leaves the prompts, which this rule
                // then sees as two user messages).
                if (AnswersTheCallsBefore(index, i - 1))
                {
                    var close = new Fix(
                        "Close the interrupted turn with a synthetic assistant reply",
                        Applicability.Safe,
                        [new InsertEntryAfter(previous.LastEntry.Ref, new SyntheticAssistantText(SyntheticAssistantText.InterruptedTurnText))]);
                    ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(message.FirstEntry), close, message.Number, "user"));
                }

                continue;
            }

            if (message.Role != previous.Role || message.Role is MessageRole.Tool or MessageRole.System)
            {
                continue;
            }

            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(message.FirstEntry), MergeFix(previous, message), message.Number, Queries.RoleName(message.Role)));
        }
    }

    // Amplifier closes a turn only when its results answer the calls before them (diagnosis.py FM3); orphaned or
    // misplaced results are TL3002's and TL3005's to repair first.
    private static bool AnswersTheCallsBefore(ConversationIndex index, int lastTool)
    {
        var first = lastTool;
        while (first > 0 && index.MessageAt(first - 1).Role == MessageRole.Tool)
        {
            first--;
        }

        if (first == 0 || index.MessageAt(first - 1) is not { Role: MessageRole.Assistant } call)
        {
            return false;
        }

        var ids = new HashSet<string?>(StringComparer.Ordinal);
        for (var b = 0; b < call.BlockCount; b++)
        {
            if (call.BlockAt(b) is { Kind: BlockKind.ToolCall } c)
            {
                ids.Add(c.ToolId);
            }
        }

        if (ids.Count == 0)
        {
            return false;
        }

        for (var k = first; k <= lastTool; k++)
        {
            var results = index.MessageAt(k);
            for (var b = 0; b < results.BlockCount; b++)
            {
                if (results.BlockAt(b) is { Kind: BlockKind.ToolResult } r && !ids.Contains(r.ToolId))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // Lines of one response share message.id and a resume merges them; giving the second response's lines the
    // first one's id merges the two messages the same way.
    private static Fix? MergeFix(MessageHandle previous, MessageHandle message)
    {
        if (message.Role != MessageRole.Assistant || previous.ProviderMessageId is not { } id)
        {
            return null;
        }

        var edits = new List<FixEdit>();
        for (var e = 0; e < message.EntryCount; e++)
        {
            if (message.EntryAt(e) is var entry && entry.MessageId != id)
            {
                edits.Add(ReplaceValue.WithString(entry.Ref, "/message/id", id));
            }
        }

        return edits.Count == 0 ? null : new Fix("Merge the second assistant message into the first", Applicability.Unsafe, edits);
    }
}
