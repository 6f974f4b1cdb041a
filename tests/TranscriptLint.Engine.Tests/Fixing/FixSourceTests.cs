using System.Text;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// The fix's source read from the file on demand: it must read exactly what the array would, split lines exactly as
/// the array is split (across its 1 MiB read chunks), and refuse to write when the file's bytes are no longer the ones
/// hashed when it was opened, wherever the change is (inside an edited range too).
/// </summary>
public sealed class FixSourceTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tl-fixsource-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_path);

    private static TextEdit Edit(long offset, long length, string inserted) => new(offset, length, inserted, -1, -1, 1, 1, 1, 1);

    private FixSource Open(byte[] bytes)
    {
        File.WriteAllBytes(_path, bytes);
        var source = FixSource.OpenFile(_path);
        source.WaitUntilRead(); // as `fix` does before it lints: the bytes hashed are the ones the file had when opened
        return source;
    }

    [Fact]
    public void A_file_source_reads_hashes_and_writes_what_the_array_does()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":\"ü\"}\r\n{\"torn\":");
        using var source = Open(bytes);
        source.Length.ShouldBe(bytes.Length);
        source.Hash.ShouldBe(ContentHash.Of(bytes));
        source.Hash.ShouldBe(FixSource.Of(bytes).Hash);
        source.Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))); // made on demand, by reading the file
        source.Sha256.ShouldBe(FixSource.Of(bytes).Sha256);
        source.Memory.ShouldBeNull();
        source.ToArray().ShouldBe(bytes);

        TextEdit[] edits = [Edit(0, 8, ""), Edit(bytes.Length - 8, 8, "")];
        var content = FixedContent.Apply(source, edits);
        var expected = RenderedFix.Apply(bytes, edits);
        content.ToArray().ShouldBe(expected);
        content.ContentEquals(expected).ShouldBeTrue();
        content.ContentEquals(FixedContent.Apply(bytes, edits)).ShouldBeTrue();
        using var written = new MemoryStream();
        content.WriteTo(written);
        written.ToArray().ShouldBe(expected);
        FixVerification.KeepsOutside(source, content, edits).ShouldBeNull();
    }

    [Theory]
    [InlineData(3, "outside every edit")]
    [InlineData(12, "inside the line the edit deletes")]
    public void Writing_refuses_when_the_file_changed_after_it_was_opened(int at, string where)
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"torn\":");
        using var source = Open(bytes);
        var content = FixedContent.Apply(source, [Edit(8, bytes.Length - 8, "")]);
        var changed = (byte[])bytes.Clone();
        changed[at] ^= 0x20; // same length, one byte different
        File.WriteAllBytes(_path, changed);

        using var written = new MemoryStream();
        Should.Throw<TranscriptChangedException>(() => content.WriteTo(written), where);
    }

    [Fact]
    public void A_second_pass_reads_the_first_pass_result_through_its_pieces_and_still_proves_the_file_unchanged()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n{\"torn\":");
        using var source = Open(bytes);
        TextEdit[] first = [Edit(bytes.Length - 8, 8, "")]; // drop the torn tail
        var pass1 = FixedContent.Apply(source, first);
        var afterFirst = RenderedFix.Apply(bytes, first);

        var second = FixSource.Over(pass1);
        second.Length.ShouldBe(afterFirst.Length);
        second.Hash.ShouldBe(ContentHash.Of(afterFirst));
        second.Sha256.ShouldBe(FixSource.Of(afterFirst).Sha256);
        second.ToArray().ShouldBe(afterFirst);
        TextEdit[] edits2 = [Edit(8, 0, "{\"new\":0}\n")];
        var pass2 = FixedContent.Apply(second, edits2);
        var expected = RenderedFix.Apply(afterFirst, edits2);
        pass2.ToArray().ShouldBe(expected);
        SourceLines.Of(second).Count.ShouldBe(SourceLines.Of(afterFirst).Count);
        using (var written = new MemoryStream())
        {
            pass2.WriteTo(written);
            written.ToArray().ShouldBe(expected);
        }

        var changed = (byte[])bytes.Clone();
        changed[2] ^= 0x20;
        File.WriteAllBytes(_path, changed);
        Should.Throw<TranscriptChangedException>(() => pass2.WriteTo(new MemoryStream()), "the first pass's bytes are read from the file again");
    }

    [Fact]
    public void Reading_past_a_file_that_became_shorter_is_a_change_not_zeros()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":2}\n");
        using var source = Open(bytes);
        File.WriteAllBytes(_path, bytes[..4]);
        Should.Throw<TranscriptChangedException>(() => source.ToArray());
    }

    public static TheoryData<string> Shapes() => new()
    {
        "crlf-on-chunk-boundary",
        "multibyte-on-chunk-boundary",
        "bom-and-no-final-newline",
        "invalid-utf8-and-lone-cr",
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Equal_lines_are_found_the_same_by_scanning_and_by_the_hash_of_every_line(bool reversed)
    {
        // A real session twice, plus lines of their own: every line's "is there another copy" by the first calls' scan
        // and by the later calls' hash index, from an array and from the file, against comparing every pair.
        var session = File.ReadAllBytes(Directory.EnumerateFiles(Path.Combine(RepoPaths.RealCorpus, "claude-code"), "*.jsonl").Order(StringComparer.Ordinal).First());
        var bytes = session.Concat("{\"type\":\"only-here\"}\n"u8.ToArray()).Concat(session).Concat("{\"type\":\"only-here-too\"}\n{\"type\":\"only-here-too\"}\n"u8.ToArray()).ToArray();
        var lines = Encoding.UTF8.GetString(bytes).Split('\n')[..^1];
        using var file = Open(bytes);
        foreach (var source in new[] { SourceLines.Of(bytes), SourceLines.Of(file) })
        {
            var order = Enumerable.Range(1, source.Count).ToList();
            if (reversed)
            {
                order.Reverse();
            }

            foreach (var n in order)
            {
                var expected = lines.Where((l, i) => i + 1 != n && l == lines[n - 1]).Any();
                source.HasEqualLine(source.Content(n), m => m == n).ShouldBe(expected, $"line {n}");
            }

            source.HasEqualLine(source.Content(1), m => true).ShouldBeFalse("every line skipped");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_file_is_split_into_lines_exactly_as_the_array_is(string shape)
    {
        var bytes = Build(shape);
        using var file = Open(bytes);
        var fromFile = SourceLines.Of(file);
        var fromArray = SourceLines.Of(bytes);

        fromFile.Count.ShouldBe(fromArray.Count);
        fromFile.BomLength.ShouldBe(fromArray.BomLength);

        // Both as the lint numbers the lines (the line reader): offsets, lengths, endings and character counts.
        using var reader = new TranscriptLint.Engine.Reading.LineReader((ReadOnlyMemory<byte>)bytes);
        var read = new List<LineSpan>();
        while (reader.TryReadLine(out var raw))
        {
            read.Add(new LineSpan(raw.Line.ByteOffset, raw.Line.ContentLength, raw.Line.Terminator, raw.Line.CharLength));
        }

        Enumerable.Range(1, fromFile.Count).Select(fromFile.Span).ShouldBe(read);
        for (var n = 1; n <= fromArray.Count; n++)
        {
            fromFile.Span(n).ShouldBe(fromArray.Span(n), $"line {n}");
            fromFile.Content(n).ShouldBe(fromArray.Content(n));
        }

        fromFile.Position(bytes.Length).ShouldBe(fromArray.Position(bytes.Length), "character offsets agree to the end");
        var seen = new List<int>();
        fromFile.FirstLine((n, content) =>
        {
            content.SequenceEqual(fromArray.Content(n)).ShouldBeTrue();
            seen.Add(n);
            return false;
        }).ShouldBe(0);
        seen.ShouldBe(Enumerable.Range(1, fromArray.Count));
        fromFile.FirstLine((n, _) => n == fromArray.Count).ShouldBe(fromArray.Count, "the first line that matches, by number");
    }

    [Fact]
    public void A_fix_pass_reuses_the_lines_its_lint_read_and_they_are_the_lines_it_would_split()
    {
        // Every fixture (BOMs, CRLF, lone CRs, NUL runs, invalid UTF-8, torn and glued lines, every dialect): where the
        // lint hands its lines on, they are exactly the lines a pass splits, down to each line's character count.
        var reusedFiles = 0;
        var engine = FixerHarness.NewEngine();
        foreach (var input in FixParityTests.Inputs)
        {
            var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Root, input));
            using var file = Open(bytes);
            var linesRead = new System.Runtime.CompilerServices.StrongBox<LintedLines?>();
            engine.LintHeld(FixedContent.Of(file), input, linesRead: linesRead);
            if (linesRead.Value is not { } linted)
            {
                continue; // a whole document, or no transcript: a pass splits it itself
            }

            reusedFiles++;
            var split = SourceLines.Of(file);
            var reused = SourceLines.Of(file, linted);
            reused.Count.ShouldBe(split.Count, input);
            reused.BomLength.ShouldBe(split.BomLength, input);
            for (var n = 1; n <= split.Count; n++)
            {
                reused.Span(n).ShouldBe(split.Span(n), $"{input} line {n}");
                reused.Content(n).ShouldBe(split.Content(n), $"{input} line {n}");
            }

            reused.Position(bytes.Length).ShouldBe(split.Position(bytes.Length), $"{input}: character offsets agree to the end");

            // Other bytes than those linted (one more): split anew.
            using var other = FixSource.Of([.. bytes, (byte)'\n']);
            SourceLines.Of(other, linted).Count.ShouldBe(SourceLines.Of(other).Count, input);
        }

        reusedFiles.ShouldBeGreaterThan(200, "most fixtures are JSON Lines transcripts");
    }

    [Fact]
    public void A_lint_that_skipped_a_line_too_long_to_read_hands_no_lines_on()
    {
        // Its characters were never counted, so a pass splits the file itself.
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"x\":\"" + new string('a', 200) + "\"}\n{\"b\":2}\n");
        using var file = Open(bytes);
        var engine = new LintEngine(FixerHarness.Rules, new LintOptions { MaxLineBytes = 100 });
        var linesRead = new System.Runtime.CompilerServices.StrongBox<LintedLines?>();
        engine.LintHeld(FixedContent.Of(file), "s.jsonl", linesRead: linesRead);
        linesRead.Value.ShouldBeNull();
    }

    // Lines placed so the 1 MiB read chunks split what the line splitter must keep together.
    private static byte[] Build(string shape)
    {
        const int Chunk = 1 << 20;
        var text = new List<byte>();
        void Line(int length, string end)
        {
            text.AddRange(Encoding.UTF8.GetBytes("{\"x\":\""));
            text.AddRange(Enumerable.Repeat((byte)'a', length - 8));
            text.AddRange(Encoding.UTF8.GetBytes("\"}" + end));
        }

        switch (shape)
        {
            case "crlf-on-chunk-boundary":
                Line(Chunk - 1, "\r\n"); // the CR is the chunk's last byte, the LF the next chunk's first
                Line(100, "\r\n");
                break;
            case "multibyte-on-chunk-boundary":
                text.AddRange(Encoding.UTF8.GetBytes("{\"x\":\""));
                text.AddRange(Enumerable.Repeat((byte)'a', Chunk - 6 - 2));
                text.AddRange(Encoding.UTF8.GetBytes("€€\"}\n")); // the first € straddles the boundary
                Line(50, "\n");
                break;
            case "bom-and-no-final-newline":
                text.AddRange([0xEF, 0xBB, 0xBF]);
                Line(Chunk + 10, "\n");
                Line(20, "");
                break;
            default:
                text.AddRange(Encoding.UTF8.GetBytes("{\"x\":\"a\rb"));
                text.AddRange([0xC3, 0x28, 0xFF]);
                text.AddRange(Encoding.UTF8.GetBytes("\"}\r\n\r\n\n{\"y\":1}\r"));
                break;
        }

        return [.. text];
    }
}
