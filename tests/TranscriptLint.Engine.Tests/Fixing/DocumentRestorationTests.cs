using System.Text;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Fixes;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// A Gemini CLI session (.json) damaged as a whole by a crash: cut off while the CLI rewrote it, or padded with NUL bytes
/// after it. TL1006 reports it; when every complete message can be kept byte for byte, its Safe fix restores the
/// document (cut back to the last complete message and closed, or the NULs removed) and the passes after it fix the
/// session. Anything else is reported and never changed.
/// </summary>
public sealed class DocumentRestorationTests
{
    private static readonly string Dir = Path.Combine(RepoPaths.Fixtures, "gemini-cli", "TL1006");
    private static readonly byte[] Clean = File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "gemini-cli", "clean-tool-calls-with-results.json"));

    [Theory]
    [InlineData("fires-session-cut-off-while-rewritten")]
    [InlineData("fires-session-cut-off-after-its-messages")]
    [InlineData("fires-session-padded-with-nuls")]
    [InlineData("fires-session-with-latin1-prompt")]
    public void A_damaged_session_is_restored_into_its_golden(string name)
    {
        var original = File.ReadAllBytes(Path.Combine(Dir, name + ".json"));

        var finding = FixerHarness.Lint(original).Diagnostics.ShouldHaveSingleItem();
        finding.Id.ShouldBe("TL1006");
        finding.Fixes.ShouldHaveSingleItem().Edits.ShouldHaveSingleItem().ShouldBeOfType<RestoreTranscript>();
        var outcome = FixerHarness.Fix(original, path: "session.json");

        outcome.Applied.ShouldHaveSingleItem().RuleId.ShouldBe("TL1006");
        outcome.Fixed.ShouldBe(File.ReadAllBytes(Path.Combine(Dir, name + ".fixed.json")));
        outcome.FinalLint.Dialect.ShouldBe("gemini-cli");
        FixerHarness.Fix(outcome.Fixed, path: "session.json").Changed.ShouldBeFalse();
    }

    [Fact]
    public void A_cut_off_session_keeps_every_complete_message_byte_for_byte_and_closes_as_the_cli_writes()
    {
        var lastMessage = LastIndexOf(Clean, "\n    {"u8);
        var torn = Clean[..(lastMessage + 40)];

        var restored = TranscriptRestoration.Restore(torn, out var why).ShouldNotBeNull();

        why.ShouldBeNull();
        restored.How.Title.ShouldBe("Cut the session back to its last complete message (5) and close it");
        var kept = LastIndexOf(Clean[..lastMessage], "}"u8) + 1;
        restored.Bytes.ShouldBe([.. Clean[..kept], .. "\n  ]\n}"u8.ToArray()]);
    }

    [Fact]
    public void A_session_with_crlf_line_endings_is_closed_with_crlf()
    {
        var crlf = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Clean).Replace("\n", "\r\n", StringComparison.Ordinal));
        var torn = crlf[..(LastIndexOf(crlf, "\r\n    {"u8) + 30)];

        var restored = TranscriptRestoration.Restore(torn, out _).ShouldNotBeNull();

        Encoding.UTF8.GetString(restored.Bytes).ShouldEndWith("}\r\n  ]\r\n}");
        FixerHarness.Lint(restored.Bytes).Dialect.ShouldBe("gemini-cli");
    }

    [Fact]
    public void A_cut_off_session_padded_with_nuls_loses_the_torn_message_and_the_nuls()
    {
        var torn = Clean[..(LastIndexOf(Clean, "\n    {"u8) + 40)];

        var outcome = FixerHarness.Fix([.. torn, .. new byte[500]], path: "session.json");

        outcome.Fixed.ShouldBe(TranscriptRestoration.Restore(torn, out _).ShouldNotBeNull().Bytes);
        outcome.Restoration.ShouldNotBeNull().Detail.ShouldContain("and the 500 NUL bytes after it");
    }

    [Fact]
    public void A_session_cut_off_after_its_messages_array_is_closed_as_the_cli_writes_it()
    {
        var torn = Clean[..^1]; // only the document's closing brace is missing

        var restored = TranscriptRestoration.Restore(torn, out var why).ShouldNotBeNull();

        why.ShouldBeNull();
        restored.How.Title.ShouldBe("Cut the session back to the end of its last complete field and close it, keeping its 6 messages");
        restored.How.Detail.ShouldBe("the torn end after byte 4,166 (1 byte) removed, the document closed; the messages array (6 messages) and every complete field kept byte for byte");
        restored.Bytes.ShouldBe(Clean);
    }

    [Fact]
    public void A_complete_field_after_the_messages_is_kept_and_only_the_torn_one_is_cut()
    {
        var body = Clean[..^2]; // up to the messages array's "]"
        byte[] summary = [.. body, .. ",\n  \"summary\": \"Fix the README typo\""u8.ToArray()];
        byte[] torn = [.. summary, .. ",\n  \"directories\": [\n    \"/home/dev/pro"u8.ToArray()];

        var restored = TranscriptRestoration.Restore(torn, out _).ShouldNotBeNull();

        restored.Bytes.ShouldBe([.. summary, .. "\n}"u8.ToArray()]);
        restored.How.Detail.ShouldContain("in its \"directories\" field");
        FixerHarness.Lint(restored.Bytes).Dialect.ShouldBe("gemini-cli");
    }

    [Fact]
    public void A_request_body_cut_off_after_its_messages_is_not_closed_there()
    {
        // A Messages API request body names its tools after its messages: closing it there would drop them.
        var body = "{\n  \"model\": \"claude-sonnet-4-5\",\n  \"max_tokens\": 1024,\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"hi\"}\n  ],\n  \"tools\": [\n    {\"name\": \"Ba"u8.ToArray();

        TranscriptRestoration.Restore(body, out var why).ShouldBeNull();
        why.ShouldNotBeNull().ShouldContain("only a Gemini CLI session is closed after");
        // One of its lines is a JSON object on its own; the file is still the one document, not JSON Lines whose
        // other lines an unsafe fix would delete.
        FixerHarness.Lint(body).Diagnostics.ShouldHaveSingleItem().Message.ShouldContain("it looks like one JSON document cut off before its end (line 8");
        FixerHarness.Fix(body, unsafeFixes: true, path: "request.json").Changed.ShouldBeFalse();
    }

    [Theory]
    [InlineData(60, "before its first complete message")] // cut inside the header: no message to keep
    [InlineData(-1, "holds no complete message")] // its messages array is empty, then the closing brace is missing
    public void A_session_cut_where_nothing_is_worth_keeping_is_not_restored(int cut, string reason)
    {
        var torn = cut > 0 ? Clean[..cut] : "{\n  \"sessionId\": \"3c9e41d2-58a7-4f1b-b0d6-7e2a9c14f803\",\n  \"projectHash\": \"a4f1\",\n  \"messages\": []\n"u8.ToArray();

        TranscriptRestoration.Restore(torn, out var why).ShouldBeNull();
        why.ShouldNotBeNull().ShouldContain(reason);
        var finding = FixerHarness.Lint(torn).Diagnostics.ShouldHaveSingleItem();
        finding.Fixes.ShouldBeEmpty();
        finding.Message.ShouldEndWith("and fix leaves it unchanged");
        FixerHarness.Fix(torn, unsafeFixes: true, path: "session.json").Changed.ShouldBeFalse();
    }

    [Fact]
    public void Invalid_utf8_is_read_as_u_fffd_as_the_cli_reads_it_and_nothing_else_changes()
    {
        var at = Clean.AsSpan().IndexOf("README.md"u8);
        byte[] damaged = [.. Clean[..at], 0xE8, 0xAA, (byte)' ', 0xFF, .. Clean[at..]];

        var restored = TranscriptRestoration.Restore(damaged, out _).ShouldNotBeNull();

        restored.How.Title.ShouldBe("Replace the 2 invalid UTF-8 sequences with U+FFFD");
        FixerHarness.Lint(damaged).Diagnostics.ShouldHaveSingleItem().Message.ShouldContain("it looks like a gemini-cli transcript (one JSON document) holding invalid UTF-8 at line 11");
        restored.Bytes.ShouldBe([.. Clean[..at], .. "\uFFFD \uFFFD"u8.ToArray(), .. Clean[at..]]);
        FixerHarness.Lint(restored.Bytes).Dialect.ShouldBe("gemini-cli");
    }

    [Fact]
    public void Invalid_utf8_in_a_cut_off_session_is_replaced_as_the_session_is_cut_back()
    {
        var at = Clean.AsSpan().IndexOf("README.md"u8);
        var torn = Clean[..(LastIndexOf(Clean, "\n    {"u8) + 40)];
        byte[] damaged = [.. torn[..at], 0xE9, .. torn[at..]];

        var restored = TranscriptRestoration.Restore(damaged, out _).ShouldNotBeNull();

        restored.How.Title.ShouldBe("Cut the session back to its last complete message (5) and close it (and replace the invalid UTF-8 sequence with U+FFFD)");
        restored.Bytes.ShouldBe(TranscriptRestoration.Restore([.. torn[..at], .. "\uFFFD"u8.ToArray(), .. torn[at..]], out _).ShouldNotBeNull().Bytes);
    }

    [Fact]
    public void Invalid_utf8_in_something_that_is_no_transcript_is_left_alone()
    {
        byte[] export = [.. "{\n  \"title\": \"caf"u8.ToArray(), 0xE9, .. "\",\n  \"items\": [1, 2]\n}"u8.ToArray()];

        FixerHarness.Lint(export).Diagnostics.ShouldHaveSingleItem().Fixes.ShouldBeEmpty();
        FixerHarness.Fix(export, unsafeFixes: true).Changed.ShouldBeFalse();
    }

    [Fact]
    public void Nul_padding_after_something_that_is_no_transcript_is_left_alone()
    {
        var export = "{\n  \"title\": \"chat export\",\n  \"items\": [\n    1,\n    2\n  ]\n}"u8.ToArray();
        byte[] padded = [.. export, .. new byte[100]];

        FixerHarness.Lint(padded).Diagnostics.ShouldHaveSingleItem().Fixes.ShouldBeEmpty();
        FixerHarness.Fix(padded, unsafeFixes: true).Changed.ShouldBeFalse();
    }

    private static int LastIndexOf(byte[] bytes, ReadOnlySpan<byte> value) => bytes.AsSpan().LastIndexOf(value);
}
