using System.Text;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

public sealed class LineReaderTests
{
    private static List<(TranscriptLine Line, string Text, LineFlags Flags)> Read(byte[] bytes, int maxLine = 1 << 20)
    {
        using var reader = new LineReader(new MemoryStream(bytes), maxLine);
        var lines = new List<(TranscriptLine, string, LineFlags)>();
        while (reader.TryReadLine(out var l))
        {
            lines.Add((l.Line, Encoding.UTF8.GetString(l.Bytes.Span), l.Flags));
        }

        return lines;
    }

    [Fact]
    public void Lines_are_one_based_with_byte_offsets_and_terminators()
    {
        var lines = Read("ab\r\ncd\nef"u8.ToArray());
        lines.Select(l => l.Text).ShouldBe(["ab", "cd", "ef"]);
        lines.Select(l => l.Line.Number).ShouldBe([1, 2, 3]);
        lines.Select(l => l.Line.ByteOffset).ShouldBe([0L, 4L, 7L]);
        lines.Select(l => l.Line.Terminator).ShouldBe([LineTerminator.CarriageReturnLineFeed, LineTerminator.LineFeed, LineTerminator.None]);
    }

    // Found by fuzzing: whether a line of exactly the limit was TooLong depended on where a read of the stream ended,
    // and an over-long last line without a newline vanished when it was streamed. Streamed in reads of any size and
    // read from bytes in memory, every line comes out the same.
    [Theory]
    [InlineData("aaaaaaaaaa\nbb\n")] // exactly the limit (10)
    [InlineData("aaaaaaaaaa\r\nbb\n")] // the limit plus the CR of its CRLF
    [InlineData("aaaaaaaaaaa\nbb\n")] // one over
    [InlineData("bb\naaaaaaaaaaaaaaaaaaaaaaaaa")] // over, last, no newline
    [InlineData("bb\naaaaaaaaaaaaaaaaaaaaaaaaa\r\n")]
    public void Streamed_in_any_pieces_and_in_memory_the_lines_are_the_same(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var memory = new LineReader((ReadOnlyMemory<byte>)bytes, maxLineBytes: 10);
        var expected = new List<(TranscriptLine, LineFlags)>();
        while (memory.TryReadLine(out var l))
        {
            expected.Add((l.Line, l.Flags));
        }

        expected.Count.ShouldBe(2);
        for (var piece = 1; piece <= bytes.Length; piece++)
        {
            using var streamed = new LineReader(new PieceStream(bytes, piece), maxLineBytes: 10);
            var lines = new List<(TranscriptLine, LineFlags)>();
            while (streamed.TryReadLine(out var l))
            {
                lines.Add((l.Line, l.Flags));
            }

            lines.ShouldBe(expected, $"reads of {piece} byte(s)");
        }

        expected.Select(l => l.Item2.HasFlag(LineFlags.TooLong)).ShouldBe(text.Split('\n').Select(l => l.TrimEnd('\r').Length > 10).Where((_, i) => i < 2));
    }

    [Fact]
    public void A_line_longer_than_the_first_buffer_is_read_whole_and_exactly()
    {
        var line = new string('x', 300_000);
        var lines = Read(Encoding.UTF8.GetBytes("{}\n" + line + "\n{}"));
        lines.Select(l => l.Text.Length).ShouldBe([2, 300_000, 2]);
        lines[1].Line.ByteOffset.ShouldBe(3);
    }

