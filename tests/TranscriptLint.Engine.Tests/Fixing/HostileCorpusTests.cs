using System.Text;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// Issue 9's hostile inputs (fixtures/hostile/, large ones generated here or by fixtures/hostile/generate.sh):
/// what lint finds and what fix and fix --unsafe-fixes do. Anything that is not a transcript stays byte-identical.
/// </summary>
public sealed class HostileCorpusTests
{
    private static string Hostile(string name) => Path.Combine(RepoPaths.Fixtures, "hostile", name);

    [Theory]
    [InlineData("binary.jsonl", "none", "TL1006", "binary data")]
    [InlineData("gzip-of-session.jsonl", "none", "TL1006", "gzip data")]
    [InlineData("json-array-on-one-line.jsonl", "none", "TL1006", "JSON array on one line")]
    [InlineData("chatgpt-export-pretty-printed.jsonl", "none", "TL1006", "one JSON document of 66 lines")]
    [InlineData("invalid-utf8.jsonl", "none", "TL1006", "mostly invalid UTF-8")]
    [InlineData("empty.jsonl", "none", null, null)]
    public void Not_a_transcript_gets_one_finding_and_is_never_changed(string name, string dialect, string? id, string? looksLike)
    {
        var bytes = File.ReadAllBytes(Hostile(name));
        var lint = FixerHarness.Lint(bytes);
        lint.Dialect.ShouldBe(dialect);
        if (id is null)
        {
            lint.Diagnostics.ShouldBeEmpty();
        }
        else
        {
            var d = lint.Diagnostics.ShouldHaveSingleItem();
            d.Id.ShouldBe(id);
            d.Message.ShouldContain(looksLike!);
        }

        AssertFixLeavesItAlone(bytes);
    }

    // Found by fuzzing: the classifier's BOM literal was the six bytes of its mojibake "ï»¿", so a document with a
    // real BOM was described as broken JSON Lines, and a file starting with "ï»¿" had it skipped as if it were a BOM.
    [Fact]
    public void A_bom_before_a_document_is_skipped_and_its_mojibake_is_not()
    {
        var document = File.ReadAllBytes(Hostile("chatgpt-export-pretty-printed.jsonl"));
        var withBom = FixerHarness.Lint([0xEF, 0xBB, 0xBF, .. document]).Diagnostics.ShouldHaveSingleItem();
        withBom.Message.ShouldContain("one JSON document of 66 lines");

        var mojibake = FixerHarness.Lint([.. "ï»¿"u8, .. document]).Diagnostics.ShouldHaveSingleItem();
        mojibake.Id.ShouldBe("TL1006");
        mojibake.Message.ShouldNotContain("JSON document");
        AssertFixLeavesItAlone([.. "ï»¿"u8, .. document]);
    }

    // Found by fuzzing: System.Text.Json accepts invalid UTF-8 inside a string and GetString throws later, so lint
    // crashed while matching such a document against the document dialects. Such a document is not read as it is
    // (TL1006); fix reads the bad byte as U+FFFD, as a Node reader does, and changes nothing else.
    [Fact]
    public void A_document_with_invalid_utf8_in_a_string_is_not_a_crash_and_fix_reads_the_byte_as_u_fffd()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi X\"}]}\n");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xDF;
        var lint = FixerHarness.Lint(bytes);
        lint.Diagnostics.ShouldHaveSingleItem().Id.ShouldBe("TL1006");
        var outcome = FixerHarness.Fix(bytes);
        outcome.Applied.ShouldHaveSingleItem().Title.ShouldBe("Replace the invalid UTF-8 sequence with U+FFFD");
        outcome.Fixed.ShouldBe(Encoding.UTF8.GetBytes("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi \uFFFD\"}]}\n"));
    }

    [Theory]
    [InlineData("gemini-session-pretty-printed.jsonl", "gemini-cli")]
    [InlineData("anthropic-request-body-pretty-printed.jsonl", "anthropic-messages")]
    public void Supported_documents_are_transcripts_and_fix_keeps_them_whole(string name, string dialect)
    {
        var bytes = File.ReadAllBytes(Hostile(name));
        var lint = FixerHarness.Lint(bytes);
        lint.Dialect.ShouldBe(dialect);
        lint.Diagnostics.ShouldNotContain(d => d.Id == "TL1001" || d.Id == "TL1006");
        foreach (var unsafeFixes in new[] { false, true })
        {
            var outcome = FixerHarness.Fix(bytes, unsafeFixes);
            System.Text.Json.JsonDocument.Parse(outcome.Fixed).Dispose(); // still one whole JSON document
            outcome.Fixed.Length.ShouldBeGreaterThanOrEqualTo(bytes.Length - 2, "nothing is emptied or cut");
        }
    }

    [Fact]
    public void A_million_lines_of_garbage_get_one_finding_and_are_never_changed()
    {
        var text = new StringBuilder(45_000_000);
        for (var i = 0; i < 1_000_000; i++)
        {
            text.Append("garbage line ").Append(i).Append(": not json at all\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var lint = FixerHarness.Lint(bytes);
        lint.Diagnostics.ShouldHaveSingleItem().Id.ShouldBe("TL1006");
        lint.LineCount.ShouldBe(1_000_000);
        AssertFixLeavesItAlone(bytes);
    }

    [Fact]
    public void A_line_nested_deeper_than_the_parser_allows_is_reported_and_never_deleted()
    {
        // A transcript whose second line is one complete JSON object nested 100,000 deep: TL1001 reports it (the
        // parser stops at 1024), and even --unsafe-fixes does not delete it, since it is a complete value.
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var bytes = Encoding.UTF8.GetBytes(
            "{\"type\":\"summary\",\"summary\":\"deep\",\"leafUuid\":\"u2\"}\n" +
            "{\"parentUuid\":null,\"type\":\"user\",\"uuid\":\"u2\",\"sessionId\":\"s\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"user\",\"content\":" + deep + "}}\n");
        var lint = FixerHarness.Lint(bytes);
        lint.Dialect.ShouldBe("claude-code");
        lint.Diagnostics.ShouldContain(d => d.Id == "TL1001" && d.Location.StartLine == 2);
        var outcome = FixerHarness.Fix(bytes, unsafeFixes: true);
        outcome.Applied.ShouldBeEmpty();
        outcome.Fixed.ShouldBe(bytes);
        outcome.Rejected.ShouldContain(r => r.Reason.Contains("is a complete JSON object", StringComparison.Ordinal) || r.Reason.Contains("only a fix that names the entry", StringComparison.Ordinal));
    }

    [Fact]
    public void A_single_line_json_array_is_not_deleted_as_a_torn_line_even_inside_a_transcript()
    {
        // The last line is a complete JSON array without a final newline: TL1001 fires, but it is not torn.
        var session = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "claude-code", "TL1006", "clean-claude-code-session.jsonl"));
        var bytes = Encoding.UTF8.GetBytes(session + "[{\"type\":\"user\"},{\"type\":\"assistant\"}]");
        FixerHarness.Lint(bytes).Diagnostics.ShouldContain(d => d.Id == "TL1001");
        foreach (var unsafeFixes in new[] { false, true })
        {
            FixerHarness.Fix(bytes, unsafeFixes).Fixed.ShouldBe(bytes);
        }
    }

    private static void AssertFixLeavesItAlone(byte[] bytes)
    {
        foreach (var unsafeFixes in new[] { false, true })
        {
            var outcome = FixerHarness.Fix(bytes, unsafeFixes);
            outcome.Changed.ShouldBeFalse();
            outcome.Fixed.ShouldBe(bytes);
            outcome.Applied.ShouldBeEmpty();
        }
    }
}
