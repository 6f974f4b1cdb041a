using System.Text;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// The fixer's piece table: the bytes of a pass plus its edits, read by the next lint and written by the writer without
/// a second copy of the file. Every way of reading it must give the bytes <see cref="RenderedFix.Apply"/> gives.
/// </summary>
public sealed class FixedContentTests
{
    private static readonly byte[] Source = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n{\"torn\":");

    private static TextEdit Edit(long offset, long length, string inserted) => new(offset, length, inserted, -1, -1, 1, 1, 1, 1);

    public static TheoryData<TextEdit[]> EditSets() => new()
    {
        Array.Empty<TextEdit>(),
        new[] { Edit(24, 8, "") }, // delete the torn tail
        new[] { Edit(0, 8, "") }, // delete the first line
        new[] { Edit(2, 1, "x"), Edit(10, 1, "yy"), Edit(24, 8, "") }, // several, given out of order below
        new[] { Edit(8, 0, "{\"new\":0}\n") }, // an insertion
        new[] { Edit(0, Source.Length, "") }, // everything
        new[] { Edit(0, Source.Length, "{\"all\":\"ünï\"}\n") },
    };

    [Theory]
    [MemberData(nameof(EditSets))]
    public void Every_reading_gives_the_bytes_the_edits_make(TextEdit[] edits)
    {
        var expected = RenderedFix.Apply(Source, edits);
        var content = FixedContent.Apply(Source, edits.Reverse());

        content.Length.ShouldBe(expected.Length);
        content.ToArray().ShouldBe(expected);
        content.ContentEquals(expected).ShouldBeTrue();
        content.ContentEquals(FixedContent.Of(expected)).ShouldBeTrue();
        FixedContent.Of(expected).ContentEquals(content).ShouldBeTrue();

        using var written = new MemoryStream();
        content.WriteTo(written);
        written.ToArray().ShouldBe(expected);

        // Read in odd-sized chunks, as a line reader does.
        using var stream = content.OpenRead();
        var read = new List<byte>();
        var buffer = new byte[3];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            read.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        read.ToArray().ShouldBe(expected);

        // Seek to every position and read the rest, as the engine does to re-read a line.
        for (var at = 0; at <= expected.Length; at++)
        {
            stream.Position = at;
            var rest = new byte[expected.Length - at];
            stream.ReadAtLeast(rest, rest.Length, throwOnEndOfStream: false).ShouldBe(rest.Length);
            rest.ShouldBe(expected[at..]);
        }
    }

    [Fact]
    public void Unedited_content_is_the_source_itself_and_reads_as_a_visible_buffer()
    {
        var content = FixedContent.Of(Source);
        content.ToArray().ShouldBeSameAs(Source);
        using var stream = content.OpenRead();
        stream.ShouldBeOfType<MemoryStream>().TryGetBuffer(out var buffer).ShouldBeTrue();
        buffer.Array.ShouldBeSameAs(Source);
    }

    [Fact]
    public void Different_content_is_not_equal()
    {
        var deleted = FixedContent.Apply(Source, [Edit(24, 8, "")]);
        var replaced = FixedContent.Apply(Source, [Edit(24, 8, "{\"t\":1}")]);
        var sameLength = FixedContent.Apply(Source, [Edit(2, 1, "z")]);
        deleted.ContentEquals(Source).ShouldBeFalse();
        deleted.ContentEquals(replaced).ShouldBeFalse();
        sameLength.ContentEquals(Source).ShouldBeFalse();
        sameLength.ContentEquals(FixedContent.Of(Source)).ShouldBeFalse();
        FixedContent.Of(Source).ContentEquals(sameLength).ShouldBeFalse();
    }

    [Fact]
    public void Contents_larger_than_the_read_buffer_compare_and_verify_piece_by_piece()
    {
        // 300 KB of lines: gaps and pieces longer than the 64 KB buffers the comparisons read with.
        var big = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 6000).Select(i => $"{{\"n\":{i},\"pad\":\"{new string('x', 40)}\"}}\n")));
        TextEdit[] edits = [Edit(70_000, 10, "[]"), Edit(200_000, 0, "{}\n"), Edit(big.Length - 5, 5, "")];
        var content = FixedContent.Apply(big, edits);
        var expected = RenderedFix.Apply(big, edits);

        content.ToArray().ShouldBe(expected);
        content.ContentEquals(FixedContent.Apply(expected, [Edit(1, 1, Encoding.UTF8.GetString(expected, 1, 1))])).ShouldBeTrue();
        content.ContentEquals(FixedContent.Apply(expected, [Edit(150_000, 1, "#")])).ShouldBeFalse();
        FixVerification.KeepsOutside(big, content, edits).ShouldBeNull();

        // Content made by other edits loses bytes outside these edits: the check names it.
        FixVerification.KeepsOutside(big, FixedContent.Apply(big, [.. edits, Edit(100_000, 1, "#")]), edits).ShouldNotBeNull();
        FixVerification.KeepsOutside(big, FixedContent.Apply(big, edits[..2]), edits).ShouldNotBeNull();
    }

    [Fact]
    public void Overlapping_or_outside_edits_are_refused()
    {
        Should.Throw<ArgumentException>(() => FixedContent.Apply(Source, [Edit(0, 5, ""), Edit(3, 2, "")]));
        Should.Throw<ArgumentException>(() => FixedContent.Apply(Source, [Edit(Source.Length - 1, 5, "")]));
    }

    [Fact]
    public void The_stream_is_read_only()
    {
        using var stream = FixedContent.Apply(Source, [Edit(0, 1, "[")]).OpenRead();
        stream.CanWrite.ShouldBeFalse();
        Should.Throw<NotSupportedException>(() => stream.WriteByte(1));
        Should.Throw<NotSupportedException>(() => stream.SetLength(1));
    }
}
