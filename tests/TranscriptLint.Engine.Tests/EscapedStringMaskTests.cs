using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Reporting;
using TranscriptLint.Tests.Fixing;

namespace TranscriptLint.Tests;

/// <summary>
/// A line parsed with its long escaped strings masked (<see cref="EscapedStringMask"/>) gives the document a plain
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> gives, or the same error, and leaves the
/// line's bytes as they were: for every line of the real sessions, for generated lines built to break the scan
/// (backslash runs and quotes across 64-byte blocks, <c>\u</c> with bad hex, control characters, unterminated strings),
/// on each vector width this machine has. A lint from a file (masked) and from memory (not) finds the same.
/// </summary>
public sealed class EscapedStringMaskTests
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 1024 };

    public static TheoryData<int> Widths() => [0, .. VectorWidths()];

    // The vector paths this machine has.
    private static IEnumerable<int> VectorWidths()
    {
        if (Vector128.IsHardwareAccelerated)
        {
            yield return 16;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            yield return 64;
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_line_of_the_real_sessions_parses_to_the_same_document(int width)
    {
        var masked = 0;
        var lines = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, "real"), "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var line in Lines(File.ReadAllBytes(file)))
            {
                lines++;
                masked += AssertSameAsPlainParse(line, width, file) ? 1 : 0;
            }
        }

        lines.ShouldBeGreaterThan(1000);
        if (width != 0)
        {
            masked.ShouldBeGreaterThan(100, "tool results with escapes are masked");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Generated_lines_built_to_break_the_scan_parse_to_the_same_document_or_the_same_error(int width)
    {
        var random = new Random(20261204);
        var valid = 0;
        var invalid = 0;
        var masked = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var line = GeneratedLine(random);
            if (TryPlain(line, out var document, out _))
            {
                valid++;
                document!.Dispose();
            }
            else
            {
                invalid++;
            }

            masked += AssertSameAsPlainParse(line, width, Encoding.UTF8.GetString(line)) ? 1 : 0;
        }

        valid.ShouldBeGreaterThan(2000, "enough lines parse");
        invalid.ShouldBeGreaterThan(2000, "enough lines fail");
        if (width != 0)
        {
            masked.ShouldBeGreaterThan(1000, "enough lines are masked");
        }
    }

    [Theory]
    [InlineData("""{"a":"BODY"}""", true)]
    [InlineData("""{"a":"BODY\"}""", false)] // ends inside the string: the backslash escapes the last quote
    [InlineData("""{"a":"BODY\\"}""", true)] // an escaped backslash: the quote ends the string
    [InlineData("""{"a":"BODY\q"}""", false)] // an escape the reader refuses
    [InlineData("""{"a":"BODY\u00e9"}""", true)]
    [InlineData("""{"a":"BODY\u00g9"}""", false)] // not hex
    [InlineData("""{"a":"BODY\u00e"}""", false)] // three hex digits, then the quote
    [InlineData("""{"a":"BODY	x"}""", false)] // a raw tab inside a string
    [InlineData("""{"a":\"BODY"}""", false)] // a backslash outside a string
    [InlineData("""{"BODY":1}""", true)] // a long escaped name
    public void A_line_is_masked_only_when_every_string_passes_the_readers_check(string template, bool masks)
    {
        var body = string.Concat(Enumerable.Repeat("\\n\\\"text\\\\", 12)); // 120 bytes with escapes
        var line = Encoding.UTF8.GetBytes(template.Replace("BODY", body, StringComparison.Ordinal));
        var bodies = new List<EscapedStringMask.Body>();

        var found = EscapedStringMask.FindBodies(line, bodies, Vector512.IsHardwareAccelerated ? 64 : 16);

        (found && bodies.Count > 0).ShouldBe(masks, template);
        AssertSameAsPlainParse(line, Vector512.IsHardwareAccelerated ? 64 : 16, template);
    }

    public static TheoryData<int, int> WidthsAndEscapeOdds()
    {
        var data = new TheoryData<int, int>();
        foreach (var width in VectorWidths())
        {
            data.Add(width, 10); // an escape in most blocks
            data.Add(width, 400); // most blocks without one: the scan's shortcut past their quotes
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndEscapeOdds))]
    public void String_bodies_are_found_as_a_byte_by_byte_reader_finds_them(int width, int escapeOdds)
    {
        // Strings of backslashes, quotes and letters at every offset around the block boundaries; with rare escapes, many
        // short strings and long escape-free ones, so that strings open and close in blocks without an escape.
        var random = new Random(7 + escapeOdds);
        for (var i = 0; i < 20_000; i++)
        {
            var sb = new StringBuilder("{");
            var fields = random.Next(1, escapeOdds > 10 ? 40 : 6);
            for (var f = 0; f < fields; f++)
            {
                sb.Append(f == 0 ? "" : ",").Append("\"k").Append(f).Append("\":\"");
                var length = random.Next(0, escapeOdds > 10 && random.Next(4) == 0 ? 600 : 200);
                for (var c = 0; c < length; c++)
                {
                    sb.Append(random.Next(escapeOdds) switch
                    {
                        0 => "\\\\",
                        1 => "\\\"",
                        2 => "\\n",
                        3 => "\\u00e9",
                        _ => (char)('a' + random.Next(26)),
                    });
                }

                sb.Append('"');
            }

            var line = Encoding.UTF8.GetBytes(sb.Append('}').ToString());
            var bodies = new List<EscapedStringMask.Body>();
            EscapedStringMask.FindBodies(line, bodies, width).ShouldBeTrue(sb.ToString());
            bodies.ShouldBe(ReferenceBodies(line), sb.ToString());
        }
    }

    public static TheoryData<bool> ParseAheadOrNot() => [false, true];

    [Theory]
    [MemberData(nameof(ParseAheadOrNot))]
    public void Every_fixture_lints_the_same_masked_from_disk_and_from_memory_as_unmasked(bool parseAhead)
    {
        var rules = FixerHarness.Rules;
        var masked = new LintOptions { HashFiles = true, ParseAhead = parseAhead, ParseAheadFrom = 0 };
        var plain = new LintOptions { HashFiles = true, ParseAhead = parseAhead, ParseAheadFrom = 0, MaskEscapedStrings = false };
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Fixtures, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var expected = Sarif(new LintEngine(rules, plain).LintFile(file, "f.jsonl"));
            var bytes = File.ReadAllBytes(file);
            using var memory = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);

            Sarif(new LintEngine(rules, masked).LintFile(file, "f.jsonl")).ShouldBe(expected, "from disk: " + file);
            Sarif(new LintEngine(rules, masked).LintStream(memory, "f.jsonl")).ShouldBe(expected, "held in memory (copied first): " + file);
            bytes.ShouldBe(File.ReadAllBytes(file), "the caller's bytes are never written: " + file);
        }
    }

    [Fact]
    public void A_huge_line_is_masked_only_up_to_the_limit_and_parses_the_same()
    {
        var body = string.Concat(Enumerable.Repeat("line\\n", 400_000)); // 2.4 MB a string
        var line = Encoding.UTF8.GetBytes("{" + string.Join(",", Enumerable.Range(0, 5).Select(i => $"\"s{i}\":\"{body}\"")) + "}");
        var bodies = new List<EscapedStringMask.Body>();

        EscapedStringMask.FindBodies(line, bodies, Vector512.IsHardwareAccelerated ? 64 : 16).ShouldBeTrue();

        bodies.Sum(b => b.Length).ShouldBeLessThanOrEqualTo(EscapedStringMask.MaximumMasked);
        bodies.Count.ShouldBe(3, "three bodies fit under the limit, the other two are parsed as they are");
        AssertSameAsPlainParse(line, Vector512.IsHardwareAccelerated ? 64 : 16, "huge");
    }

    // True when the scan masked something.
    private static bool AssertSameAsPlainParse(byte[] line, int width, string what)
    {
        var original = line.ToArray();
        var plain = ParseOutcome.Of(() => JsonDocument.Parse(original.ToArray(), Options));
        var bodies = new List<EscapedStringMask.Body>();
        var masks = EscapedStringMask.FindBodies(line, bodies, width) && bodies.Count > 0;
        var masked = ParseOutcome.Of(() => EscapedStringMask.Parse(line, Options, width));

        line.ShouldBe(original, "the line's bytes are put back: " + what);
        masked.ShouldBe(plain, what); // the same document, or the same error at the same place
        return masks;
    }

    private static bool TryPlain(byte[] line, out JsonDocument? document, out string? error)
    {
        try
        {
            document = JsonDocument.Parse(line.ToArray(), Options);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            document = null;
            error = $"{ex.Message} @{ex.BytePositionInLine}";
            return false;
        }
    }

    // The bodies (at least MinimumBody long, with a backslash) of a valid line's strings, found a byte at a time.
    private static List<EscapedStringMask.Body> ReferenceBodies(byte[] line)
    {
        var bodies = new List<EscapedStringMask.Body>();
        var i = 0;
        while (i < line.Length)
        {
            if (line[i] != (byte)'"')
            {
                i++;
                continue;
            }

            var start = ++i;
            var escaped = false;
            while (line[i] != (byte)'"')
            {
                if (line[i] == (byte)'\\')
                {
                    escaped = true;
                    i++;
                }

                i++;
            }

            if (escaped && i - start >= EscapedStringMask.MinimumBody)
            {
                bodies.Add(new EscapedStringMask.Body(start, i - start));
            }

            i++;
        }

        return bodies;
    }

    private static byte[] GeneratedLine(Random random)
    {
        // Pieces chosen to land on every offset of a 64-byte block: runs of backslashes of every length, escaped and
        // bare quotes, \u with good and bad hex, control characters, non-ASCII bytes, and (now and then) a break.
        string[] pieces = ["\\", "\\\\", "\\\\\\", "\\\"", "\"", "\\n", "\\u00e9", "\\u12", "\\uzz00", "\\/", "\\q", "\t", "\u0001", "é", "x", "xx", "abcdefgh", " ", "\\u", "\\\\\"", "\\udc00"];
        var sb = new StringBuilder("{");
        var fields = random.Next(1, 5);
        for (var f = 0; f < fields; f++)
        {
            if (f > 0)
            {
                sb.Append(',');
            }

            sb.Append("\"f").Append(f).Append("\":\"");
            var padding = random.Next(0, 70);
            sb.Append('p', padding);
            var count = random.Next(0, 60);
            for (var c = 0; c < count; c++)
            {
                // Mostly clean escapes, so that many lines stay valid.
                sb.Append(random.Next(100) < 90 ? pieces[random.Next(6)] is var safe && safe is "\\" or "\\\\\\" or "\"" ? "\\n" : safe : pieces[random.Next(pieces.Length)]);
            }

            sb.Append('"');
        }

        sb.Append(random.Next(50) == 0 ? "" : "}");
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        if (random.Next(20) == 0 && Array.IndexOf(bytes, (byte)'p') is var at and >= 0)
        {
            bytes[at] = 0xFF; // invalid UTF-8 in a string: the reader lets it through, decoding it fails
        }

        return bytes;
    }

    private static IEnumerable<byte[]> Lines(byte[] bytes)
    {
        var start = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            var stop = end < 0 ? bytes.Length : end;
            if (stop > start)
            {
                yield return bytes[start..stop];
            }

            start = stop + 1;
        }
    }

    private static string Sarif(FileLintResult result) => ParseAheadTests.Sarif(result);
}
