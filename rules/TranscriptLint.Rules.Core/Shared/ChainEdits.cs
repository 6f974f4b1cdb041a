using System.Globalization;
using System.Text;
using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core;

/// <summary>Edits the conversation rules share: block removal, multi-entry splices.</summary>
internal static class ChainEdits
{
    /// <summary>
    /// Edits that remove one block: the array element, or the whole entry (spliced) when the block is its only
    /// content (Claude Code writes one block per assistant line).
    /// </summary>
    public static List<FixEdit> RemoveBlock(ConversationIndex index, BlockHandle block) =>
        index.BlockCountOf(block.Entry) <= 1 || block.IndexInContent < 0
            ? ChainSplice.SpliceAll(index, [block.Entry])
            : [new RemoveArrayElement(block.Entry.Ref, ChainSplice.ArrayPointerOf(block), block.IndexInContent)];

    /// <summary>The pointer of the array holding a block (see <see cref="ChainSplice.ArrayPointerOf(ContentBlock)"/>).</summary>
    public static string ArrayPointerOf(ContentBlock block) => ChainSplice.ArrayPointerOf(block);

    /// <summary>
    /// Removes every thinking and redacted_thinking block of a message, never only some (the provider rejects a
    /// partially dropped run of thinking blocks); a line left with nothing is spliced out of the chain (TL4010, TL4012).
    /// </summary>
    public static List<FixEdit> RemoveAllThinking(ConversationIndex index, MessageHandle message)
    {
        var thinking = new List<BlockHandle>();
        for (var i = 0; i < message.CanonicalBlockCount; i++)
        {
            if (message.CanonicalBlockAt(i) is var b && b.IsThinking())
            {
                thinking.Add(b);
            }
        }

        return ChainSplice.RemoveBlocks(index, thinking);
    }

    /// <summary>The pointer of a block's text value (<c>…/text</c>, or the string content itself).</summary>
    public static string TextPointer(ContentBlock block) => block.Index < 0 ? block.JsonPointer : block.JsonPointer + "/text";

    /// <summary>The pointer of a block's text value, for a block named by handle.</summary>
    public static string TextPointer(BlockHandle block) => block.IndexInContent < 0 ? block.JsonPointer : block.JsonPointer + "/text";

    /// <summary>A key for one block of one line.</summary>
    public static (int Line, int Index) Key(Entry entry, ContentBlock block) => (entry.Line.Number, block.Index);

    /// <summary>The key of one block of one line, for a block named by handle.</summary>
    public static (int Line, int Index) Key(BlockHandle block) => (block.Entry.Line.Number, block.IndexInContent);

    /// <summary>The content array of a message line, or null.</summary>
    public static JsonElement? ContentArray(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        // A Claude Code line holds the message under "message"; a request body's element is the message itself.
        var message = root.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.Object ? m : root;
        return message.TryGetProperty("content"u8, out var c) && c.ValueKind == JsonValueKind.Array ? c : null;
    }

    /// <summary>
    /// Whether two content blocks are byte-identical copies, their lines read again from the transcript (rules keep no
    /// text or hash of every block for the rare duplicate). False when either cannot be read.
    /// </summary>
    public static bool SameBlockText(IndexContext ctx, BlockHandle a, BlockHandle b) =>
        BlockText(ctx, a.Entry, a.JsonPointer) is { } x && BlockText(ctx, b.Entry, b.JsonPointer) is { } y && x == y;

    // The exact JSON text of a block of an entry, found by its pointer (a Claude Code content block, a chat message's
    // tool_calls element, …), as its entry action's JSON held it.
    private static string? BlockText(IndexContext ctx, EntryHandle entry, string pointer)
    {
        if (pointer.Length == 0 || ctx.ReadEntryBytes(entry) is not { } bytes)
        {
            return null;
        }

        try
        {
            // Decoded first, as the host parses a line: invalid UTF-8 reads as U+FFFD.
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(bytes.Span), new JsonDocumentOptions { MaxDepth = 1024 });
            return JsonPointers.Resolve(doc.RootElement, pointer)?.GetRawText();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Formats an integer for messages.</summary>
    public static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
