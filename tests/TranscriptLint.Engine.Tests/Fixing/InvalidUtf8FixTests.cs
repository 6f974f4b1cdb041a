using System.Text.Json;
using TranscriptLint.Engine.Fixing;

namespace TranscriptLint.Tests.Fixing;

/// <summary>Found by fuzzing the CLI: a fix touching a line whose thinking block holds invalid UTF-8 crashed the fixer.</summary>
public sealed class InvalidUtf8FixTests
{
    [Fact]
    public void Thinking_blocks_with_invalid_utf8_are_compared_as_bytes_not_strings()
    {
        byte[] line = [.. "{\"message\":{\"content\":[{\"type\":\"thinking\",\"thinking\":\"a"u8, 0xE8, 0xAA, .. "b\",\"signature\":\"s\"}]}}"u8];
        using var doc = JsonDocument.Parse(line);
        var blocks = FixVerification.ThinkingBlocks(doc.RootElement).ToList();
        blocks.Count.ShouldBe(1);
        Convert.FromBase64String(blocks[0]).ShouldContain((byte)0xE8);
    }
}
