using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// The Claude Code dialect reads a line's top-level fields in one pass over its properties; it must read exactly what
/// a lookup by name (<see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>) reads, duplicates and escapes included.
/// </summary>
public sealed class ClaudeCodeEnvelopeTests
{
    private static readonly ClaudeCodeDialect Dialect = new();

    [Fact]
    public void Every_fixture_line_reads_as_lookups_by_name_read_it()
    {
        var lines = 0;
        foreach (var (file, _, doc) in ParsedFixtureLines.All())
        {
            if (doc.RootElement.ValueKind == JsonValueKind.Object && Dialect.Matches(doc.RootElement))
            {
                lines++;
                AssertReadsAsLookups(doc.RootElement, file);
            }
        }

        lines.ShouldBeGreaterThan(5_000);
    }

    [Theory]
    [InlineData("""{"type":"user","uuid":"first","uuid":"second","parentUuid":"p","parentUuid":null,"sessionId":"s","message":{"role":"user","content":"hi"}}""")]
    [InlineData("""{"\u0074ype":"assistant","uu\u0069d":"escaped-name","isSidechain":true,"agentId":"a1","message":{"role":"assistant","id":"msg_1","model":"claude-x","content":[{"type":"text","text":"ok"}]}}""")]
    [InlineData("""{"type":"system","subtype":"compact_boundary","parentUuid":null,"logicalParentUuid":"lp","isCompactSummary":false,"isMeta":true,"timestamp":"2026-01-01T00:00:00.000Z","uuid":7}""")]
    [InlineData("""{"type":"assistant","isApiErrorMessage":true,"message":{"model":"<synthetic>","content":[{"type":"text","text":"API Error: 429"}]}}""")]
    // Timestamps are packed from the bytes as written: an escaped one, a repeated key and odd shapes read back as the
    // decoded text, whichever value comes last.
    [InlineData("""{"type":"user","uuid":"u","timestamp":"\u0032026-01-01T00:00:00.000Z","message":{"role":"user","content":"hi"}}""")]
    [InlineData("""{"type":"user","uuid":"u","timestamp":"2026-01-01T00:00:00.000Z","timestamp":"yesterday","message":{"role":"user","content":"hi"}}""")]
    [InlineData("""{"type":"user","uuid":"u","timestamp":"yesterday","timestamp":"2026-01-01T00:00:00.000Z","message":{"role":"user","content":"hi"}}""")]
    [InlineData("""{"type":"user","uuid":"u","timestamp":"2026-01-01T00:00:00.000Z","timestamp":1767225600,"message":{"role":"user","content":"hi"}}""")]
    [InlineData("""{"type":"user","uuid":"u","timestamp":"2026-01-01T00:00:00.000+01:00","message":{"role":"user","content":"hi"}}""")]
    [InlineData("""{"type":"user","uuid":"u","timestamp":"2026-01-01T00:00:00.00\u0030Z","message":{"role":"user","content":"hi"}}""")]
    [InlineData("""{"type":"user","uuid":"u","timestamp":"","message":{"role":"user","content":"hi"}}""")]
    // The message's fields are read in one pass too: the last of a repeated name wins, whatever its kind, and an escaped
    // name is its decoded text.
    [InlineData("""{"type":"assistant","uuid":"u","message":{"id":"msg_1","role":"assistant","model":"claude-x","id":"msg_2","model":7,"content":[{"type":"text","text":"a"}],"content":null}}""")]
    [InlineData("""{"type":"assistant","uuid":"u","message":{"\u0069d":"msg_3","r\u006fle":"assistant","mode\u006c":"claude-y","c\u006fntent":[{"type":"text","text":"b"}]}}""")]
    [InlineData("""{"type":"user","uuid":"u","message":{"role":null,"role":"user","content":"x","content":[{"type":"text","text":"c"},{"type":"text","text":"d"}]}}""")]
    [InlineData("""{"type":"user","uuid":"u","message":"not an object"}""")]
    public void Duplicates_escapes_and_odd_values_read_as_lookups_by_name_read_them(string json)
    {
        using var doc = JsonDocument.Parse(json);
        AssertReadsAsLookups(doc.RootElement, json);
    }

    private static void AssertReadsAsLookups(JsonElement root, string where)
    {
        var e = Dialect.ReadEntry(root, new TranscriptLine(1, 0, Encoding.UTF8.GetByteCount(root.GetRawText()), LineTerminator.LineFeed, 0));
        e.TypeName.ShouldBe(Str(root, "type"), where);
        e.Subtype.ShouldBe(Str(root, "subtype"), where);
        e.Uuid.ShouldBe(Str(root, "uuid"), where);
        e.ParentUuid.ShouldBe(Str(root, "parentUuid"), where);
        e.HasParentField.ShouldBe(root.TryGetProperty("parentUuid", out _), where);
        e.SessionId.ShouldBe(Str(root, "sessionId"), where);
        e.Timestamp.ShouldBe(Str(root, "timestamp"), where);
        e.IsMeta.ShouldBe(True(root, "isMeta"), where);
        e.ClaudeCode!.IsSidechain.ShouldBe(True(root, "isSidechain"), where);
        e.ClaudeCode.IsCompactSummary.ShouldBe(True(root, "isCompactSummary"), where);
        e.ClaudeCode.LogicalParentUuid.ShouldBe(Str(root, "logicalParentUuid"), where);
        e.ClaudeCode.AgentId.ShouldBe(Str(root, "agentId"), where);
        var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        e.MessageId.ShouldBe(message.ValueKind == JsonValueKind.Object ? Str(message, "id") : null, where);
        e.Role.ShouldBe(message.ValueKind == JsonValueKind.Object ? Str(message, "role") : null, where);
        e.Model.ShouldBe(message.ValueKind == JsonValueKind.Object ? Str(message, "model") : null, where);
        e.Blocks.Count.ShouldBe(message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var blocks) && blocks.ValueKind == JsonValueKind.Array ? blocks.GetArrayLength() : e.Blocks.Count, where);
        e.HasContent.ShouldBe(message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var c) && c.ValueKind != JsonValueKind.Null, where);
        ((e.Synthetic & SyntheticReason.ApiErrorFlag) != 0).ShouldBe(e.Kind == EntryKind.Assistant && True(root, "isApiErrorMessage"), where);
    }

    private static string? Str(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool True(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
