using System.Runtime.InteropServices;
using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.ToolPairing;

/// <summary>TL3005: in the turn after a tool call, text or a user message comes before the tool results.</summary>
public sealed class TL3005ToolResultNotFirstRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ToolResultNotFirst,
        "tool-result-not-first",
        "Tool results do not come first",
        "A {0} block comes before the tool results of the turn after the tool calls on line {1}; tool results must come first",
        RuleCategories.ToolPairing,
        Severity.Error,
        "The message after a tool call must begin with the tool results; text may follow them but not precede them. A prompt typed while tools ran, or a client that appends a note before the results, breaks the order and the API reports the calls as unanswered. The fix moves the results first, keeping every block. On Claude Fable 5.1 and later models a fix that changes a message invalidates every signed thinking block after it, so on those models the fix also removes that thinking and is Unsafe (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Sometimes,
        [
            "tool_result blocks must come FIRST",
            "`tool_use` ids were found without `tool_result` blocks immediately after",
            "Messages following `tool_use` blocks must begin with a matching number of `tool_result` blocks",
        ],
        ["resume", "http-400"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    // The content array with its results first, as compact JSON. A method of its own, run only for a line to reorder: the
    // encoder it names loads its library and builds its tables (about 5 ms), which the action run on every line would
    // otherwise do on its first call.
    private static string ResultsFirst(Entry entry, JsonElement content)
    {
        var items = content.EnumerateArray().ToList();
        var order = entry.Blocks.Where(b => b.Kind == BlockKind.ToolResult).Concat(entry.Blocks.Where(b => b.Kind != BlockKind.ToolResult));
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var b in order)
            {
                items[b.Index].WriteTo(w);
            }

            w.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        // For lines whose own content array has a result after another block: the array with results first.
        var reordered = new Dictionary<EntryRef, (string Pointer, string Json)>();
        start.RegisterEntryAction(e =>
        {
            if (e.Entry.Kind != EntryKind.User || !HasResultAfterOther(e.Entry) || ChainEdits.ContentArray(e.Json) is not { } content)
            {
                return;
            }

            reordered[e.Entry.Ref] = (ChainEdits.ArrayPointerOf(e.Entry.Blocks.First(b => b.Index >= 0)), ResultsFirst(e.Entry, content));
        });
        // Formats with tool messages of their own: the exact bytes of a tool message written after a prompt that
        // followed its call, so the fix can move it up unchanged. File order is request order there.
        var lateLines = new Dictionary<EntryRef, string>();
        // Formats without a parent graph that carry results in user messages (Anthropic request bodies): the exact
        // content of each user message after calls, so the fix can swap a prompt and the results that follow it.
        var userContents = new Dictionary<EntryRef, (string Pointer, string Json)>();
        var openCalls = new HashSet<string>(StringComparer.Ordinal);
        var promptSince = false;
        if (!start.Transcript.Traits.HasParentGraph)
        {
            start.RegisterEntryAction(e =>
            {
                switch (e.Entry.Kind)
                {
                    case EntryKind.Assistant:
                        openCalls.Clear();
                        openCalls.UnionWith(e.Entry.Blocks.Where(b => b.Kind == BlockKind.ToolCall).Select(b => b.ToolId).OfType<string>());
                        promptSince = false;
                        break;
                    case EntryKind.User:
                        promptSince = true;
                        if (openCalls.Count > 0 && e.Entry.Blocks.Count > 0 && ContentPointer(e.Entry) is { } pointer
                            && JsonPointers.Resolve(e.Json, pointer) is { } value)
                        {
                            userContents[e.Entry.Ref] = (pointer, System.Text.Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(value)));
                        }

                        break;
                    case EntryKind.Tool when promptSince && e.Entry.Blocks.Any(b => b.ToolId is { } id && openCalls.Contains(id)):
                        lateLines[e.Entry.Ref] = System.Text.Encoding.UTF8.GetString(e.Bytes);
                        break;
                }
            });
        }

        start.RegisterIndexAction(ctx =>
        {
            Check(ctx, reordered, userContents);
            CheckLateToolMessages(ctx, lateLines);
        });
    });

    // Chat and Amplifier (Amplifier FM2): a user message between an assistant message's calls and their tool
    // messages. The fix moves the tool messages, byte for byte, up to right after the calls (after any that are
    // already there), keeping every real result; the prompt then follows them.
    private static void CheckLateToolMessages(IndexContext ctx, Dictionary<EntryRef, string> lateLines)
    {
        var index = ctx.Index;
        for (var i = 0; i < index.MessageCount; i++)
        {
            if (index.MessageAt(i).Role == MessageRole.Assistant && Queries.LateResults(index, i) is { Count: > 0 } late)
            {
                ReportLate(ctx, lateLines, i, late);
            }
        }
    }

    private static void ReportLate(IndexContext ctx, Dictionary<EntryRef, string> lateLines, int i, IReadOnlyList<BlockHandle> late)
    {
        var index = ctx.Index;
        var k = i + 1;
        while (k < index.MessageCount && index.MessageAt(k).Role == MessageRole.Tool)
        {
            k++;
        }

        var promptMessage = index.MessageAt(k);
        var prompt = promptMessage.BlockCount > 0 ? promptMessage.BlockAt(0) : (BlockHandle?)null;
        var anchor = index.MessageAt(k - 1).LastEntry;
        var entries = late.Select(r => r.Entry).Distinct().ToList();
        List<FixEdit>? edits = null;
        if (entries.All(e => lateLines.ContainsKey(e.Ref) && OnlyResults(index, e)))
        {
            edits = [];
            edits.AddRange(entries.Select(e => (FixEdit)new InsertEntryAfter(anchor.Ref, new RawJsonEntry(lateLines[e.Ref]))));
            edits.AddRange(entries.Select(e => (FixEdit)new DeleteEntry(e.Ref)));
        }

        var fix = edits is null ? null : new Fix("Move the tool results up to right after their calls", Applicability.Safe, edits);
        var location = prompt is { } p ? ctx.LocationOf(p.Entry, p.JsonPointer) : ctx.LocationOf(promptMessage.FirstEntry);
        ctx.Report(Diagnostic.Create(Descriptor, location, fix, prompt is { } first ? first.TypeName : "user message", index.MessageAt(i).LastEntry.Line.Number));
    }

    private static bool OnlyResults(ConversationIndex index, EntryHandle entry)
    {
        for (var b = 0; b < index.BlockCountOf(entry); b++)
        {
            if (index.BlockOf(entry, b).Kind != BlockKind.ToolResult)
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasResultAfterOther(Entry entry)
    {
        var other = false;
        var blocks = InIndexOrder(entry.Blocks);
        for (var i = 0; i < blocks.Count; i++) // by index: this runs on every user line, and foreach would make an enumerator
        {
            if (blocks[i].Kind != BlockKind.ToolResult)
            {
                other = true;
            }
            else if (other)
            {
                return true;
            }
        }

        return false;
    }

    // A line's blocks in array order. They come in that order (checked in one pass, without sorting or allocating):
    // only other lists are sorted.
    private static IReadOnlyList<ContentBlock> InIndexOrder(IReadOnlyList<ContentBlock> blocks)
    {
        for (var i = 1; i < blocks.Count; i++)
        {
            if (blocks[i - 1].Index > blocks[i].Index)
            {
                return [.. blocks.OrderBy(b => b.Index)];
            }
        }

        return blocks;
    }

    private static void Check(IndexContext ctx, Dictionary<EntryRef, (string Pointer, string Json)> reordered, Dictionary<EntryRef, (string Pointer, string Json)> userContents)
    {
        var index = ctx.Index;
        for (var i = 0; i + 1 < index.MessageCount; i++)
        {
            var call = index.MessageAt(i);
            var next = index.MessageAt(i + 1);
            if (call.Role != MessageRole.Assistant || next.Role != MessageRole.User || !Queries.HasBlock(call, BlockKind.ToolCall))
            {
                continue;
            }

            BlockHandle? firstOther = null;
            var misplaced = false;
            for (var k = 0; k < next.CanonicalEntryCount; k++)
            {
                var e = next.CanonicalEntryAt(k);
                if (next.IsRecovered(e))
                {
                    continue;
                }

                // The order the lines were written in: chain lines first to last, each line's blocks in array order.
                // Results re-attached from side branches are not part of that order.
                var sorted = InIndexOrder(index, e);
                for (var j = 0; j < index.BlockCountOf(e); j++) // by ordinal: no list for a line in array order, nearly all
                {
                    var b = sorted?[j] ?? index.BlockOf(e, j);
                    if (b.Kind != BlockKind.ToolResult)
                    {
                        firstOther ??= b;
                    }
                    else if (firstOther is not null)
                    {
                        misplaced = true;
                    }
                }
            }

            if (!misplaced || firstOther is not { } other)
            {
                continue;
            }

            var edits = Reorder(index, WrittenLines(next), reordered, userContents);
            var fix = edits is null ? null : new Fix("Move the tool results before the other content", Applicability.Safe, edits);
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(other.Entry, other.JsonPointer), fix, other.TypeName, call.LastEntry.Line.Number));
        }
    }

    // A line's blocks in array order, or null when they already come in that order (checked in one pass, without
    // sorting or allocating): only other lists are sorted.
    private static List<BlockHandle>? InIndexOrder(ConversationIndex index, EntryHandle entry)
    {
        var count = index.BlockCountOf(entry);
        for (var b = 1; b < count; b++)
        {
            if (index.BlockOf(entry, b - 1).IndexInContent > index.BlockOf(entry, b).IndexInContent)
            {
                return [.. Enumerable.Range(0, count).Select(o => index.BlockOf(entry, o)).OrderBy(x => x.IndexInContent)];
            }
        }

        return null;
    }

    // The lines of the message the chain wrote there, not those re-attached from a side branch.
    private static List<EntryHandle> WrittenLines(MessageHandle message)
    {
        var lines = new List<EntryHandle>();
        for (var k = 0; k < message.CanonicalEntryCount; k++)
        {
            if (message.CanonicalEntryAt(k) is var e && !message.IsRecovered(e))
            {
                lines.Add(e);
            }
        }

        return lines;
    }

    // Without a parent graph (a request body's messages array), the user messages of one turn are in array order:
    // each takes the content of the message that belongs in its place, byte for byte, so the results come first and
    // the prompt after them, and nothing is rewritten. All of them are user messages, so only their content moves.
    private static List<FixEdit>? SwapContents(List<EntryHandle> lines, List<EntryHandle> newOrder, Dictionary<EntryRef, (string Pointer, string Json)> userContents)
    {
        if (!lines.All(e => userContents.TryGetValue(e.Ref, out var c) && c.Pointer == userContents[lines[0].Ref].Pointer))
        {
            return null;
        }

        var edits = new List<FixEdit>();
        for (var j = 0; j < lines.Count; j++)
        {
            if (lines[j] != newOrder[j])
            {
                var (pointer, json) = userContents[newOrder[j].Ref];
                edits.Add(new ReplaceValue(lines[j].Ref, pointer, json));
            }
        }

        return edits.Count > 0 ? edits : null;
    }

    // The pointer of a message's content value: the string itself, or the array holding its blocks.
    private static string? ContentPointer(Entry entry) =>
        entry.Blocks[0] is var b && b.Index < 0 ? b.JsonPointer : ChainEdits.ArrayPointerOf(b);

    // Within a line: rewrite its content array with the results first. Across lines: re-link the lines so those
    // holding only results come first (when the lines are linked directly one to the next).
    private static List<FixEdit>? Reorder(ConversationIndex index, List<EntryHandle> lines, Dictionary<EntryRef, (string Pointer, string Json)> reordered, Dictionary<EntryRef, (string Pointer, string Json)> userContents)
    {
        var edits = new List<FixEdit>();
        foreach (var e in lines)
        {
            if (reordered.TryGetValue(e.Ref, out var content))
            {
                edits.Add(new ReplaceValue(e.Ref, content.Pointer, content.Json));
            }
        }

        var resultLines = lines.Where(e => HoldsResult(index, e)).ToList();
        var otherLines = lines.Where(e => !resultLines.Contains(e)).ToList();
        var newOrder = resultLines.Concat(otherLines).ToList();
        if (newOrder.SequenceEqual(lines))
        {
            return edits.Count > 0 ? edits : null;
        }

        if (!index.HasParentGraph)
        {
            return edits.Count == 0 ? SwapContents(lines, newOrder, userContents) : null;
        }

        if (lines.Any(e => !e.HasUuid))
        {
            return null;
        }

        for (var k = 1; k < lines.Count; k++)
        {
            if (lines[k].ParentUuid != lines[k - 1].Uuid)
            {
                return null; // other lines sit between them: leave the graph to a person
            }
        }

        var parent = lines[0].ParentUuid;
        foreach (var e in newOrder)
        {
            if (e.ParentUuid != parent)
            {
                edits.Add(new SetParent(e.Ref, parent));
            }

            parent = e.Uuid;
        }

        if (index.ChainChildOf(lines[^1]) is { IsNone: false } after && after.ParentUuid != parent)
        {
            edits.Add(new SetParent(after.Ref, parent));
        }

        return edits;
    }

    private static bool HoldsResult(ConversationIndex index, EntryHandle entry)
    {
        for (var b = 0; b < index.BlockCountOf(entry); b++)
        {
            if (index.BlockOf(entry, b).Kind == BlockKind.ToolResult)
            {
                return true;
            }
        }

        return false;
    }
}
