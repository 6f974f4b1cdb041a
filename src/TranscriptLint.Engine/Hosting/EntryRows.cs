using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// What a lint keeps of each entry once its line's rules have run, when no rule asks for the object model (decision
/// 0004, step 2): one plain row per entry and one per block, in large chunks, with the facts many entries share as a
/// shape number and ids as packed uuids or characters in an arena. No object is kept per line, so a long session's
/// index costs its rows' bytes and nothing at each collection. The conversation is built over it by position
/// (<see cref="ClaudeCodeChain"/>), and <see cref="RowIndex"/> answers the rules from it.
/// </summary>
internal sealed class EntryRows(LineTable lines) : IEntryFacts
{
    private readonly RowChunks<Row> _rows = new();
    private readonly RowChunks<BlockRow> _blocks = new();
    private readonly TextArena _texts = new();
    private readonly Shapes<EntryShape> _entryShapes = new();
    private readonly Shapes<BlockShape> _blockShapes = new();
    private Dictionary<int, RareTexts>? _rare; // ids that are not packed uuids, timestamps that do not pack

    public int Count => _rows.Count;

    /// <summary>Copies an entry (its shape shared already) into a row.</summary>
    public void Add(Entry entry)
    {
        var position = _rows.Count;
        ref var row = ref _rows.Add();
        row.LineNumber = entry.Line.Number; // the rest of the line is the host's line table's
        row.Shape = _entryShapes.Of(entry.Shape);
        var uuid = entry.UuidId;
        var parent = entry.ParentId;
        (row.UuidHigh, row.UuidLow, row.ParentHigh, row.ParentLow) = (uuid.High, uuid.Low, parent.High, parent.Low);
        row.PackedTime = entry.PackedTimestampBits;
        if (uuid.TextOnly is not null || parent.TextOnly is not null || (row.PackedTime == 0 && entry.Timestamp is not null))
        {
            (_rare ??= [])[position] = new(uuid.TextOnly, parent.TextOnly, row.PackedTime == 0 ? entry.Timestamp : null);
        }

        // Lines of one response share their message id: kept once, for the run.
        var messageId = entry.MessageId;
        row.MessageId = position > 0 && _texts.Equal(_rows[position - 1].MessageId, messageId) ? _rows[position - 1].MessageId : _texts.Add(messageId);

        row.FirstBlock = _blocks.Count;
        row.BlockCount = entry.BlockCount;
        for (var i = 0; i < row.BlockCount; i++)
        {
            var block = entry.BlockAt(i);
            ref var b = ref _blocks.Add();
            b.Shape = _blockShapes.Of(block.Shape);
            b.ToolId = _texts.Add(block.ToolId);
            b.TextLength = block.TextLength;
            b.SignatureLength = block.SignatureLength;
            b.ByteSize = (int)block.ByteSize; // a line holds at most 2 GB
        }
    }

    public TranscriptLine LineAt(int position)
    {
        var number = _rows[position].LineNumber;
        var line = lines[number - 1];
        return new(number, line.Offset, line.Length, line.Terminator, line.Chars);
    }

