using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// The Claude Code conversation view: the uuid DAG and the resume chain, rebuilt the way a resume does it
/// (RULES.md "Resume chain"): pick the leaf, walk <c>parentUuid</c> back through progress/system lines, merge
/// lines that share <c>message.id</c>, merge consecutive user lines (tool results first), and re-attach tool
/// results and sibling lines that hang off a line of a response on the chain (parallel tool calls).
/// </summary>
internal sealed class ClaudeCodeConversation : Conversation, IPositionalConversation
{
    private readonly IReadOnlyList<Entry> _entries;
    private readonly EntryIdGraph _graph;
    // Per-entry facts by the entry's position in _entries (EntryOrdinals): an array slot costs 8 bytes where a
    // dictionary keyed by entry cost about 30, for every line of a long session.
    private readonly EntryOrdinals _ordinals;
    private readonly SegmentedArray<int> _messageOf;  // the message's index + 1, 0 for none (4 bytes a slot, not 8)
    private readonly SegmentedArray<int> _chainChild; // the chain child's position + 1, 0 for none
    private readonly SegmentedArray<bool> _laterCopy; // a later copy of a uuid seen before (not canonical), by position
    private readonly List<Entry> _chain = [];
    private readonly List<Message> _messages = [];
    private readonly RowsByTime _timeIndex;

    public ClaudeCodeConversation(IReadOnlyList<Entry> entries)
    {
        _entries = entries;
        _ordinals = new EntryOrdinals(entries);
        _messageOf = new SegmentedArray<int>(entries.Count);
        _chainChild = new SegmentedArray<int>(entries.Count);
        _laterCopy = new SegmentedArray<bool>(entries.Count);
        _graph = new EntryIdGraph(entries, _laterCopy);
        _timeIndex = new RowsByTime(entries, _laterCopy);
        // Lines of one session share one id string (the entry's shape), so runs are counted before the dictionary is.
        var sessions = new Dictionary<string, int>(StringComparer.Ordinal);
        string? run = null;
        var runLength = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var s = entries[i].SessionId;
            if (!ReferenceEquals(s, run))
            {
                CountRun();
                (run, runLength) = (s, 0);
            }

            runLength++;
        }

        CountRun();

        SessionId = sessions.Count == 0 ? null : sessions.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
        ResumeLeaf = FindLeaf(entries);
        WalkChain();
        BuildMessages();

