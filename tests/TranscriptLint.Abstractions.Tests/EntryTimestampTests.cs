using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// An entry keeps its timestamp in a compact form when it has the usual shape; whatever the shape, it gives the text
/// back exactly as written (reports quote it).
/// </summary>
public sealed class EntryTimestampTests
{
    [Theory]
    [InlineData("2026-01-15T10:23:45.123Z")]
    [InlineData("0000-00-00T00:00:00.000Z")]
    [InlineData("9999-99-99T99:99:99.999Z")]
    [InlineData("2025-13-45T25:61:61.000Z")] // not a date, but written so: kept as written
    [InlineData("2026-01-15T10:23:45Z")]
    [InlineData("2026-01-15T10:23:45.123456Z")]
    [InlineData("2026-01-15T10:23:45.123+00:00")]
    [InlineData("2026-01-15 10:23:45.123Z")]
    [InlineData("2026-01-15T10:23:45.12３Z")]
    [InlineData("1768472625")]
    [InlineData("")]
    [InlineData(null)]
    public void The_timestamp_reads_back_as_written(string? written)
    {
        var entry = new Entry { Line = default, Kind = EntryKind.User, Timestamp = written };
        entry.Timestamp.ShouldBe(written);
    }

    [Theory]
    [InlineData("2026-01-15T10:23:45.123Z")]
    [InlineData("9999-99-99T99:99:99.999Z")]
    [InlineData("2026-01-15T10:23:45Z")]
    [InlineData("2026-01-15T10:23:45.123+00:00")]
    [InlineData("2026-01-15T10:23:45.12３Z")] // a full-width digit: three UTF-8 bytes, so not the shape's length either way
    [InlineData("2026-01-15T10:23:45.1\u0032Z")] // as a JSON string's bytes: escaped, so not packed from them
    [InlineData("")]
    public void Packing_the_bytes_as_written_gives_what_packing_the_text_gives(string written)
    {
        var fromBytes = PackedTimestamp.Pack(System.Text.Encoding.UTF8.GetBytes(written));
        fromBytes.ShouldBe(PackedTimestamp.Pack(written));
        PackedTimestamp.Unpack(fromBytes).ShouldBe(fromBytes == 0 ? null : written);
    }

    [Fact]
    public void Every_digit_in_every_position_reads_back()
    {
        var random = new Random(20261201);
        for (var n = 0; n < 2000; n++)
        {
            var chars = "dddd-dd-ddTdd:dd:dd.dddZ".Select(c => c == 'd' ? (char)('0' + random.Next(10)) : c).ToArray();
            var written = new string(chars);
            new Entry { Line = default, Kind = EntryKind.Assistant, Timestamp = written }.Timestamp.ShouldBe(written);
            var packed = PackedTimestamp.Pack(System.Text.Encoding.UTF8.GetBytes(written));
            new Entry { Line = default, Kind = EntryKind.Assistant, PackedTimestampBits = packed }.Timestamp.ShouldBe(written);
        }
    }
}
