using System.Text.RegularExpressions;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// Canonical lower-case uuids are kept packed and every other id as text: the same session with its uuids written
/// in upper case (none packed) must give the same graph, chain and messages, line for line, on every real Claude
/// Code transcript.
/// </summary>
public sealed partial class PackedIdEquivalenceTests
{
    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    private static Conversation Build(IEnumerable<string> lines)
    {
        var dialect = new ClaudeCodeDialect();
        var entries = new List<Entry>();
        var n = 0;
        foreach (var line in lines)
        {
            n++;
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(line);
                var entry = dialect.ReadEntry(doc.RootElement, new TranscriptLine(n, 0, line.Length, LineTerminator.LineFeed, line.Length));
                entry.ShareShape(); // as the host keeps it
                entries.Add(entry);
            }
            catch (System.Text.Json.JsonException)
            {
                // a torn line: not an entry, in either copy
            }
        }

        return dialect.BuildConversation(entries);
    }

    public static TheoryData<string> Files() => [.. Directory.EnumerateFiles(Path.Combine(RepoPaths.RealCorpus, "claude-code"), "*.jsonl").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Text_ids_build_what_packed_ids_build(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.RealCorpus, "claude-code", name));
        var packed = Build(lines);
        var text = Build(lines.Select(l => Uuid().Replace(l, m => m.Value.ToUpperInvariant())));

        packed.Entries.Count(e => e.UuidId is { HasValue: true, TextOnly: null }).ShouldBeGreaterThan(0, "the real file has canonical uuids");
        text.Entries.Count(e => e.UuidId is { HasValue: true, TextOnly: null }).ShouldBe(0, "upper case is kept as text");

        static int[] Lines(IEnumerable<Entry> entries) => [.. entries.Select(e => e.Line.Number)];
        Lines(text.ChainEntries).ShouldBe(Lines(packed.ChainEntries));
        (text.ResumeLeaf?.Line.Number).ShouldBe(packed.ResumeLeaf?.Line.Number);
        Lines(packed.CanonicalEntries).ShouldBe(Lines(packed.Entries.Where(packed.IsCanonical))); // walked by position, asked one by one
        Lines(text.CanonicalEntries).ShouldBe(Lines(packed.CanonicalEntries));
        text.ResumeChain.Select(m => (m.Role, string.Join(",", Lines(m.Entries)), string.Join(",", Lines(m.RecoveredEntries)), m.Blocks.Count))
            .ShouldBe(packed.ResumeChain.Select(m => (m.Role, string.Join(",", Lines(m.Entries)), string.Join(",", Lines(m.RecoveredEntries)), m.Blocks.Count)));
        for (var i = 0; i < packed.Entries.Count; i++)
        {
            var (p, t) = (packed.Entries[i], text.Entries[i]);
            t.Uuid.ShouldBe(p.Uuid?.ToUpperInvariant());
            t.ParentUuid.ShouldBe(p.ParentUuid?.ToUpperInvariant());
            text.IsCanonical(t).ShouldBe(packed.IsCanonical(p));
            (text.ParentOf(t)?.Line.Number).ShouldBe(packed.ParentOf(p)?.Line.Number);
            if (p.Uuid is { } id)
            {
                text.FindByUuid(id.ToUpperInvariant())!.Line.Number.ShouldBe(packed.FindByUuid(id)!.Line.Number);
                Lines(text.ChildrenOf(id.ToUpperInvariant())).ShouldBe(Lines(packed.ChildrenOf(id)));
            }

            if (p.ParentUuid is { } parent)
            {
                Lines(text.ChildrenOf(parent.ToUpperInvariant())).ShouldBe(Lines(packed.ChildrenOf(parent)));
            }
        }
    }
}
