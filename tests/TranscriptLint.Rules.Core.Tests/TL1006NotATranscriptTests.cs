using System.Text;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL1006 (NotATranscript): fixtures in fixtures/claude-code/TL1006/, doc in docs/rules/TL1006.md.</summary>
public sealed class TL1006NotATranscriptTests : RuleFixtureTests<TL1006NotATranscriptRule>
{
    private const string Id = RuleIdentifiers.NotATranscript;

    [Theory]
    [InlineData("fires-gzip-of-session.jsonl", "gzip data")]
    [InlineData("fires-binary-data.jsonl", "binary data")]
    [InlineData("fires-json-array-on-one-line.jsonl", "JSON array on one line")]
    [InlineData("fires-pretty-printed-chatgpt-export.jsonl", "one JSON document of 66 lines (a JSON array, not JSON Lines)")]
    [InlineData("fires-pretty-printed-unknown-object.jsonl", "one JSON document of 26 lines (a JSON object, not JSON Lines)")]
    [InlineData("fires-unknown-jsonl-shape.jsonl", "JSONL whose objects match no supported format")]
    [InlineData("fires-markdown-text.jsonl", "text, not JSON Lines")]
    public void Says_what_the_file_looks_like_in_its_only_finding(string caseFile, string looksLike)
    {
        var result = RuleHarness.Lint(FixtureFacts.PathOf(Id, caseFile));
        result.Dialect.ShouldBe("none");
        var d = result.Diagnostics.ShouldHaveSingleItem();
        d.Id.ShouldBe(Id);
        d.Message.ShouldContain("it looks like " + looksLike);
        d.Fixes.ShouldBeEmpty();
        (d.Location.StartLine, d.Location.StartColumn).ShouldBe((1, 1));
    }

    [Fact]
    public void A_saved_session_with_a_bad_byte_says_where_the_byte_is()
    {
        // A Gemini CLI session is one JSON document: one invalid byte keeps it from reading at all. The finding says
        // where, so the person whose session broke can look there (it used to say only "not JSON Lines").
        var clean = File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "gemini-cli", "clean-tool-calls-with-results.json"));
        var at = clean.AsSpan().IndexOf("\"content\""u8) + 12;
        byte[] damaged = [.. clean[..at], 0xFF, .. clean[at..]];
        var line = clean.AsSpan(0, at).Count((byte)'\n') + 1;
        var path = Path.Combine(Path.GetTempPath(), $"tl-gemini-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(path, damaged);
        try
        {
            RuleHarness.Lint(path).Diagnostics.ShouldHaveSingleItem().Message.ShouldContain($"holding invalid UTF-8 at line {line}, byte {at}, which no strict JSON reader accepts");
            File.WriteAllBytes(path, clean);
            RuleHarness.Lint(path).Diagnostics.ShouldNotContain(d => d.Id == Id);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("nul")]
    [InlineData("cut+nul")]
    public void A_saved_session_cut_off_by_a_crash_says_so(string damage)
    {
        // Gemini CLI wrote its legacy session whole on every change (writeFileSync): a crash mid-write leaves it cut off,
        // on some file systems padded with NULs. It used to be "binary data" or "JSON Lines with no complete object",
        // which told the person whose session broke nothing.
        var clean = File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "gemini-cli", "clean-tool-calls-with-results.json"));
        var cut = clean.AsSpan().IndexOf("\"toolCalls\""u8) + 20;
        var cutLine = clean.AsSpan(0, cut).Count((byte)'\n') + 1;
        var lines = clean.AsSpan().Count((byte)'\n') + 1;
        var (damaged, expected) = damage switch
        {
            "cut" => (clean[..cut], $"it looks like a Gemini CLI session (one JSON document) cut off before its end (line {cutLine}: "),
            "nul" => ((byte[])[.. clean, .. new byte[1206]], $"it looks like a Gemini CLI session (one JSON document) of {lines} lines followed by 1,206 NUL bytes, which no JSON reader accepts"),
            _ => ((byte[])[.. clean[..cut], .. new byte[4096]], $"cut off before its end (line {cutLine}: "),
        };
        var path = Path.Combine(Path.GetTempPath(), $"tl-gemini-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(path, damaged);
        try
        {
            var d = RuleHarness.Lint(path).Diagnostics.ShouldHaveSingleItem();
            d.Id.ShouldBe(Id);
            d.Message.ShouldContain(expected);
            if (damage == "cut+nul")
            {
                d.Message.ShouldContain(") followed by 4,096 NUL bytes: the file was not written to its end");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reports_one_finding_where_line_rules_would_report_every_line()
    {
        // 500 lines of text: without the classification TL1001 would report each of them.
        var text = string.Concat(Enumerable.Range(1, 500).Select(i => $"line {i}: not json at all\n"));
        var result = RuleHarness.LintText(text);
        result.Diagnostics.ShouldHaveSingleItem().Id.ShouldBe(Id);
        result.LineCount.ShouldBe(500);
        result.Length.ShouldBe(Encoding.UTF8.GetByteCount(text));
    }

    [Fact]
    public void A_session_with_damaged_lines_is_still_a_transcript()
    {
        // Torn first line, NUL run, invalid UTF-8: TL1001/TL1002 report them; the file is not TL1006.
        var good = File.ReadAllLines(FixtureFacts.PathOf(Id, "clean-claude-code-session.jsonl"));
        var torn = good[1][..40];
        var lines = new List<byte[]> { Encoding.UTF8.GetBytes(torn), "\0\0\0\0"u8.ToArray().Concat(Encoding.UTF8.GetBytes(good[1])).ToArray() };
        lines.AddRange(good.Skip(2).Select(Encoding.UTF8.GetBytes));
        var latin1 = Encoding.UTF8.GetBytes(good[2].Replace("TODO", "TOD\u00e9", StringComparison.Ordinal));
        lines.Add([.. latin1.Where(b => b != 0xC3)]);
        var bytes = lines.SelectMany(l => l.Concat("\n"u8.ToArray())).ToArray();
        using var stream = new MemoryStream(bytes);
        var result = new LintEngine(RuleHarness.Rules, new LintOptions()).LintStream(stream, "damaged.jsonl");
        result.Dialect.ShouldBe("claude-code");
        result.Diagnostics.ShouldNotContain(d => d.Id == Id);
        result.Diagnostics.ShouldContain(d => d.Id == RuleIdentifiers.InvalidJsonLine && d.Location.StartLine == 1);
    }

    [Fact]
    public void No_other_rule_runs_on_a_file_that_is_not_a_transcript_even_when_it_holds_transcript_lines()
    {
        // A transcript line buried in a JSON array: the array is a document, its contents are not linted.
        var session = File.ReadAllText(FixtureFacts.PathOf(Id, "fires-json-array-on-one-line.jsonl"));
        var result = RuleHarness.LintText(session + session);
        result.Diagnostics.ShouldHaveSingleItem().Message.ShouldContain("JSON Lines of arrays, not objects");
    }

    [Fact]
    public void Switched_off_it_leaves_such_a_file_with_no_finding_and_runs_nothing_else()
    {
        var options = new LintOptions { Severities = new Dictionary<string, Severity>(StringComparer.Ordinal) { [Id] = Severity.None } };
        var result = RuleHarness.Lint(FixtureFacts.PathOf(Id, "fires-markdown-text.jsonl"), options);
        result.Diagnostics.ShouldBeEmpty();
        result.Dialect.ShouldBe("none");
    }
}
