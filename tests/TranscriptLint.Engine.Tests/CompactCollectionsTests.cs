using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// The per-line and per-entry collections that keep a long session's memory down: a segmented list that never
/// reaches the large-object heap, and entry ordinals that let the conversation keep per-entry facts in arrays.
/// </summary>
public sealed class CompactCollectionsTests
{
    // Empty, one item, either side of the first segment's growth steps (16, 17, 4,097), either side of a segment
    // boundary (8,192 longs or ints fit under 64 KiB), and many segments.
    public static TheoryData<int> SegmentBoundaries => [0, 1, 16, 17, 4097, 8191, 8192, 8193, 50_000, 300_001];

    [Theory]
    [MemberData(nameof(SegmentBoundaries))]
    public void A_segmented_list_returns_every_item_in_order_across_segments(int count)
    {
        var list = new SegmentedList<long>();
        for (var i = 0; i < count; i++)
        {
            list.Add(i * 3L);
        }

        list.Count.ShouldBe(count);
        list.ShouldBe(Enumerable.Range(0, count).Select(i => i * 3L));
        for (var i = 0; i < count; i += 997)
        {
            list[i].ShouldBe(i * 3L);
        }

        Should.Throw<ArgumentOutOfRangeException>(() => list[count]);
        Should.Throw<ArgumentOutOfRangeException>(() => list[-1]);
    }

    [Theory]
    [MemberData(nameof(SegmentBoundaries))]
    public void A_segmented_array_starts_zeroed_and_keeps_every_item_written_across_segments(int length)
    {
        var array = new SegmentedArray<int>(length);
        array.Length.ShouldBe(length);
        Enumerable.Range(0, length).All(i => array[i] == 0).ShouldBeTrue();
        for (var i = 0; i < length; i++)
        {
            array[i] = (i * 7) + 1;
        }

        if (length > 0)
        {
            array[length - 1]++;
        }

        Enumerable.Range(0, length).Select(i => array[i]).ShouldBe(Enumerable.Range(0, length).Select(i => (i * 7) + 1 + (i == length - 1 ? 1 : 0)));
        Should.Throw<IndexOutOfRangeException>(() => array[-1]);
        Should.Throw<IndexOutOfRangeException>(() => array[length + (1 << 20)]);
    }

