using System.IO.Compression;

namespace TranscriptLint.Sarif.Tests;

/// <summary>The chunks a SARIF log is serialized into: the bytes written, and the gzip size of those bytes.</summary>
public sealed class ChunkedBytesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(300_001)]
    public void Bytes_written_in_pieces_read_back_whole_with_the_gzip_size_of_the_whole(int length)
    {
        var random = new Random(length);
        var data = new byte[length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)"{}\"abc: 0123\n"[random.Next(13)]; // compressible, as a log is
        }

        using var chunks = new ChunkedBytes();
        for (var at = 0; at < data.Length;)
        {
            var piece = Math.Min(data.Length - at, random.Next(1, 20_000)); // across chunk boundaries, as a writer flushes
            chunks.Write(data, at, piece);
            at += piece;
        }

        chunks.Length.ShouldBe(length);
        chunks.ToArray().ShouldBe(data);
        using var copy = new MemoryStream();
        chunks.WriteTo(copy);
        copy.ToArray().ShouldBe(data);

        // Compressed 64 KiB at a time whatever the writes were, so the size (which decides truncation) is the bytes' own.
        using var whole = new MemoryStream();
        using (var gz = new GZipStream(whole, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var at = 0; at < data.Length; at += 1 << 16)
            {
                gz.Write(data, at, Math.Min(1 << 16, data.Length - at));
            }
        }

        chunks.GzipLength().ShouldBe(whole.Length);
    }

    [Fact]
    public void A_log_written_to_a_stream_is_the_bytes_build_returns()
    {
        // Every fixture: a log of more than one chunk, results, fixes, fingerprints and notifications.
        var input = SarifFixtures.Input(SarifFixtures.Lint([.. SarifFixtures.All]));
        var (built, report) = SarifWriter.Build(input, SarifFixtures.Options());
        built.Length.ShouldBeGreaterThan(1 << 16);

        using var written = new MemoryStream();
        var writeReport = SarifWriter.Write(input, SarifFixtures.Options(), written);

        written.ToArray().ShouldBe(built);
        writeReport.ResultCount.ShouldBe(report.ResultCount);
        built[^1].ShouldBe((byte)'\n');
        built.AsSpan().IndexOf("\r\n"u8).ShouldBe(-1, "line ends are \\n on every system");
    }
}
