using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>TL4004: an empty text block, a whitespace-only user text, or a message with no real content.</summary>
public sealed class TL4004EmptyContentRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.EmptyContent,
        "empty-content",
        "Empty or whitespace-only content",
        "{0}; the API rejects empty content",
        RuleCategories.Resume,
        Severity.Error,
        "Providers reject empty text blocks, whitespace-only text, and messages with no content (except the optional final assistant message). Interrupted streams and converters that drop a block leave such content behind. A whitespace-only text block that shares an assistant message with other content is normal (Claude Code 2.1.x starts responses with \"\\n\\n\") and is not reported. The fix removes the block (Safe), or the emptied message: Safe where messages follow each other by file order (chat, Amplifier, Codex, request bodies), Unsafe in a parent graph (Claude Code), where its children are re-linked. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        [
            "text content blocks must be non-empty",
            "text content blocks must contain non-whitespace text",
            "all messages must have non-empty content except for the optional final assistant message",
            "The text field in the ContentBlock object at messages.{i}.content.{j} is blank",
        ],
        ["resume", "http-400"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterConversationAction(Check);

    private static void Check(ConversationContext ctx)
    {
        var conversation = ctx.Conversation;
        var chain = conversation.ResumeChain;
        foreach (var message in chain)
        {
            if (message.Role is not (MessageRole.User or MessageRole.Assistant))
            {
                continue;
            }

            var isFinal = message.Index == chain.Count - 1;
            var blocks = message.CanonicalBlocks;
            var role = Queries.RoleName(message.Role);
            if (blocks.Count == 0)
            {
                if (!(isFinal && message.Role == MessageRole.Assistant))
                {
                    ReportMessage(ctx, message, $"Message {message.Index} ({role}) has no content");
                }

                continue;
            }

            // Loops, not LINQ: this runs for every message of the chain, and most have no blank block at all.
            var blank = 0;
            for (var i = 0; i < blocks.Count; i++)
            {
                blank += blocks[i].Block.IsBlankText() ? 1 : 0;
            }

            if (blank == blocks.Count)
            {
                ReportMessage(ctx, message, $"Message {message.Index} ({role}) holds only {(blocks.All(b => b.Block.TextLength == 0) ? "empty" : "whitespace-only")} text");
                continue;
            }

            for (var i = 0; i < blocks.Count && blank > 0; i++)
            {
                var b = blocks[i];
                if (!b.Block.IsBlankText())
                {
                    continue;
                }

                if (b.Block.TextLength > 0 && message.Role == MessageRole.Assistant)
                {
                    continue; // the real 2.1.x "\n\n" line that opens a response
                }

                var what = b.Block.TextLength == 0 ? "is empty" : "is whitespace-only";
                var edits = ChainEdits.RemoveBlock(conversation, b.Entry, b.Block);
                var fix = edits.Count == 0 ? null : new Fix("Remove the empty text block", Applicability.Safe, edits);
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(b.Entry, b.Block.JsonPointer), fix, $"A text block of message {message.Index} ({role}) {what}"));
            }
        }
    }

    private static void ReportMessage(ConversationContext ctx, Message message, string text)
    {
        var entries = message.CanonicalEntries;
        // Where messages are linked by file order alone (chat, Amplifier, Codex, request bodies), dropping a message
        // with nothing in it loses nothing; in a parent graph the splice re-links its children, which a person
        // should look at.
        var applicability = ctx.Conversation.HasParentGraph ? Applicability.Unsafe : Applicability.Safe;

        // No entry to splice (a message made only of lines the chain cannot name): the finding stands without a fix
        // (found by fuzzing: an empty edit list made the rule throw).
        var edits = ChainEdits.SpliceAll(ctx.Conversation, entries);
        var fix = edits.Count == 0 ? null : new Fix("Remove the empty message", applicability, edits);
        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(message.FirstEntry, "/message/content"), fix, text));
    }
}
