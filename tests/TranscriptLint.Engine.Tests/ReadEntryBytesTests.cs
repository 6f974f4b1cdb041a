using System.Text;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// <see cref="RuleActionContext.ReadEntryBytes"/>: an entry read again by its position gives exactly the bytes its entry
/// action saw, from a file on disk (while the line reader is mid-stream) and from memory, and leaves the rest of the
/// run untouched.
/// </summary>
public sealed class ReadEntryBytesTests
{
    private static readonly RuleDescriptor Descriptor = new("TT0101", "reread", "Re-reads entries", "{0}", "Test", Severity.Warning);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_entry_read_again_is_the_bytes_its_entry_action_saw(bool onDisk)
    {
        // Long lines so the reader refills its buffer between entries; CRLF, a BOM and non-ASCII text on the way.
        var text = new StringBuilder("\uFEFF");
        for (var i = 0; i < 40; i++)
        {
            var body = new string((char)('a' + (i % 26)), 1000 * (i % 7)) + " é 日本";
            text.Append($"{{\"type\":\"user\",\"uuid\":\"u{i}\",\"parentUuid\":{(i == 0 ? "null" : $"\"u{i - 1}\"")},\"message\":{{\"role\":\"user\",\"content\":\"{body}\"}}}}");
            text.Append(i % 3 == 0 ? "\r\n" : "\n");
        }

        var rule = new RereadRule();
        var engine = new LintEngine([new LoadedRule(rule, "tests")], new LintOptions());
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var path = Path.Combine(Path.GetTempPath(), $"tl-reread-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllBytes(path, bytes);
            using var memory = new MemoryStream(bytes);
            var result = onDisk ? engine.LintFile(path) : engine.LintStream(memory, "t.jsonl");

            result.LineCount.ShouldBe(40);
            result.Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
            result.Diagnostics.Select(d => d.Message).ShouldBe(["40 entries, 40 read again during the stream, 40 at the end, foreign: null"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class RereadRule : TranscriptRule
    {
        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

        public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
        {
            var seen = new List<(Entry Entry, byte[] Bytes)>();
            var duringStream = 0;
            start.RegisterEntryAction(e =>
            {
                seen.Add((e.Entry, e.Bytes.ToArray()));

                // Every earlier entry, read again while the reader is part-way through the file.
                duringStream += seen.All(s => e.ReadEntryBytes(s.Entry) is { } b && b.Span.SequenceEqual(s.Bytes)) ? 1 : 0;
            });
            start.RegisterConversationAction(c =>
            {
                var atEnd = seen.Count(s => c.ReadEntryBytes(s.Entry) is { } b && b.Span.SequenceEqual(s.Bytes));
                var foreign = new Entry { Line = new TranscriptLine(3, 12345, 7, LineTerminator.LineFeed, 7), Kind = EntryKind.User };
                var foreignRead = c.ReadEntryBytes(foreign) is null ? "null" : "bytes";
                c.Report(Diagnostic.Create(Descriptor, Location.Of(c.Transcript.Path, seen[0].Entry), null, $"{seen.Count} entries, {duringStream} read again during the stream, {atEnd} at the end, foreign: {foreignRead}"));
            });
        });
    }
}