    /// <summary>The position of the entry on this line, or -1 (rows are in line order).</summary>
    public int PositionOfLine(int lineNumber)
    {
        int lo = 0, hi = _rows.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var at = _rows[mid].LineNumber;
            if (at == lineNumber)
            {
                return mid;
            }

            if (at < lineNumber)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    public EntryShape ShapeAt(int position) => _entryShapes[_rows[position].Shape];

    public EntryKind KindAt(int position) => ShapeAt(position).Kind;

    public EntryId UuidIdAt(int position)
    {
        ref var row = ref _rows[position];
        return new(row.UuidHigh, row.UuidLow, Rare(position).Uuid);
    }

    public EntryId ParentIdAt(int position)
    {
        ref var row = ref _rows[position];
        return new(row.ParentHigh, row.ParentLow, Rare(position).Parent);
    }

    public bool HasContentAt(int position) => ShapeAt(position).HasContent;

    public int LineNumberAt(int position) => _rows[position].LineNumber;

    public bool IsSidechainAt(int position) => ShapeAt(position).ClaudeCode?.IsSidechain == true;

    public long? TimeAt(int position) => EntryListFacts.TimeOf(_rows[position].PackedTime, Rare(position).Timestamp);

    public string? SessionIdAt(int position) => ShapeAt(position).SessionId;

    public string? MessageIdAt(int position) => _texts.Get(_rows[position].MessageId);

    public bool HasMessageIdAt(int position) => !_rows[position].MessageId.IsNone;

    public bool SameMessageId(int position, int other) => _texts.Equal(_rows[position].MessageId, _rows[other].MessageId);

    public bool SameMessageKey(int position, int other)
    {
        var (a, b) = (_rows[position].MessageId, _rows[other].MessageId);
        return !a.IsNone && !b.IsNone ? _texts.Equal(a, b) : (MessageIdAt(position) ?? UuidIdAt(position).Text) == (MessageIdAt(other) ?? UuidIdAt(other).Text);
    }

    public int BlockCountAt(int position) => _rows[position].BlockCount;

    public BlockShape BlockShapeAt(int position, int ordinal) => _blockShapes[Block(position, ordinal).Shape];

    public BlockKind BlockKindAt(int position, int ordinal) => BlockShapeAt(position, ordinal).Kind;

    public int BlockIndexAt(int position, int ordinal) => BlockShapeAt(position, ordinal).Index;

    public string? BlockToolIdAt(int position, int ordinal) => _texts.Get(Block(position, ordinal).ToolId);

    public int BlockTextLengthAt(int position, int ordinal) => Block(position, ordinal).TextLength;

    public int BlockSignatureLengthAt(int position, int ordinal) => Block(position, ordinal).SignatureLength;

    public long BlockByteSizeAt(int position, int ordinal) => Block(position, ordinal).ByteSize;

    private ref BlockRow Block(int position, int ordinal) => ref _blocks[_rows[position].FirstBlock + ordinal];

    private RareTexts Rare(int position) => _rare is not null && _rare.TryGetValue(position, out var rare) ? rare : default;

    // 64 bytes: every line's row is memory the process touches for the first time (about 10 µs a page on a VM), so the
    // line's offset and lengths stay in the host's line table, which has them already.
    private struct Row
    {
        public ulong UuidHigh;
        public ulong UuidLow;
        public ulong ParentHigh;
        public ulong ParentLow;
        public long PackedTime;
        public TextRef MessageId;
        public int LineNumber;
        public int Shape;
        public int FirstBlock;
        public int BlockCount;
    }

    // 24 bytes.
    private struct BlockRow
    {
        public TextRef ToolId;
        public int ByteSize;
        public int Shape;
        public int TextLength;
        public int SignatureLength;
    }

    private readonly record struct RareTexts(string? Uuid, string? Parent, string? Timestamp);

    /// <summary>
    /// Shapes by number: equal shapes (by value) get one number. A shape numbered here carries this store's stamp
    /// (<see cref="SharedShape{TShape}.RowStamp"/>), so the lines that share a shape object find its number with no
    /// lookup; only an object not seen before is looked up by value.
    /// </summary>
    private sealed class Shapes<TShape>
        where TShape : SharedShape<TShape>
    {
        private static int s_stores;

        private readonly long _stamp = (long)Interlocked.Increment(ref s_stores) << 32;
        private readonly List<TShape> _shapes = [];
        private readonly Dictionary<TShape, int> _byValue = [];

        public TShape this[int number] => _shapes[number];

        public int Of(TShape shape)
        {
            var stamp = shape.RowStamp;
            if ((stamp & StoreMask) == _stamp)
            {
                return (int)stamp;
            }

            if (!_byValue.TryGetValue(shape, out var number))
            {
                _byValue[shape] = number = _shapes.Count;
                _shapes.Add(shape);
            }

            shape.RowStamp = _stamp | (uint)number;
            return number;
        }

        private const long StoreMask = unchecked((long)0xFFFF_FFFF_0000_0000);
    }
}