        void CountRun()
        {
            if (run is not null)
            {
                sessions[run] = sessions.GetValueOrDefault(run) + runLength;
            }
        }
    }

    public override IReadOnlyList<Entry> Entries => _entries;

    public override IReadOnlyList<Message> ResumeChain => _messages;

    public override IReadOnlyList<Entry> ChainEntries => _chain;

    public override Entry? ResumeLeaf { get; }

    public override bool HasParentGraph => true;

    public override string? SessionId { get; }

    public override Entry? FindByUuid(string uuid) => Find(EntryId.From(uuid));

    // Asked of every entry by the graph rules: the parent the graph found for it, by position (no hashing, no string).
    public override Entry? ParentOf(Entry entry) => _ordinals.Of(entry) is var i and >= 0 ? EntryAt(_graph.ParentAt(i)) : Find(entry.ParentId);

    // Rules ask this of every entry (CanonicalEntries): an array read instead of a uuid lookup.
    public override bool IsCanonical(Entry entry) => _ordinals.Of(entry) is var i and >= 0 ? !_laterCopy[i] : base.IsCanonical(entry);

    // Every entry of the list by its position: what IsCanonical answers for each, with no position found again.
    internal override IEnumerable<Entry> CanonicalEntriesInOrder()
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (!_laterCopy[i])
            {
                yield return _entries[i];
            }
        }
    }

    public int ParentPositionAt(int position) => _graph.ParentAt(position);

    public int FirstCopyPositionAt(int position) => _graph.Find(_entries[position].UuidId);

    public bool IsCanonicalAt(int position) => !_laterCopy[position];

    public bool IsInResumeContextAt(int position) => _messageOf[position] > 0;

    public override IReadOnlyList<Entry> ChildrenOf(string uuid) => _graph.ChildrenOf(EntryId.From(uuid));

    // Graph walks (TL2001, chain splices, re-attaching) step down by entry with no uuid string: a first copy's children
    // are linked to its own position, a later copy's to its first copy's.
    public override IReadOnlyList<Entry> ChildrenOf(Entry entry) => _ordinals.Of(entry) is var i and >= 0 && !_laterCopy[i]
        ? _graph.ChildrenAt(i)
        : entry.UuidId.HasValue ? _graph.ChildrenOf(entry.UuidId) : [];

    private Entry? Find(EntryId id) => EntryAt(_graph.Find(id));

    private Entry? EntryAt(int position) => position >= 0 ? _entries[position] : null;

    public override bool IsInResumeContext(Entry entry) => MessageOf(entry) is not null;

    public override Message? MessageOf(Entry entry) => _ordinals.Of(entry) is var i and >= 0 && _messageOf[i] is var m and > 0 ? _messages[m - 1] : null;

    public override Entry? ChainChildOf(Entry entry) => _ordinals.Of(entry) is var i and >= 0 ? EntryAt(_chainChild[i] - 1) : null;

    // The leaf: the last user/assistant entry in file order that is not a sidechain; a subagent file, where
    // every line is a sidechain, uses its last sidechain entry.
    private static Entry? FindLeaf(IReadOnlyList<Entry> entries)
    {
        Entry? sidechainLeaf = null;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var e = entries[i];
            if (e.Kind is not (EntryKind.User or EntryKind.Assistant) || !e.UuidId.HasValue)
            {
                continue;
            }

            if (e.ClaudeCode?.IsSidechain != true)
            {
                return e;
            }

            sidechainLeaf ??= e;
        }

        return sidechainLeaf;
    }

    private void WalkChain()
    {
        var seen = new SegmentedArray<bool>(_entries.Count);
        for (var ordinal = ResumeLeaf is { } leaf ? _ordinals.Of(leaf) : -1; ordinal >= 0;)
        {
            var entry = _entries[ordinal];
            seen[ordinal] = true;
            _chain.Add(entry);
            var parent = _graph.ParentAt(ordinal);
            if (parent < 0 && entry.ParentId.HasValue || parent >= 0 && seen[parent])
            {
                // A parent that is not in the file, or one the walk has passed (a cycle): Claude Code does not stop
                // there but takes the row written closest before this one, within 5 s (docs/formats/claude-code.md).
                parent = _timeIndex.Closest(entry, seen);
            }

            ordinal = parent;
        }

        _chain.Reverse();
        for (var i = 0; i + 1 < _chain.Count; i++)
        {
            _chainChild[_ordinals.Of(_chain[i])] = _ordinals.Of(_chain[i + 1]) + 1;
        }
    }

    private static bool IsMessage(Entry e) => e.Kind is EntryKind.User or EntryKind.Assistant && e.HasContent;

    private static bool IsToolResultLine(Entry e) =>
        e.Kind == EntryKind.User && e.BlockCount > 0 && e.BlockAt(0).Kind == BlockKind.ToolResult;

    private void BuildMessages()
    {
        var onChain = new SegmentedArray<bool>(_entries.Count);
        foreach (var e in _chain)
        {
            onChain[_ordinals.Of(e)] = true;
        }

        var attached = new SegmentedArray<bool>(_entries.Count);
        var builder = new MessageListBuilder(_messages, (e, m) => _messageOf[_ordinals.Of(e)] = m.Index + 1, IsCanonical);
        var results = new List<Entry>();
        var queue = new Queue<Entry>();

        foreach (var entry in _chain)
        {
            if (!IsMessage(entry))
            {
                continue; // progress, system, attachments: walked through, never sent
            }

            if (entry.Kind == EntryKind.Assistant)
            {
                builder.AddAssistant(entry, recovered: false);

                // Parallel tool calls: sibling lines of this response and their results hang off this line on
                // side branches (through progress lines); a resume re-attaches them.
                results.Clear();
                CollectSideBranches(entry, entry.MessageId, onChain, attached, builder, results, queue);
                foreach (var r in results)
                {
                    builder.AddPendingResult(r);
                }
            }
            else
            {
                builder.AddUser(entry, recovered: false);
            }
        }

        builder.Finish();
    }

    // results and queue are the caller's, reused from one assistant line to the next (it empties both).
    private void CollectSideBranches(Entry line, string? messageId, SegmentedArray<bool> onChain, SegmentedArray<bool> attached, MessageListBuilder builder, List<Entry> results, Queue<Entry> queue)
    {
        if (!line.UuidId.HasValue || messageId is null)
        {
            return;
        }

        queue.Clear();
        queue.Enqueue(line);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (!current.UuidId.HasValue)
            {
                continue;
            }

            var children = ChildrenOf(current);
            for (var c = 0; c < children.Count; c++) // by index: foreach over the interface made an enumerator per line
            {
                var child = children[c];
                var ordinal = _ordinals.Of(child);
                if (onChain[ordinal] || attached[ordinal])
                {
                    continue;
                }

                attached[ordinal] = true;

                if (child.Kind == EntryKind.Progress)
                {
                    queue.Enqueue(child); // walk through progress lines threaded between blocks
                    attached[ordinal] = false;
                }
                else if (child.Kind == EntryKind.Assistant && child.MessageId == messageId && IsMessage(child))
                {
                    builder.AddAssistant(child, recovered: true);
                    queue.Enqueue(child);
                }
                else if (IsToolResultLine(child))
                {
                    results.Add(child);
                }
                else
                {
                    attached[ordinal] = false;
                }
            }
        }
    }

    /// <summary>Accumulates chain entries into API messages.</summary>
    private sealed class MessageListBuilder(List<Message> messages, Action<Entry, Message> setMessageOf, Func<Entry, bool> isCanonical)
    {
        private readonly List<Entry> _entries = [];
        private readonly List<Entry> _recovered = [];
        private readonly List<Entry> _pendingResults = [];
        private MessageRole? _role;
        private string? _messageId;

        public void AddAssistant(Entry entry, bool recovered)
        {
            var id = entry.MessageId ?? entry.Uuid;
            if (recovered || (_role == MessageRole.Assistant && id == _messageId))
            {
                Add(entry, recovered);
                return;
            }

            Flush();
            FlushPendingResults();
            _role = MessageRole.Assistant;
            _messageId = id;
            Add(entry, recovered);
        }

        public void AddUser(Entry entry, bool recovered)
        {
            if (_role != MessageRole.User)
            {
                Flush();
                _role = MessageRole.User;
            }

            MovePendingResultsIn();
            Add(entry, recovered);
        }

        public void AddPendingResult(Entry entry) => _pendingResults.Add(entry);

        public void Finish()
        {
            Flush();
            FlushPendingResults();
        }

        private void Add(Entry entry, bool recovered)
        {
            _entries.Add(entry);
            if (recovered)
            {
                _recovered.Add(entry);
            }
        }

        private void MovePendingResultsIn()
        {
            foreach (var r in _pendingResults)
            {
                Add(r, recovered: true);
            }

            _pendingResults.Clear();
        }

        private void FlushPendingResults()
        {
            if (_pendingResults.Count == 0)
            {
                return;
            }

            _role = MessageRole.User;
            MovePendingResultsIn();
            Flush();
        }

        // Sibling lines recovered from side branches go in file order, like the response was streamed (a stable sort:
        // lines with one number keep their chain order).
        private static Entry[] InLineOrder(List<Entry> entries)
        {
            for (var i = 1; i < entries.Count; i++)
            {
                if (entries[i].Line.Number < entries[i - 1].Line.Number)
                {
                    return [.. entries.OrderBy(e => e.Line.Number)]; // OrderBy is stable
                }
            }

            return [.. entries];
        }

        // Consecutive user lines merge into one message with the tool results first: the results ordered by line, then
        // by block (stable), then every other block in chain order.
        private static MessageBlock[] UserBlocks(List<Entry> entries)
        {
            var blocks = MessageBlockArrays.ResultsFirst(MessageBlockArrays.All(entries));
            var results = MessageBlockArrays.Results(blocks);
            for (var i = 1; i < results; i++)
            {
                if (ResultOrder(blocks[i - 1], blocks[i]) > 0)
                {
                    // The array is this message's own: sort its results in place (OrderBy is stable).
                    blocks.Take(results).OrderBy(b => b, ResultComparer).ToArray().CopyTo(blocks, 0);
                    break;
                }
            }

            return blocks;
        }

        private static readonly Comparer<MessageBlock> ResultComparer = Comparer<MessageBlock>.Create(ResultOrder);

        // Results go by line, then by block: the one order both the check and the sort use.
        private static int ResultOrder(MessageBlock a, MessageBlock b)
        {
            var byLine = a.Entry.Line.Number.CompareTo(b.Entry.Line.Number);
            return byLine != 0 ? byLine : a.Block.Index.CompareTo(b.Block.Index);
        }

        private static IReadOnlyList<Entry> Duplicates(Entry[] entries, Func<Entry, bool> canonical)
        {
            List<Entry>? duplicates = null;
            foreach (var e in entries)
            {
                if (!canonical(e))
                {
                    (duplicates ??= []).Add(e);
                }
            }

            return duplicates is null ? [] : duplicates.ToArray();
        }

        private void Flush()
        {
            if (_entries.Count == 0 || _role is not { } role)
            {
                _role = null;
                return;
            }

            // Plain loops into arrays, not LINQ or lists: this runs once a message, and its iterators, closures and list
            // wrappers were a fifth of what linting a session allocated.
            var ordered = role == MessageRole.Assistant ? InLineOrder(_entries) : _entries.ToArray();
            var message = new Message
            {
                Index = messages.Count,
                Role = role,
                Entries = ordered,
                Blocks = role == MessageRole.User ? UserBlocks(_entries) : MessageBlockArrays.All(ordered),
                RecoveredEntries = _recovered.Count == 0 ? [] : _recovered.ToArray(),
                DuplicateEntries = Duplicates(ordered, isCanonical),
            };
            messages.Add(message);
            foreach (var e in _entries)
            {
                setMessageOf(e, message);
            }

            _entries.Clear();
            _recovered.Clear();
            _role = null;
            _messageId = null;
        }
    }

    /// <summary>
    /// Where Claude Code continues a resume walk whose next parent is missing (or already walked): the conversation
    /// row (user, assistant, system, attachment) with the nearest timestamp at or before the entry's, at most 5 s
    /// earlier, on the same side of <c>isSidechain</c>, not on the chain yet; of equal ones, the first in the file.
    /// Read from its code (2.1.112 to 2.1.332: <c>P96</c> and its fallback <c>WtY</c>, <c>PtY=5000</c>) and run: a session
    /// whose tool result line was lost resumes whole there, where a walk that stopped would lose everything before it.
    /// Sorted once, on first use: most files never need it.
    /// </summary>
    private sealed class RowsByTime(IReadOnlyList<Entry> entries, SegmentedArray<bool> laterCopy)
    {
        private const long WindowMilliseconds = 5_000;

        // Candidates looked at per fallback: a crafted file of rows all within 5 s of each other stays linear.
        private const int MaxLooks = 4_096;

        private (long Time, int Ordinal)[]? _rows;

        public int Closest(Entry entry, SegmentedArray<bool> seen)
        {
            if (Time(entry) is not { } time)
            {
                return -1;
            }

            var rows = _rows ??= Sort();
            var sidechain = entry.ClaudeCode?.IsSidechain == true;

            // The last row at or before `time`; rows of one time are in descending file order, so walking down meets
            // the nearest time first and, within it, the first row in the file.
            var at = UpperBound(rows, time) - 1;
            for (var looks = 0; at >= 0 && rows[at].Time >= time - WindowMilliseconds && looks < MaxLooks; at--, looks++)
            {
                var ordinal = rows[at].Ordinal;
                if (!seen[ordinal] && (entries[ordinal].ClaudeCode?.IsSidechain == true) == sidechain)
                {
                    return ordinal;
                }
            }

            return -1;
        }

        private (long, int)[] Sort()
        {
            var rows = new List<(long Time, int Ordinal)>();
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                if (e.Kind is EntryKind.User or EntryKind.Assistant or EntryKind.System or EntryKind.Attachment && e.UuidId.HasValue && !laterCopy[i] && Time(e) is { } t)
                {
                    rows.Add((t, i));
                }
            }

            rows.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : b.Ordinal.CompareTo(a.Ordinal));
            return [.. rows];
        }

        // Index of the first row later than `time`.
        private static int UpperBound((long Time, int Ordinal)[] rows, long time)
        {
            int lo = 0, hi = rows.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (rows[mid].Time <= time)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }

        private static long? Time(Entry e) => PackedTimestamp.ToUnixMilliseconds(e.PackedTimestampBits)
            ?? ClaudeCodeDialect.ParseTimestamp(e.Timestamp)?.ToUnixTimeMilliseconds();
    }
}
