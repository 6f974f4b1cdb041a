using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// The Claude Code resume chain by entry position (decision 0004, step 2): the uuid graph, the leaf, the walk and the
/// API messages, rebuilt the way a resume does it (RULES.md "Resume chain"): pick the leaf, walk <c>parentUuid</c> back
/// through progress/system lines, merge lines that share <c>message.id</c>, merge consecutive user lines (tool results
/// first), and re-attach tool results and sibling lines that hang off a line of a response on the chain (parallel tool
/// calls). It reads only <see cref="IEntryFacts"/>, so it runs over kept entries (<see cref="ClaudeCodeConversation"/>
/// makes the object model from it) and over rows alike, and it makes no object per entry.
/// </summary>
internal sealed class ClaudeCodeChain
{
    private readonly IEntryFacts _facts;
    private readonly SegmentedArray<int> _messageOf;  // the message's number + 1, 0 for none (4 bytes a slot, not 8)
    private readonly SegmentedArray<int> _chainChild; // the chain child's position + 1, 0 for none
    private readonly SegmentedArray<bool> _laterCopy; // a later copy of a uuid seen before (not canonical), by position
    private readonly List<int> _chain = [];
    private readonly RowsByTime _timeIndex;

    // The messages, flat: message m's entries are _entries[_entryStart[m].._entryStart[m + 1]], and so on for its blocks
    // and recovered entries (in the order they were re-attached). One list each, not arrays per message.
    private readonly List<MessageRole> _roles = [];
    private readonly List<int> _entryStart = [0];
    private readonly List<int> _entries = [];
    private readonly List<int> _blockStart = [0];
    private readonly List<(int Position, int Ordinal)> _blocks = [];
    private readonly List<int> _recoveredStart = [0];
    private readonly List<int> _recoveredEntries = [];
    private readonly List<bool> _hasDuplicates = [];

    public ClaudeCodeChain(IEntryFacts facts)
    {
        _facts = facts;
        var count = facts.Count;
        _messageOf = new SegmentedArray<int>(count);
        _chainChild = new SegmentedArray<int>(count);
        _laterCopy = new SegmentedArray<bool>(count);
        Graph = new EntryIdGraph(facts, _laterCopy);
        _timeIndex = new RowsByTime(facts, _laterCopy);
        SessionId = MostCommonSession(facts);
        LeafPosition = FindLeaf(facts);
        WalkChain();
        BuildMessages();
    }

    public EntryIdGraph Graph { get; }

    /// <summary>The session id most entries carry.</summary>
    public string? SessionId { get; }

    /// <summary>The entry a resume continues from, or -1.</summary>
    public int LeafPosition { get; }

    /// <summary>How many entries the walk from the root to the leaf passes.</summary>
    public int ChainLength => _chain.Count;

    /// <summary>The position of the walk's <paramref name="i"/>th entry, from the root.</summary>
    public int ChainAt(int i) => _chain[i];

    public int ParentAt(int position) => Graph.ParentAt(position);

    public int FirstCopyAt(int position) => Graph.Find(_facts.UuidIdAt(position));

    public bool IsCanonicalAt(int position) => !_laterCopy[position];

    /// <summary>The message a resume puts the entry in (0-based), or -1 when it sends no message with it.</summary>
    public int MessageOfAt(int position) => _messageOf[position] - 1;

    /// <summary>The position of the next entry on the walk, or -1.</summary>
    public int ChainChildAt(int position) => _chainChild[position] - 1;

    /// <summary>The children of an entry (a later copy's are its first copy's), in file order.</summary>
    public IReadOnlyList<int> ChildrenAt(int position) => Graph.ChildrenAt(LinkedAt(position));

    // Where an entry's children are linked: a first copy's to its own position, a later copy's to its first copy's
    // (which a later copy always has: it is later because of it).
    private int LinkedAt(int position) => _laterCopy[position] ? Graph.Find(_facts.UuidIdAt(position)) : position;

    public int MessageCount => _roles.Count;

    public MessageRole RoleOf(int message) => _roles[message];

    public int EntryCountOf(int message) => _entryStart[message + 1] - _entryStart[message];

    public int EntryOf(int message, int i) => _entries[_entryStart[message] + i];

