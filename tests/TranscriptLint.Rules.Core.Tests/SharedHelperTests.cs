using TranscriptLint.Model;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>The allocation-free helpers the per-line rule actions use give what the collections they replace gave.</summary>
public sealed class SharedHelperTests
{
    [Fact]
    public void A_line_table_gives_back_every_value_and_zero_for_lines_never_set()
    {
        var table = new LineTable();
        var expected = new Dictionary<int, long>();
        var random = new Random(20261202);
        for (var n = 0; n < 5_000; n++)
        {
            // Around the chunk boundaries (4,096) as well as far beyond them, and overwrites.
            var line = random.Next(4) switch { 0 => random.Next(4_090, 4_100), 1 => random.Next(8_190, 8_200), 2 => random.Next(100_000), _ => random.Next(10) };
            var value = random.Next(3) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.Next(int.MinValue, int.MaxValue);
            table[line] = value;
            expected[line] = Math.Clamp(value, int.MinValue, int.MaxValue); // beyond 32 bits: kept at the bound
        }

        for (var line = -5; line < 100_005; line++)
        {
            table[line].ShouldBe(expected.GetValueOrDefault(line), $"line {line}");
        }

        table[int.MaxValue].ShouldBe(0);
        Should.Throw<ArgumentOutOfRangeException>(() => table[-1] = 1);
    }

    [Fact]
    public void Matching_blocks_are_the_blocks_where_selects()
    {
        var random = new Random(7);
        var kinds = Enum.GetValues<BlockKind>();
        Func<ContentBlock, bool>[] conditions =
        [
            b => b.Kind == BlockKind.ToolResult,
            b => b.Kind is BlockKind.Image or BlockKind.ToolResult && b.Index >= 0,
            b => b.Index % 2 == 0,
            _ => false,
            _ => true,
        ];
        for (var n = 0; n < 500; n++)
        {
            IReadOnlyList<ContentBlock> blocks = [.. Enumerable.Range(0, random.Next(6)).Select(i => new ContentBlock { Kind = kinds[random.Next(kinds.Length)], TypeName = "t", Index = random.Next(3) == 0 ? -1 : i, JsonPointer = "/p" })];
            foreach (var condition in conditions)
            {
                var matched = new List<ContentBlock>();
                foreach (var b in blocks.Matching(condition))
                {
                    matched.Add(b);
                }

                matched.ShouldBe(blocks.Where(condition).ToList());
            }
        }
    }

    [Theory]
    [InlineData(BlockKind.Text, true, true, false)]
    [InlineData(BlockKind.Text, false, false, false)]
    [InlineData(BlockKind.Thinking, true, false, true)]
    [InlineData(BlockKind.RedactedThinking, false, false, true)]
    [InlineData(BlockKind.ToolResult, true, false, false)] // a blank result is not blank text: TL3002 asks its own question
    [InlineData(BlockKind.ToolCall, false, false, false)]
    public void Block_facts_name_blank_text_and_both_kinds_of_thinking(BlockKind kind, bool whitespaceOnly, bool blankText, bool thinking)
    {
        var block = new ContentBlock { Kind = kind, TypeName = "t", Index = 0, JsonPointer = "/message/content/0", IsWhitespaceOnly = whitespaceOnly };
        block.IsBlankText().ShouldBe(blankText);
        block.IsThinking().ShouldBe(thinking);
    }

    // A signature is judged on its bytes when it is plain ASCII: the answer must be the one the decoded characters give,
    // for the marker in any case, at either end, split by an escape, beside non-ASCII characters, and in none.
    [Theory]
    [InlineData("\"[REDACTED_SIGNATURE]\"")]
    [InlineData("\"<redacted>\"")]
    [InlineData("\"EqR1abcREDACTED\"")]
    [InlineData("\"reDACted\"")]
    [InlineData("\"REDACTE\"")]
    [InlineData("\"RED ACTED\"")]
    [InlineData("\"\"")]
    [InlineData("\"\\u005BEqR1\"")]
    [InlineData("\"EqR1\\u0052EDACTED\"")]
    [InlineData("\"REDACTED\\n\"")]
    [InlineData("\"caf\u00e9 REDACTED\"")]
    [InlineData("\"caf\u00e9 REDACTE\"")]
    [InlineData("\"\u212AREDACTED\"")]
    [InlineData("\"abc[REDACTED\"")]
    [InlineData("\"@REDACTED\"")]
    [InlineData("\"`redacted\"")]
    public void A_redaction_marker_is_found_on_the_bytes_as_in_the_characters(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Thinking.IsRedactionMarker(doc.RootElement).ShouldBe(Thinking.IsRedactionMarker(doc.RootElement.GetString()!), json);
    }

    [Fact]
    public void A_redaction_marker_is_found_on_the_bytes_as_in_the_characters_in_random_signatures()
    {
        const string Base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
        var random = new Random(20261205);
        var found = 0;
        for (var n = 0; n < 3_000; n++)
        {
            var chars = new char[random.Next(0, 200)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Base64[random.Next(Base64.Length)];
            }

            var text = new string(chars);
            if (random.Next(3) == 0)
            {
                // "redacted" with each letter's case drawn, somewhere in the text.
                var marker = new string([.. "redacted".Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : c)]);
                text = text.Insert(random.Next(text.Length + 1), marker);
            }

            using var doc = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(text));
            var expected = Thinking.IsRedactionMarker(text);
            Thinking.IsRedactionMarker(doc.RootElement).ShouldBe(expected, text);
            found += expected ? 1 : 0;
        }

        found.ShouldBeInRange(500, 1_500); // both answers were exercised
    }

    [Fact]
    public void A_version_read_again_is_the_same_string_until_it_changes()
    {
        var reader = new Thinking.VersionReader();
        string? Read(string line)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            return reader.Read(doc.RootElement);
        }

        var first = Read("""{"version":"2.1.31"}""");
        first.ShouldBe("2.1.31");
        Read("""{"version":"2.1.31"}""").ShouldBeSameAs(first);
        Read("""{"version":"2\u002e1.31"}""").ShouldBeSameAs(first); // the same value, escaped
        Read("""{"type":"assistant"}""").ShouldBeNull();
        Read("""{"version":7}""").ShouldBeNull();
        var next = Read("""{"version":"2.1.32"}""");
        next.ShouldBe("2.1.32");
        Read("""{"version":"2.1.31"}""").ShouldBe("2.1.31");
        Read("""{"version":""}""").ShouldBe("");
    }
}
