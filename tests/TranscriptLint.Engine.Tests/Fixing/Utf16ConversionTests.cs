using System.Text;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Fixes;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// A transcript saved as UTF-16 (Windows PowerShell 5.1's <c>&gt;</c>, Notepad's "Unicode"): TL1006 reports it, and when
/// converting provably keeps every character and gives a transcript, its Safe fix converts it to UTF-8 in pass 1 and
/// the passes after it fix the transcript. Anything that would lose a character is reported and never changed.
/// </summary>
public sealed class Utf16ConversionTests
{
    private const string Session =
        "{\"type\":\"user\",\"uuid\":\"11111111-1111-4111-8111-111111111111\",\"parentUuid\":null,\"sessionId\":\"s\",\"message\":{\"role\":\"user\",\"content\":\"déjà vu 日本語 🚀\"}}\r\n" +
        "{\"type\":\"assistant\",\"uuid\":\"22222222-2222-4222-8222-222222222222\",\"parentUuid\":\"11111111-1111-4111-8111-111111111111\",\"sessionId\":\"s\",\"message\":{\"id\":\"msg_1\",\"role\":\"assistant\",\"model\":\"claude-opus-4-6\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}}\r\n";

    private static readonly UnicodeEncoding LittleEndian = new(bigEndian: false, byteOrderMark: true);
    private static readonly UnicodeEncoding BigEndian = new(bigEndian: true, byteOrderMark: true);