    private sealed class PieceStream(byte[] bytes, int piece) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, piece));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, piece)]);
    }

    // An ASCII line is counted by its length; any other is validated and counted. Both must say what the decoder
    // says: UTF-16 units (a surrogate pair is two) for SARIF columns, and invalid bytes flagged.
    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'}' })]
    [InlineData(new byte[] { (byte)'"', 0xC3, 0xA9, (byte)'"' })] // é: one unit from two bytes
    [InlineData(new byte[] { (byte)'"', 0xF0, 0x9F, 0x98, 0x80, (byte)'"' })] // an emoji: two units from four bytes
    [InlineData(new byte[] { (byte)'"', 0xE2, 0x80, 0x9C, (byte)'x', 0xE2, 0x80, 0x9D })] // curly quotes
    [InlineData(new byte[] { (byte)'a', 0xFF, (byte)'b' })] // invalid: a replacement character
    [InlineData(new byte[] { (byte)'a', 0xF0, 0x9F, 0x98 })] // a sequence cut short at the end
    [InlineData(new byte[] { 0xC0, 0xAF })] // overlong
    public void Character_length_and_invalid_bytes_are_what_the_decoder_sees(byte[] content)
    {
        var bytes = content.Concat("\n"u8.ToArray()).ToArray();
        var line = Read(bytes).ShouldHaveSingleItem();
        line.Line.CharLength.ShouldBe(Encoding.UTF8.GetCharCount(content));
        ((line.Flags & LineFlags.InvalidUtf8) != 0).ShouldBe(!System.Text.Unicode.Utf8.IsValid(content));
    }

    // The reader finds a line's end and its NULs in one search, and counts a non-ASCII line with a decoder that throws
    // on invalid bytes until the file's first invalid line, then validates and counts in two passes. Seeded files of
    // ASCII, non-ASCII, NULs, invalid and cut sequences and CRLF, streamed in pieces of several sizes and read from
    // memory: every line's flags and length are what the bytes say, before and after the first invalid line.
    [Fact]
    public void Nuls_invalid_bytes_and_lengths_are_flagged_line_by_line_however_the_file_is_read()
    {
        byte[][] pieces = ["{\"a\":1}"u8.ToArray(), "é"u8.ToArray(), "→"u8.ToArray(), "😀"u8.ToArray(), [0], [0, 0], [0xFF], [0xC3], [0xF0, 0x9F], "x"u8.ToArray(), "\r"u8.ToArray()];
        var random = new Random(20261204);
        for (var file = 0; file < 200; file++)
        {
            var lines = Enumerable.Range(0, random.Next(1, 12))
                .Select(_ => Enumerable.Range(0, random.Next(0, 8)).SelectMany(_ => pieces[random.Next(pieces.Length)]).ToArray())
                .ToList();
            var bytes = lines.SelectMany(l => l.Append((byte)'\n')).ToArray();
            var expected = lines.Select(l =>
            {
                var content = l.Length > 0 && l[^1] == (byte)'\r' ? l[..^1] : l;
                var flags = (content.Contains((byte)0) ? LineFlags.ContainsNul : LineFlags.None)
                    | (System.Text.Unicode.Utf8.IsValid(content) ? LineFlags.None : LineFlags.InvalidUtf8);
                return (Encoding.UTF8.GetCharCount(content), flags);
            }).ToList();

            foreach (var piece in new[] { 1, 3, 7, 64, bytes.Length })
            {
                using var reader = new LineReader(new PieceStream(bytes, piece));
                var read = new List<(int, LineFlags)>();
                while (reader.TryReadLine(out var l))
                {
                    read.Add((l.Line.CharLength, l.Flags & (LineFlags.ContainsNul | LineFlags.InvalidUtf8)));
                }

                read.ShouldBe(expected, $"file {file} in reads of {piece} byte(s)");
            }

            using var memory = new LineReader((ReadOnlyMemory<byte>)bytes);
            var inMemory = new List<(int, LineFlags)>();
            while (memory.TryReadLine(out var l))
            {
                inMemory.Add((l.Line.CharLength, l.Flags & (LineFlags.ContainsNul | LineFlags.InvalidUtf8)));
            }

            inMemory.ShouldBe(expected, $"file {file} from memory");
        }
    }

    [Fact]
    public void Bom_is_flagged_and_not_part_of_the_content()
    {
        var lines = Read([0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}', (byte)'\n']);
        lines.Single().Text.ShouldBe("{}");
        lines.Single().Line.ByteOffset.ShouldBe(3);
        lines.Single().Flags.ShouldBe(LineFlags.ByteOrderMark);
    }

    [Fact]
    public void Nul_runs_and_invalid_utf8_are_flagged_not_thrown()
    {
        var lines = Read([0, 0, 0, (byte)'{', (byte)'}', (byte)'\n', 0xC3, 0x28, (byte)'\n']);
        lines[0].Flags.ShouldBe(LineFlags.ContainsNul);
        lines[1].Flags.ShouldBe(LineFlags.InvalidUtf8);
    }

    [Fact]
    public void Empty_file_has_no_lines_and_a_hash()
    {
        using var reader = new LineReader(new MemoryStream([]));
        reader.TryReadLine(out _).ShouldBeFalse();
        reader.Sha256.ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public void Lines_longer_than_the_limit_are_reported_without_being_held()
    {
        var big = new string('x', 5000);
        var lines = Read(Encoding.UTF8.GetBytes("{}\n" + big + "\n{}\n"), maxLine: 1024);
        lines.Count.ShouldBe(3);
        lines[1].Flags.ShouldBe(LineFlags.TooLong);
        lines[1].Text.ShouldBe("");
        lines[2].Line.ByteOffset.ShouldBe(3 + 5000 + 1);
        lines[2].Text.ShouldBe("{}");
    }

    [Fact]
    public void Lines_spanning_many_buffer_refills_are_read_whole()
    {
        var big = "{\"x\":\"" + new string('y', 300_000) + "\"}";
        var lines = Read(Encoding.UTF8.GetBytes(big + "\n{}"));
        lines[0].Text.ShouldBe(big);
        lines[1].Line.ByteOffset.ShouldBe(big.Length + 1);
    }

    [Fact]
    public void Hash_matches_the_whole_file()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":2}");
        using var reader = new LineReader(new MemoryStream(bytes));
        while (reader.TryReadLine(out _))
        {
        }

        reader.Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }
}