    public int BlockCountOf(int message) => _blockStart[message + 1] - _blockStart[message];

    public (int Position, int Ordinal) BlockOf(int message, int i) => _blocks[_blockStart[message] + i];

    public int RecoveredCountOf(int message) => _recoveredStart[message + 1] - _recoveredStart[message];

    public int RecoveredOf(int message, int i) => _recoveredEntries[_recoveredStart[message] + i];

    /// <summary>Whether the entry was re-attached to message <paramref name="message"/> from a side branch.</summary>
    public bool IsRecoveredIn(int message, int position)
    {
        for (var i = 0; i < RecoveredCountOf(message); i++)
        {
            if (RecoveredOf(message, i) == position)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the message holds a later copy of a line (its canonical entries and blocks are then fewer).</summary>
    public bool HasDuplicates(int message) => _hasDuplicates[message];

    // Lines of one session share one id string (the entry's shape), so runs are counted before the dictionary is.
    private static string? MostCommonSession(IEntryFacts facts)
    {
        var sessions = new Dictionary<string, int>(StringComparer.Ordinal);
        string? run = null;
        var runLength = 0;
        for (var i = 0; i < facts.Count; i++)
        {
            var s = facts.SessionIdAt(i);
            if (!ReferenceEquals(s, run))
            {
                CountRun();
                (run, runLength) = (s, 0);
            }

            runLength++;
        }

        CountRun();
        return sessions.Count == 0 ? null : sessions.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;

        void CountRun()
        {
            if (run is not null)
            {
                sessions[run] = sessions.GetValueOrDefault(run) + runLength;
            }
        }
    }

    // The leaf: the last user/assistant entry in file order that is not a sidechain; a subagent file, where
    // every line is a sidechain, uses its last sidechain entry.
    private static int FindLeaf(IEntryFacts facts)
    {
        var sidechainLeaf = -1;
        for (var i = facts.Count - 1; i >= 0; i--)
        {
            if (facts.KindAt(i) is not (EntryKind.User or EntryKind.Assistant) || !facts.UuidIdAt(i).HasValue)
            {
                continue;
            }

            if (!facts.IsSidechainAt(i))
            {
                return i;
            }

            if (sidechainLeaf < 0)
            {
                sidechainLeaf = i;
            }
        }

        return sidechainLeaf;
    }

    private void WalkChain()
    {
        var seen = new SegmentedArray<bool>(_facts.Count);
        for (var position = LeafPosition; position >= 0;)
        {
            seen[position] = true;
            _chain.Add(position);
            var parent = Graph.ParentAt(position);
            if (parent < 0 && _facts.ParentIdAt(position).HasValue || parent >= 0 && seen[parent])
            {
                // A parent that is not in the file, or one the walk has passed (a cycle): Claude Code does not stop
                // there but takes the row written closest before this one, within 5 s (docs/formats/claude-code.md).
                parent = _timeIndex.Closest(position, seen);
            }

            position = parent;
        }

        _chain.Reverse();
        for (var i = 0; i + 1 < _chain.Count; i++)
        {
            _chainChild[_chain[i]] = _chain[i + 1] + 1;
        }
    }

    private bool IsMessage(int p) => _facts.KindAt(p) is EntryKind.User or EntryKind.Assistant && _facts.HasContentAt(p);

    private bool IsToolResultLine(int p) =>
        _facts.KindAt(p) == EntryKind.User && _facts.BlockCountAt(p) > 0 && _facts.BlockKindAt(p, 0) == BlockKind.ToolResult;

    private void BuildMessages()
    {
        var onChain = new SegmentedArray<bool>(_facts.Count);
        foreach (var p in _chain)
        {
            onChain[p] = true;
        }

        var attached = new SegmentedArray<bool>(_facts.Count);
        var builder = new MessageListBuilder(this);
        var results = new List<int>();
        var queue = new Queue<int>();

        foreach (var position in _chain)
        {
            if (!IsMessage(position))
            {
                continue; // progress, system, attachments: walked through, never sent
            }

            if (_facts.KindAt(position) == EntryKind.Assistant)
            {
                builder.AddAssistant(position, recovered: false);

                // Parallel tool calls: sibling lines of this response and their results hang off this line on
                // side branches (through progress lines); a resume re-attaches them.
                results.Clear();
                CollectSideBranches(position, onChain, attached, builder, results, queue);
                foreach (var r in results)
                {
                    builder.AddPendingResult(r);
                }
            }
            else
            {
                builder.AddUser(position, recovered: false);
            }
        }

        builder.Finish();
    }

    // results and queue are the caller's, reused from one assistant line to the next (it empties both).
    private void CollectSideBranches(int line, SegmentedArray<bool> onChain, SegmentedArray<bool> attached, MessageListBuilder builder, List<int> results, Queue<int> queue)
    {
        if (!_facts.UuidIdAt(line).HasValue || !_facts.HasMessageIdAt(line))
        {
            return;
        }

        queue.Clear();
        queue.Enqueue(line);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (!_facts.UuidIdAt(current).HasValue)
            {
                continue;
            }

            for (var child = Graph.FirstChildAt(LinkedAt(current)); child >= 0; child = Graph.NextSiblingAt(child))
            {
                if (onChain[child] || attached[child])
                {
                    continue;
                }

                attached[child] = true;
                var kind = _facts.KindAt(child);
                if (kind == EntryKind.Progress)
                {
                    queue.Enqueue(child); // walk through progress lines threaded between blocks
                    attached[child] = false;
                }
                else if (kind == EntryKind.Assistant && _facts.SameMessageId(child, line) && IsMessage(child))
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
                    attached[child] = false;
                }
            }
        }
    }

