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
    public void Any_byte_in_any_position_packs_as_the_same_character_does()
    {
        // The bytes are checked by a vector path, the text character by character: each of the 24 places holds each of
        // the 256 byte values in turn, and both must agree (0, or the same packed value).
        var valid = "2026-01-15T10:23:45.123Z"u8.ToArray();
        var packedOnce = 0;
        for (var place = 0; place < valid.Length; place++)
        {
            for (var value = 0; value < 256; value++)
            {
                var bytes = (byte[])valid.Clone();
                bytes[place] = (byte)value;
                var text = new string([.. bytes.Select(b => (char)b)]);
                var packed = PackedTimestamp.Pack(bytes);
                packed.ShouldBe(PackedTimestamp.Pack(text), $"byte 0x{value:X2} at {place}");
                packedOnce += packed == 0 ? 0 : 1;
            }
        }

        packedOnce.ShouldBe((17 * 10) + 7); // ten digits in each digit place, and only its own character in each other one
        PackedTimestamp.Pack(valid.AsSpan(0, 23)).ShouldBe(0);
        PackedTimestamp.Pack([.. valid, (byte)'Z']).ShouldBe(0);
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