    public static TheoryData<string, bool, bool> Encodings() => new()
    {
        { "UTF-16 LE", false, true },
        { "UTF-16 LE", false, false },
        { "UTF-16 BE", true, true },
        { "UTF-16 BE", true, false },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Converts_every_character_in_either_byte_order_with_or_without_a_mark(string name, bool big, bool mark)
    {
        var bytes = Utf16(Session, big, mark);

        var conversion = Utf16Text.ToUtf8(bytes, out var why).ShouldNotBeNull();

        why.ShouldBeNull();
        conversion.Encoding.ShouldBe(name);
        conversion.Utf8.ShouldBe(Encoding.UTF8.GetBytes(Session)); // no mark written, CRLF and the emoji's pair kept
        conversion.Characters.ShouldBe(Session.Length);
    }

    [Fact]
    public void A_pair_across_the_round_trip_check_pieces_is_kept()
    {
        // The round trip is checked 32,768 characters at a time: a pair whose high half ends a piece moves to the next.
        var text = "{\"a\":\"" + new string('x', 32_768 - 7) + "🚀" + new string('y', 40_000) + "\"}\n";
        text[32_767].ShouldSatisfyAllConditions(c => char.IsHighSurrogate(c).ShouldBeTrue());

        var conversion = Utf16Text.ToUtf8(Utf16(text, big: false, mark: true), out _).ShouldNotBeNull();

        conversion.Utf8.ShouldBe(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void A_cut_last_character_is_not_converted()
    {
        var bytes = Utf16(Session, big: false, mark: true);

        Utf16Text.ToUtf8(bytes.AsSpan(0, bytes.Length - 1), out var why).ShouldBeNull();

        why.ShouldNotBeNull().ShouldContain("half a character");
    }

    [Fact]
    public void Half_a_surrogate_pair_is_not_converted()
    {
        // "{\"a\":\"\uD83D\"}" with the low surrogate missing: UTF-8 cannot hold it, so converting would lose it.
        var bytes = Utf16("{\"a\":\"", big: false, mark: true).Concat(new byte[] { 0x3D, 0xD8 }).Concat(Utf16("\"}\n", big: false, mark: false)).ToArray();

        Utf16Text.ToUtf8(bytes, out var why).ShouldBeNull();

        why.ShouldNotBeNull().ShouldContain("surrogate");
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"' })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{' })]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00 })]
    public void Utf8_and_binary_are_not_utf16(byte[] header) => Utf16Text.BigEndian(header).ShouldBeNull();

    [Fact]
    public void Lint_reports_the_session_once_with_a_safe_conversion()
    {
        var lint = FixerHarness.Lint(Utf16(Session, big: false, mark: true));

        var finding = lint.Diagnostics.ShouldHaveSingleItem();
        finding.Id.ShouldBe("TL1006");
        finding.Message.ShouldBe("This file is not a transcript of a supported format: it looks like UTF-16 LE text holding a claude-code transcript (transcripts are UTF-8). No other rule was run on it, and fix restores it first (convert the file from UTF-16 LE to UTF-8), then lints and fixes it");
        var fix = finding.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        fix.Title.ShouldBe("Convert the file from UTF-16 LE to UTF-8");
        fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<RestoreTranscript>();
    }

    [Fact]
    public void Utf16_text_that_is_no_transcript_gets_no_fix()
    {
        var lint = FixerHarness.Lint(Utf16("# Notes\r\n\r\nNot a session.\r\n", big: false, mark: true));

        var finding = lint.Diagnostics.ShouldHaveSingleItem();
        finding.Message.ShouldContain("UTF-16 text (transcripts are UTF-8), and converted it is not a transcript either");
        finding.Message.ShouldEndWith("and fix leaves it unchanged");
        finding.Fixes.ShouldBeEmpty();
        FixerHarness.Fix(Utf16("# Notes\r\n\r\nNot a session.\r\n", big: false, mark: true)).Changed.ShouldBeFalse();
    }

    [Fact]
    public void A_session_that_would_lose_a_character_is_reported_and_never_changed()
    {
        var bytes = Utf16(Session, big: false, mark: true)[..^1];

        var finding = FixerHarness.Lint(bytes).Diagnostics.ShouldHaveSingleItem();

        finding.Message.ShouldContain("which fix cannot convert: it ends in half a character");
        finding.Fixes.ShouldBeEmpty();
        var outcome = FixerHarness.Fix(bytes, unsafeFixes: true);
        outcome.Changed.ShouldBeFalse();
        outcome.Fixed.ShouldBe(bytes);
    }

    [Fact]
    public void Fix_converts_in_pass_one_and_then_lints_the_utf8_transcript()
    {
        var outcome = FixerHarness.Fix(Utf16(Session, big: true, mark: true));

        outcome.Applied.ShouldHaveSingleItem().ShouldBe(new Engine.Fixing.AppliedFix("TL1006", "Convert the file from UTF-16 BE to UTF-8", 1, 1));
        outcome.Fixed.ShouldBe(Encoding.UTF8.GetBytes(Session));
        outcome.Restoration.ShouldNotBeNull().Title.ShouldBe("Convert the file from UTF-16 BE to UTF-8");
        outcome.DiffBase.ShouldBe(outcome.Fixed);
        outcome.FinalLint.Dialect.ShouldBe("claude-code");
        outcome.FinalLint.Diagnostics.ShouldBeEmpty();
        FixerHarness.Fix(outcome.Fixed).Changed.ShouldBeFalse("the converted file needs nothing more");
    }

    [Fact]
    public void A_gemini_cli_session_saved_as_utf16_is_converted_then_repaired_like_the_original()
    {
        var dir = Path.Combine(RepoPaths.Fixtures, "gemini-cli", "TL1006");
        var original = File.ReadAllBytes(Path.Combine(dir, "fires-session-saved-as-utf16.json"));

        var outcome = FixerHarness.Fix(original, path: "session.json");

        outcome.Applied.Select(a => (a.RuleId, a.Pass)).ShouldBe([("TL1006", 1), ("TL3001", 2)]);
        outcome.Fixed.ShouldBe(File.ReadAllBytes(Path.Combine(dir, "fires-session-saved-as-utf16.fixed.json")));
        outcome.Fixed.ShouldBe(FixerHarness.Fix(File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "gemini-cli", "fires-killed-while-tool-ran.json")), path: "session.json").Fixed);
        outcome.RestoredLint.ShouldNotBeNull().Dialect.ShouldBe("gemini-cli");
    }

    [Fact]
    public void Chosen_from_a_report_the_conversion_is_applied_alone()
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "claude-code", "TL1006", "fires-session-saved-as-utf16.jsonl"));
        var convert = FixerHarness.Lint(bytes).Diagnostics.ShouldHaveSingleItem().Fixes.ShouldHaveSingleItem();

        var outcome = FixerHarness.FixRecorded(bytes, new Engine.Fixing.RecordedFix("TL1006", convert));

        // The report (fix -i) held only the conversion: the torn last line it could not see stays, and is reported.
        outcome.Applied.ShouldHaveSingleItem().RuleId.ShouldBe("TL1006");
        outcome.FinalLint.Diagnostics.ShouldHaveSingleItem().Id.ShouldBe("TL1001");
        Encoding.UTF8.GetString(outcome.Fixed).ShouldBe(new UnicodeEncoding(false, true).GetString(bytes.AsSpan(2)));
    }

    [Fact]
    public void A_conversion_offered_for_a_utf8_transcript_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes(Session);

        var outcome = FixerHarness.FixRecorded(bytes, new Engine.Fixing.RecordedFix("TL1006", new Fix("Convert", Applicability.Safe, [new RestoreTranscript()])));

        outcome.Changed.ShouldBeFalse();
        outcome.Rejected.ShouldHaveSingleItem().Reason.ShouldContain("RestoreTranscript applies only to a whole file the engine can restore");
    }

    private static byte[] Utf16(string text, bool big, bool mark)
    {
        var encoding = big ? BigEndian : LittleEndian;
        var body = encoding.GetBytes(text);
        return mark ? [.. encoding.GetPreamble(), .. body] : body;
    }
}
