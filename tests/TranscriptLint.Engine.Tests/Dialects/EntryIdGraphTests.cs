using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// The uuid graph kept as arrays answers what the dictionaries it replaced answered: the first copy of an id, each
/// id's children in file order, children of an id no entry has, ids that are not canonical uuids.
/// </summary>
public sealed class EntryIdGraphTests
{
    private static Entry E(int line, string? uuid, string? parent) =>
        new() { Line = new TranscriptLine(line, line * 100L, 10, LineTerminator.LineFeed, 10), Kind = EntryKind.User, Uuid = uuid, ParentUuid = parent };

    private static List<string> RandomUuids(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new Guid([.. Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256))]).ToString("D"))];

    private const string A = "aaaaaaaa-0000-4000-8000-000000000001";
    private const string B = "bbbbbbbb-0000-4000-8000-000000000002";
    private const string C = "cccccccc-0000-4000-8000-000000000003";
    private const string Missing = "dddddddd-0000-4000-8000-000000000004";

    [Fact]
    public void First_copies_children_in_file_order_and_dangling_parents()
    {
        var entries = new List<Entry>
        {
            E(1, A, null),
            E(2, B, A),
            E(3, "Not-A-Uuid", A),
            E(4, C, Missing),
            E(5, A, null), // a later copy of A
            E(6, null, A),
            E(7, null, Missing),
            E(8, null, "Not-A-Uuid"),
        };
        var laterCopy = new SegmentedArray<bool>(entries.Count);
        var graph = new EntryIdGraph(new EntryListFacts(entries), laterCopy);

        Enumerable.Range(0, entries.Count).Select(i => laterCopy[i]).ShouldBe([false, false, false, false, true, false, false, false]);
        graph.Find(EntryId.From(A)).ShouldBe(0);
        graph.Find(EntryId.From("Not-A-Uuid")).ShouldBe(2);
        graph.Find(EntryId.From(Missing)).ShouldBe(-1);
        graph.Find(EntryId.None).ShouldBe(-1);
        graph.ChildrenOf(EntryId.From(A)).Select(p => entries[p].Line.Number).ShouldBe([2, 3, 6]);
        graph.ChildrenOf(EntryId.From(Missing)).Select(p => entries[p].Line.Number).ShouldBe([4, 7]);
        graph.ChildrenOf(EntryId.From("Not-A-Uuid")).Select(p => entries[p].Line.Number).ShouldBe([8]);
        graph.ChildrenOf(EntryId.From(B)).ShouldBeEmpty();
    }

    [Fact]
    public void A_long_chain_and_a_wide_fan_in_are_found_entry_by_entry()
    {
        var ids = RandomUuids(new Random(7), 20_000);
        var entries = new List<Entry>();
        for (var i = 0; i < ids.Count; i++)
        {
            entries.Add(E(i + 1, ids[i], i == 0 ? null : ids[i - 1]));
        }

        for (var i = 0; i < 20_000; i++)
        {
            entries.Add(E(ids.Count + i + 1, null, Missing)); // one dangling parent with many children
        }

        var graph = new EntryIdGraph(new EntryListFacts(entries), new SegmentedArray<bool>(entries.Count));
        for (var i = 0; i < ids.Count; i++)
        {
            graph.Find(EntryId.From(ids[i])).ShouldBe(i);
            graph.ChildrenOf(EntryId.From(ids[i])).Select(p => entries[p].Line.Number).ShouldBe(i + 1 < ids.Count ? [i + 2] : []);
        }

        graph.ChildrenOf(EntryId.From(Missing)).Select(p => entries[p].Line.Number).ShouldBe(Enumerable.Range(ids.Count + 1, 20_000));
    }

    [Fact]
    public void Each_entry_keeps_the_first_copy_of_its_parent_whether_it_is_near_or_far()
    {
        var random = new Random(11);
        var ids = RandomUuids(random, 300);
        var entries = new List<Entry>();
        for (var i = 0; i < 3_000; i++)
        {
            // Ids repeat (later copies, sometimes right before a child that names them), parents are the line before, a
            // few lines back, far back, later in the file, missing, text ids, or none.
            var uuid = random.Next(10) switch
            {
                0 => null,
                1 => "text-id-" + random.Next(40),
                _ => ids[random.Next(ids.Count)],
            };
            var parent = random.Next(12) switch
            {
                0 => null,
                1 => Missing,
                2 => "text-id-" + random.Next(40),
                3 or 4 => ids[random.Next(ids.Count)],
                _ => entries.Count == 0 ? null : entries[Math.Max(0, entries.Count - 1 - random.Next(6))].Uuid,
            };
            entries.Add(E(i + 1, uuid, parent));
        }

        var laterCopy = new SegmentedArray<bool>(entries.Count);
        var graph = new EntryIdGraph(new EntryListFacts(entries), laterCopy);
        var nearLaterCopies = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var parent = EntryId.From(entries[i].ParentUuid);
            graph.ParentAt(i).ShouldBe(graph.Find(parent), $"line {i + 1}");
            var first = entries.FindIndex(e => e.Uuid is not null && e.Uuid == entries[i].ParentUuid);
            graph.ParentAt(i).ShouldBe(entries[i].ParentUuid is null ? -1 : first);
            nearLaterCopies += Enumerable.Range(Math.Max(0, i - 4), Math.Min(4, i)).Count(j => laterCopy[j] && entries[j].Uuid == entries[i].ParentUuid);
        }

        nearLaterCopies.ShouldBeGreaterThan(0); // the case the nearby look must skip did occur
    }
}