    /// <summary>Accumulates chain entries into API messages, written to the chain's flat lists.</summary>
    private sealed class MessageListBuilder(ClaudeCodeChain chain)
    {
        private readonly IEntryFacts _facts = chain._facts;
        private readonly List<int> _entries = [];
        private readonly List<int> _recovered = [];
        private readonly List<int> _pendingResults = [];
        private Func<(int Position, int Ordinal), bool>? _isResult; // made once, not once a message
        private MessageRole? _role;
        private int _keyOf = -1; // the entry whose message key (message id, or uuid) the current assistant message has

        public void AddAssistant(int position, bool recovered)
        {
            if (recovered || (_role == MessageRole.Assistant && _facts.SameMessageKey(position, _keyOf)))
            {
                Add(position, recovered);
                return;
            }

            Flush();
            FlushPendingResults();
            _role = MessageRole.Assistant;
            _keyOf = position;
            Add(position, recovered);
        }

        public void AddUser(int position, bool recovered)
        {
            if (_role != MessageRole.User)
            {
                Flush();
                _role = MessageRole.User;
            }

            MovePendingResultsIn();
            Add(position, recovered);
        }

        public void AddPendingResult(int position) => _pendingResults.Add(position);

        public void Finish()
        {
            Flush();
            FlushPendingResults();
        }

