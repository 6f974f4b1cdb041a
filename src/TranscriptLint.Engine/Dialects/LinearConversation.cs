using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// The conversation view of formats without a parent graph (Codex rollouts, OpenAI chat, Amplifier, Copilot CLI):
/// the resume chain is the items a resume sends, in order. Where one message is written as several items (a Codex
/// turn is reasoning + text + calls as separate items), consecutive items of one role merge into one message;
/// where every line is a whole message (chat, Amplifier), each line stays its own message, so two user messages in
/// a row stay visible. Each tool output is its own <see cref="MessageRole.Tool"/> message, as the Chat and
/// Responses APIs receive them.
/// </summary>
internal sealed class LinearConversation : Conversation
{
    private readonly IReadOnlyList<Entry> _entries;
    private readonly List<Message> _messages = [];
    private readonly List<Entry> _chain = [];
    // Message of and next entry by position on the chain (EntryOrdinals): arrays, not dictionaries keyed by entry.
    private readonly EntryOrdinals _ordinals;
    private readonly SegmentedArray<Message?> _messageOf;

    /// <param name="entries">Every entry in file order.</param>
    /// <param name="history">The entries a resume sends, in order (a Codex compaction replaces what came before it).</param>
    /// <param name="outputsFollowCalls">Codex: an output may be written after later items; a request carries it after its call.</param>
    /// <param name="sessionId">The session id, when the format records one.</param>
    /// <param name="linePerMessage">Whether every line is one whole message (chat, Amplifier) rather than one item of a message.</param>
    /// <param name="startedAt">Where the format records that a call started running (call id to entry), when it does: results written for a call go after it.</param>
    public LinearConversation(IReadOnlyList<Entry> entries, IEnumerable<Entry> history, bool outputsFollowCalls, string? sessionId, bool linePerMessage = false, IReadOnlyDictionary<string, Entry>? startedAt = null)
    {
        _entries = entries;
        _startedAt = startedAt;
        SessionId = sessionId;
        var items = history.Where(e => e.Kind is EntryKind.User or EntryKind.Assistant or EntryKind.Tool).ToList();
        if (outputsFollowCalls)
        {
            items = MoveOutputsAfterTheirCalls(items);
        }

        _chain.AddRange(items);
        _ordinals = new EntryOrdinals(_chain);
        _messageOf = new SegmentedArray<Message?>(_chain.Count);

        var run = new List<Entry>();
        MessageRole? role = null;
        foreach (var e in items)
        {
            var r = e.Kind switch { EntryKind.User => MessageRole.User, EntryKind.Assistant => MessageRole.Assistant, _ => MessageRole.Tool };
            if (role != r || r == MessageRole.Tool || linePerMessage)
            {
                Flush(run, role);
                role = r;
            }

            run.Add(e);
        }

        Flush(run, role);
    }

    public override IReadOnlyList<Entry> Entries => _entries;

    public override IReadOnlyList<Message> ResumeChain => _messages;

    public override IReadOnlyList<Entry> ChainEntries => _chain;

    public override Entry? ResumeLeaf => _chain.Count > 0 ? _chain[^1] : null;

    public override bool HasParentGraph => false;

    public override string? SessionId { get; }

    // Request bodies key their entries by pointer: a rule's "is this the copy a resume uses" check must find them.
    // Built on first use (most linear formats have no ids), earliest copy first: IsCanonical asks it for every entry,
    // and a scan per question made that quadratic in a long request body.
    public override Entry? FindByUuid(string uuid)
    {
        if (_byUuid is null)
        {
            var byUuid = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (var e in _entries)
            {
                if (e.Uuid is { } id)
                {
                    byUuid.TryAdd(id, e);
                }
            }

            _byUuid = byUuid;
        }

        return _byUuid.GetValueOrDefault(uuid);
    }

    private Dictionary<string, Entry>? _byUuid;

    private readonly IReadOnlyDictionary<string, Entry>? _startedAt;

    public override Entry ResultAnchorOf(Entry callEntry, string toolId) =>
        _startedAt is not null && _startedAt.TryGetValue(toolId, out var started) && started.Line.Number > callEntry.Line.Number ? started : callEntry;

    public override IReadOnlyList<Entry> ChildrenOf(string uuid) => [];

    public override bool IsInResumeContext(Entry entry) => MessageOf(entry) is not null;

    public override Message? MessageOf(Entry entry) => _ordinals.Of(entry) is var i and >= 0 ? _messageOf[i] : null;

    public override Entry? ChainChildOf(Entry entry) => _ordinals.Of(entry) is var i and >= 0 && i + 1 < _chain.Count ? _chain[i + 1] : null;

    private void Flush(List<Entry> run, MessageRole? role)
    {
        if (run.Count == 0 || role is not { } r)
        {
            run.Clear();
            return;
        }

        // A user message sends its tool results first (a stable partition: each part in file order).
        var blocks = MessageBlockArrays.All(run);
        var message = new Message { Index = _messages.Count, Role = r, Entries = run.ToArray(), Blocks = r == MessageRole.User ? MessageBlockArrays.ResultsFirst(blocks) : blocks };
        _messages.Add(message);
        foreach (var e in run)
        {
            _messageOf[_ordinals.Of(e)] = message;
        }

        run.Clear();
    }

    // Codex writes parallel outputs after later items (call, call, …, output, output) and pairs them by call_id
    // (codex-rs context_manager/normalize.rs); an output written after its call belongs right after that call's
    // assistant run, so a prompt typed while the tool ran (a steer) does not sit between them. The run ends where the
    // output was written, though: the model's next response (its text after the outputs) stays after them, as the
    // request sends it.
    private static List<Entry> MoveOutputsAfterTheirCalls(List<Entry> items)
    {
        var callIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var outputsFor = new Dictionary<int, List<int>>(); // kept index of the call -> positions of its outputs in items
        var kept = new List<int>(); // positions in items of what stays in place
        for (var p = 0; p < items.Count; p++)
        {
            var e = items[p];
            var resultId = e.Kind == EntryKind.Tool ? e.Blocks.FirstOrDefault(b => b.Kind == BlockKind.ToolResult)?.ToolId : null;
            if (resultId is not null && callIndex.TryGetValue(resultId, out var at))
            {
                if (!outputsFor.TryGetValue(at, out var list))
                {
                    outputsFor[at] = list = [];
                }

                list.Add(p);
                continue;
            }

            kept.Add(p);
            foreach (var b in e.Blocks)
            {
                if (b.Kind == BlockKind.ToolCall && b.ToolId is { } id)
                {
                    callIndex.TryAdd(id, kept.Count - 1);
                }
            }
        }

        var result = new List<Entry>(items.Count);
        var pending = new List<int>();
        var firstPending = int.MaxValue; // the earliest position in items of a pending output
        for (var i = 0; i < kept.Count; i++)
        {
            result.Add(items[kept[i]]);
            if (outputsFor.TryGetValue(i, out var outs))
            {
                pending.AddRange(outs);
                firstPending = Math.Min(firstPending, outs[0]);
            }

            var next = i + 1 < kept.Count ? items[kept[i + 1]] : null;
            var runEnds = next is null || next.Kind != EntryKind.Assistant || items[kept[i]].Kind != EntryKind.Assistant || kept[i + 1] > firstPending;
            if (runEnds && pending.Count > 0)
            {
                result.AddRange(pending.Select(p => items[p]));
                pending.Clear();
                firstPending = int.MaxValue;
            }
        }

        return result;
    }
}