    [Fact]
    public void A_segmented_array_of_a_long_session_stays_off_the_large_object_heap()
    {
        // One million 8-byte slots (the id table of a 1 GB session): as one array it would be 8 MB on the large-object heap.
        var array = new SegmentedArray<ulong>(1_000_000);
        var segments = (ulong[][])typeof(SegmentedArray<ulong>)
            .GetField("_segments", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(array)!;
        segments.ShouldAllBe(s => s.Length * sizeof(ulong) < 85_000);
        segments.Sum(s => s.Length).ShouldBe(1_000_000);
        (segments.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<nint>()).ShouldBeLessThan(85_000);
    }

    [Theory]
    [InlineData(1, new[] { 16 })]
    [InlineData(17, new[] { 32 })]
    [InlineData(700, new[] { 1024 })]
    [InlineData(8192, new[] { 8192 })]
    [InlineData(8193, new[] { 8192, 8192 })]
    public void A_segmented_list_starts_small_and_grows_only_its_first_segment(int count, int[] lengths)
    {
        // A short file's lists cost what they hold: three 64 KiB segments a file were most of a small file's lint.
        var list = new SegmentedList<long>();
        for (var i = 0; i < count; i++)
        {
            list.Add(i);
        }

        var segments = (List<long[]>)typeof(SegmentedList<long>)
            .GetField("_segments", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(list)!;
        segments.Select(s => s.Length).ShouldBe(lengths);
        list.ShouldBe(Enumerable.Range(0, count).Select(i => (long)i));
    }

    [Fact]
    public void A_segmented_list_of_line_spans_stays_off_the_large_object_heap()
    {
        var list = new SegmentedList<TranscriptLint.Engine.Fixing.LineSpan>();
        for (var i = 0; i < 100_000; i++)
        {
            list.Add(new TranscriptLint.Engine.Fixing.LineSpan(i, i, LineTerminator.LineFeed, i));
        }

        // Every segment is below the 85,000-byte threshold, so none is allocated on the large-object heap.
        var segments = (List<TranscriptLint.Engine.Fixing.LineSpan[]>)typeof(SegmentedList<TranscriptLint.Engine.Fixing.LineSpan>)
            .GetField("_segments", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(list)!;
        segments.ShouldAllBe(s => s.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<TranscriptLint.Engine.Fixing.LineSpan>() < 85_000);
        list[99_999].Offset.ShouldBe(99_999);
    }

    [Theory]
    [MemberData(nameof(SegmentBoundaries))]
    public void A_line_table_reads_back_every_line_as_added_by_index_and_in_order(int count)
    {
        // Contiguous lines as the reader gives them (a BOM before the first), with every terminator, unknown and
        // non-ASCII character counts, and a few lines beyond what the packed fields hold.
        var random = new Random(count + 20261203);
        var expected = new List<TranscriptLint.Engine.Fixing.LineSpan>();
        var table = new TranscriptLint.Engine.Fixing.LineTable();
        long offset = 3;
        for (var i = 0; i < count; i++)
        {
            var terminator = i == count - 1 ? LineTerminator.None : (LineTerminator)random.Next(1, 3);
            var length = i % 4099 == 7 ? int.MaxValue - 9 : random.Next(0, 5000);
            var chars = i % 3001 == 5 ? -1 : i % 4099 == 7 ? (1 << 30) + 11 : length - random.Next(0, Math.Max(1, length / 3));
            var span = new TranscriptLint.Engine.Fixing.LineSpan(offset, length, terminator, chars);
            expected.Add(span);
            table.Add(span);
            offset = span.Next;
        }

        table.Count.ShouldBe(count);
        table.ShouldBe(expected);
        for (var i = 0; i < count; i += 61)
        {
            table[i].ShouldBe(expected[i]);
        }

        if (count > 0)
        {
            table[count - 1].ShouldBe(expected[^1]);
        }

        Should.Throw<ArgumentOutOfRangeException>(() => table[count]);
        Should.Throw<ArgumentOutOfRangeException>(() => table[-1]);
    }

    [Fact]
    public void A_line_table_keeps_a_line_that_does_not_start_where_the_one_before_ended()
    {
        TranscriptLint.Engine.Fixing.LineSpan[] lines =
        [
            new(0, 10, LineTerminator.LineFeed, 10),
            new(11, 5, LineTerminator.CarriageReturnLineFeed, 5),
            new(100, 4, LineTerminator.LineFeed, 4), // a gap
            new(105, 0, LineTerminator.LineFeed, 0),
            new(50, 2, LineTerminator.None, 2), // back
        ];
        var table = new TranscriptLint.Engine.Fixing.LineTable();
        foreach (var line in lines)
        {
            table.Add(line);
        }

        table.ShouldBe(lines);
        Enumerable.Range(0, lines.Length).Select(i => table[i]).ShouldBe(lines);
    }

    [Fact]
    public void A_line_span_keeps_every_part_in_16_bytes()
    {
        System.Runtime.CompilerServices.Unsafe.SizeOf<TranscriptLint.Engine.Fixing.LineSpan>().ShouldBe(16);
        long[] offsets = [0, 3, int.MaxValue + 5L, (1L << 62) - 1];
        foreach (var offset in offsets)
        {
            foreach (var terminator in Enum.GetValues<LineTerminator>())
            {
                foreach (var chars in new[] { -1, 0, 7, int.MaxValue })
                {
                    var span = new TranscriptLint.Engine.Fixing.LineSpan(offset, int.MaxValue - 1, terminator, chars);
                    (span.Offset, span.Length, span.Terminator, span.Chars).ShouldBe((offset, int.MaxValue - 1, terminator, chars));
                    span.ShouldBe(new TranscriptLint.Engine.Fixing.LineSpan(offset, int.MaxValue - 1, terminator, chars));
                }
            }
        }

        Should.Throw<ArgumentOutOfRangeException>(() => new TranscriptLint.Engine.Fixing.LineSpan(1L << 62, 0, LineTerminator.None, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => new TranscriptLint.Engine.Fixing.LineSpan(-1, 0, LineTerminator.None, 0));
    }

    [Fact]
    public void Entry_ordinals_find_each_line_entry_and_nothing_else()
    {
        var entries = Entries(1, 2, 4, 5);
        var ordinals = new EntryOrdinals(entries);
        entries.Select(ordinals.Of).ShouldBe([0, 1, 2, 3]);

        // An entry of another transcript on the same line number is not one of these.
        ordinals.Of(Entries(2)[0]).ShouldBe(-1);
        ordinals.Of(Entries(3)[0]).ShouldBe(-1);
        ordinals.Of(Entries(99)[0]).ShouldBe(-1);
    }

    [Fact]
    public void Entry_ordinals_find_entries_in_runs_split_by_lines_without_one()
    {
        // Runs of consecutive lines (3-5, 9-10, 20) after blank or unreadable lines: every entry is found in its run,
        // and no line before, between or after the runs answers for another transcript's entry.
        var entries = Entries(3, 4, 5, 9, 10, 20);
        var ordinals = new EntryOrdinals(entries);
        entries.Select(ordinals.Of).ShouldBe([0, 1, 2, 3, 4, 5]);
        foreach (var line in new[] { 0, 1, 2, 3, 5, 6, 8, 9, 11, 19, 20, 21, 1000 })
        {
            ordinals.Of(Entries(line)[0]).ShouldBe(-1, $"line {line}");
        }

        var single = Entries(1, 2, 3);
        new EntryOrdinals(single).Of(single[2]).ShouldBe(2);
        new EntryOrdinals(single).Of(Entries(4)[0]).ShouldBe(-1);
        new EntryOrdinals([]).Of(Entries(1)[0]).ShouldBe(-1);

        // One run that starts after line 1 (a Codex chain after its session_meta line): a line before it is no entry of
        // the list. It used to read the list at a negative index and crash the HTML report.
        var later = Entries(3, 4, 5);
        new EntryOrdinals(later).Of(Entries(1)[0]).ShouldBe(-1);
        new EntryOrdinals(later).Of(Entries(2)[0]).ShouldBe(-1);
        new EntryOrdinals(later).Of(later[0]).ShouldBe(0);
    }

    [Fact]
    public void Entry_ordinals_of_entries_that_share_a_line_fall_back_to_identity()
    {
        // A document's elements can share a line; each still gets its own ordinal.
        var entries = Entries(1, 1, 1, 2);
        var ordinals = new EntryOrdinals(entries);
        entries.Select(ordinals.Of).ShouldBe([0, 1, 2, 3]);
        ordinals.Of(Entries(1)[0]).ShouldBe(-1);
    }

    [Fact]
    public void An_entry_listed_twice_answers_with_its_last_place()
    {
        var entries = Entries(1, 2);
        entries.Add(entries[0]);
        new EntryOrdinals(entries).Of(entries[0]).ShouldBe(2);
    }

    [Fact]
    public void A_linear_conversation_walks_its_chain_and_answers_only_for_its_own_entries()
    {
        var lines = new[]
        {
            """{"role":"user","content":"hi"}""",
            """{"role":"assistant","content":"hello"}""",
            """{"role":"user","content":"bye"}""",
        };
        var dialect = new ChatDialect();
        var entries = lines.Select((l, i) => Read(dialect, l, i + 1)).ToList();
        var c = dialect.BuildConversation(entries);

        c.ChainChildOf(entries[0]).ShouldBeSameAs(entries[1]);
        c.ChainChildOf(entries[1]).ShouldBeSameAs(entries[2]);
        c.ChainChildOf(entries[2]).ShouldBeNull();
        c.MessageOf(entries[1])!.Role.ShouldBe(MessageRole.Assistant);
        c.MessageOf(entries[2])!.Index.ShouldBe(2);
        var stranger = Read(dialect, lines[1], 2);
        c.MessageOf(stranger).ShouldBeNull();
        c.ChainChildOf(stranger).ShouldBeNull();
        c.IsInResumeContext(stranger).ShouldBeFalse();
    }

    [Fact]
    public void The_claude_code_conversation_answers_only_for_its_own_entries()
    {
        var lines = new[]
        {
            """{"type":"user","uuid":"u1","parentUuid":null,"sessionId":"s","message":{"role":"user","content":"hi"}}""",
            """{"type":"assistant","uuid":"a1","parentUuid":"u1","sessionId":"s","message":{"id":"m1","role":"assistant","content":[{"type":"text","text":"hello"}]}}""",
        };
        var dialect = new ClaudeCodeDialect();
        var entries = lines.Select((l, i) => Read(dialect, l, i + 1)).ToList();
        var stranger = Read(dialect, lines[1], 2); // same line, same uuid, another object
        var c = dialect.BuildConversation(entries);

        c.ChainChildOf(entries[0]).ShouldBeSameAs(entries[1]);
        c.MessageOf(entries[1])!.Role.ShouldBe(MessageRole.Assistant);
        c.IsInResumeContext(entries[0]).ShouldBeTrue();
        c.MessageOf(stranger).ShouldBeNull();
        c.ChainChildOf(stranger).ShouldBeNull();
        c.IsInResumeContext(stranger).ShouldBeFalse();
    }

    [Fact]
    public void A_linear_conversation_finds_entries_by_id_the_earliest_copy_first()
    {
        // Request bodies key their entries by pointer; a later copy of an id is not the canonical one.
        Entry Make(int line, string? id, EntryKind kind) => new() { Line = new TranscriptLine(line, line * 10, 5, LineTerminator.LineFeed, 5), Kind = kind, Uuid = id, HasContent = true };
        var entries = new List<Entry> { Make(1, "/messages/0", EntryKind.User), Make(2, "/messages/1", EntryKind.Assistant), Make(3, "/messages/0", EntryKind.User), Make(4, null, EntryKind.User) };
        var c = new ChatDialect().BuildConversation(entries);

        c.FindByUuid("/messages/0").ShouldBeSameAs(entries[0]);
        c.FindByUuid("/messages/1").ShouldBeSameAs(entries[1]);
        c.FindByUuid("/messages/9").ShouldBeNull();
        c.IsCanonical(entries[0]).ShouldBeTrue();
        c.IsCanonical(entries[2]).ShouldBeFalse();
        c.IsCanonical(entries[3]).ShouldBeTrue();
        c.CanonicalEntries.ShouldBe([entries[0], entries[1], entries[3]]);
    }

    private static List<Entry> Entries(params int[] lineNumbers) =>
        [.. lineNumbers.Select(n => new Entry { Line = new TranscriptLine(n, n * 10, 5, LineTerminator.LineFeed, 5), Kind = EntryKind.User })];

    private static Entry Read(IDialect dialect, string line, int number)
    {
        using var doc = JsonDocument.Parse(line);
        return dialect.ReadEntry(doc.RootElement, new TranscriptLine(number, 0, line.Length, LineTerminator.LineFeed, line.Length));
    }
}