        private void Add(int position, bool recovered)
        {
            _entries.Add(position);
            if (recovered)
            {
                _recovered.Add(position);
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
        private void InLineOrder()
        {
            for (var i = 1; i < _entries.Count; i++)
            {
                if (_facts.LineNumberAt(_entries[i]) < _facts.LineNumberAt(_entries[i - 1]))
                {
                    var sorted = _entries.OrderBy(_facts.LineNumberAt).ToArray(); // OrderBy is stable
                    _entries.Clear();
                    _entries.AddRange(sorted);
                    return;
                }
            }
        }

        // Every block of the entries, entry by entry, in block order.
        private (int Position, int Ordinal)[] AllBlocks()
        {
            var count = 0;
            foreach (var p in _entries)
            {
                count += _facts.BlockCountAt(p);
            }

            var blocks = count == 0 ? [] : new (int Position, int Ordinal)[count];
            var at = 0;
            foreach (var p in _entries)
            {
                for (var o = 0; o < _facts.BlockCountAt(p); o++)
                {
                    blocks[at++] = (p, o);
                }
            }

            return blocks;
        }

        // Consecutive user lines merge into one message with the tool results first: the results ordered by line, then
        // by block (stable), then every other block in chain order.
        private (int Position, int Ordinal)[] UserBlocks()
        {
            var blocks = MessageBlockArrays.ResultsFirst(AllBlocks(), _isResult ??= IsResult);
            var results = 0;
            while (results < blocks.Length && IsResult(blocks[results]))
            {
                results++;
            }

            for (var i = 1; i < results; i++)
            {
                if (ResultOrder(blocks[i - 1], blocks[i]) > 0)
                {
                    // The array is this message's own: sort its results in place (OrderBy is stable).
                    blocks.Take(results).OrderBy(b => b, Comparer<(int, int)>.Create(ResultOrder)).ToArray().CopyTo(blocks, 0);
                    break;
                }
            }

            return blocks;
        }

        private bool IsResult((int Position, int Ordinal) b) => _facts.BlockKindAt(b.Position, b.Ordinal) == BlockKind.ToolResult;

        // Results go by line, then by block: the one order both the check and the sort use.
        private int ResultOrder((int Position, int Ordinal) a, (int Position, int Ordinal) b)
        {
            var byLine = _facts.LineNumberAt(a.Position).CompareTo(_facts.LineNumberAt(b.Position));
            return byLine != 0 ? byLine : _facts.BlockIndexAt(a.Position, a.Ordinal).CompareTo(_facts.BlockIndexAt(b.Position, b.Ordinal));
        }

        private void Flush()
        {
            if (_entries.Count == 0 || _role is not { } role)
            {
                _role = null;
                return;
            }

            var number = chain._roles.Count;
            foreach (var p in _entries)
            {
                chain._messageOf[p] = number + 1; // in the order added, as before the sort
            }

            if (role == MessageRole.Assistant)
            {
                InLineOrder();
            }

            var blocks = role == MessageRole.User ? UserBlocks() : AllBlocks(); // a user message's from the entries in chain order

            var duplicates = false;
            foreach (var p in _entries)
            {
                duplicates |= chain._laterCopy[p];
            }

            chain._roles.Add(role);
            chain._entries.AddRange(_entries);
            chain._entryStart.Add(chain._entries.Count);
            chain._blocks.AddRange(blocks);
            chain._blockStart.Add(chain._blocks.Count);
            chain._recoveredEntries.AddRange(_recovered);
            chain._recoveredStart.Add(chain._recoveredEntries.Count);
            chain._hasDuplicates.Add(duplicates);

            _entries.Clear();
            _recovered.Clear();
            _role = null;
            _keyOf = -1;
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
    private sealed class RowsByTime(IEntryFacts facts, SegmentedArray<bool> laterCopy)
    {
        private const long WindowMilliseconds = 5_000;

        // Candidates looked at per fallback: a crafted file of rows all within 5 s of each other stays linear.
        private const int MaxLooks = 4_096;

        private (long Time, int Position)[]? _rows;

        public int Closest(int position, SegmentedArray<bool> seen)
        {
            if (facts.TimeAt(position) is not { } time)
            {
                return -1;
            }

            var rows = _rows ??= Sort();
            var sidechain = facts.IsSidechainAt(position);

            // The last row at or before `time`; rows of one time are in descending file order, so walking down meets
            // the nearest time first and, within it, the first row in the file.
            var at = UpperBound(rows, time) - 1;
            for (var looks = 0; at >= 0 && rows[at].Time >= time - WindowMilliseconds && looks < MaxLooks; at--, looks++)
            {
                var candidate = rows[at].Position;
                if (!seen[candidate] && facts.IsSidechainAt(candidate) == sidechain)
                {
                    return candidate;
                }
            }

            return -1;
        }

        private (long, int)[] Sort()
        {
            var rows = new List<(long Time, int Position)>();
            for (var i = 0; i < facts.Count; i++)
            {
                if (facts.KindAt(i) is EntryKind.User or EntryKind.Assistant or EntryKind.System or EntryKind.Attachment && facts.UuidIdAt(i).HasValue && !laterCopy[i] && facts.TimeAt(i) is { } t)
                {
                    rows.Add((t, i));
                }
            }

            rows.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : b.Position.CompareTo(a.Position));
            return [.. rows];
        }

        // Index of the first row later than `time`.
        private static int UpperBound((long Time, int Position)[] rows, long time)
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
    }
}
