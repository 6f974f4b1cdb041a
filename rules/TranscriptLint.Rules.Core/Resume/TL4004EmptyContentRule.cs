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

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        for (var m = 0; m < index.MessageCount; m++)
        {
            var message = index.MessageAt(m);
            if (message.Role is not (MessageRole.User or MessageRole.Assistant))
            {
                continue;
            }

            var isFinal = m == index.MessageCount - 1;
            var count = message.CanonicalBlockCount;
            var role = Queries.RoleName(message.Role);
            if (count == 0)
            {
                if (!(isFinal && message.Role == MessageRole.Assistant))
                {
                    ReportMessage(ctx, message, $"Message {m} ({role}) has no content");
                }

                continue;
            }

            // Loops, not LINQ: this runs for every message of the chain, and most have no blank block at all.
            var blank = 0;
            var allEmpty = true;
            for (var i = 0; i < count; i++)
            {
                var b = message.CanonicalBlockAt(i);
                blank += b.IsBlankText() ? 1 : 0;
                allEmpty &= b.TextLength == 0;
            }

            if (blank == count)
            {
                ReportMessage(ctx, message, $"Message {m} ({role}) holds only {(allEmpty ? "empty" : "whitespace-only")} text");
                continue;
            }

            for (var i = 0; i < count && blank > 0; i++)
            {
                var b = message.CanonicalBlockAt(i);
                if (!b.IsBlankText())
                {
                    continue;
                }

                if (b.TextLength > 0 && message.Role == MessageRole.Assistant)
                {
                    continue; // the real 2.1.x "\n\n" line that opens a response
                }

                var what = b.TextLength == 0 ? "is empty" : "is whitespace-only";
                var edits = ChainEdits.RemoveBlock(index, b);
                var fix = edits.Count == 0 ? null : new Fix("Remove the empty text block", Applicability.Safe, edits);
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(b.Entry, b.JsonPointer), fix, $"A text block of message {m} ({role}) {what}"));
            }
        }
    }

    private static void ReportMessage(IndexContext ctx, MessageHandle message, string text)
    {
        var entries = new EntryHandle[message.CanonicalEntryCount];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = message.CanonicalEntryAt(i);
        }

        // Where messages are linked by file order alone (chat, Amplifier, Codex, request bodies), dropping a message
        // with nothing in it loses nothing; in a parent graph the splice re-links its children, which a person
        // should look at.
        var applicability = ctx.Index.HasParentGraph ? Applicability.Unsafe : Applicability.Safe;

        // No entry to splice (a message made only of lines the chain cannot name): the finding stands without a fix
        // (found by fuzzing: an empty edit list made the rule throw).
        var edits = ChainSplice.SpliceAll(ctx.Index, entries);
        var fix = edits.Count == 0 ? null : new Fix("Remove the empty message", applicability, edits);
        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(message.FirstEntry, "/message/content"), fix, text));
    }
}
