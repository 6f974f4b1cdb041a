using System.Text;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Model;
using TranscriptLint.Reporting;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL1002 (InvalidEncoding): fixtures in fixtures/claude-code/TL1002/, doc in docs/rules/TL1002.md.</summary>
public sealed class TL1002InvalidEncodingTests : RuleFixtureTests<TL1002InvalidEncodingRule>
{
    private const string Id = RuleIdentifiers.InvalidEncoding;

    private const string Summary = "{\"type\":\"summary\",\"summary\":\"ok\",\"leafUuid\":\"5b0c1f6e-2a51-4f3b-9a0e-9a1b7c3d2e10\"}";

    [Theory]
    [InlineData("{\"type\":\"summary\",\"summary\":\"café au lait\"}\n")]
    [InlineData("{\"type\":\"summary\",\"summary\":\"日本語のテキスト\"}\n")]
    [InlineData("{\"type\":\"summary\",\"summary\":\"ship it 🚀 \\ud83d\\ude80\"}\n")]
    [InlineData("{\"type\":\"summary\",\"summary\":\"     1→import click\"}\r\n{\"type\":\"summary\",\"summary\":\"€ · —\"}\r\n")]
    public void Valid_utf8_does_not_fire(string jsonl) =>
        RuleHarness.LintText(jsonl).Diagnostics.Where(d => d.Id == Id).ShouldBeEmpty();

    [Fact]
    public void A_byte_order_mark_fires_on_line_1_with_a_safe_fix_that_removes_only_the_mark()
    {
        byte[] marked = [0xEF, 0xBB, 0xBF, .. Utf8(Summary + "\n" + Summary + "\n")];
        var result = Lint(marked);
        var d = result.Diagnostics.Single();
        d.Id.ShouldBe(Id);
        d.Message.ShouldBe("Line 1 starts with a UTF-8 byte order mark");
        (d.Location.StartLine, d.Location.StartColumn).ShouldBe((1, 1));
        var fix = d.Fixes.Single();
        fix.Applicability.ShouldBe(Applicability.Safe);
        fix.Edits.ShouldBe([new RemoveByteOrderMark()]);
        var edit = result.RenderedFixOf(fix)!.Edits.Single();
        (edit.ByteOffset, edit.ByteLength, edit.Inserted, edit.HasTextRegion).ShouldBe((0L, 3L, "", false), "three bytes, and no character of line 1");
    }

    [Fact]
    public void Nul_bytes_before_an_intact_object_are_stripped_by_a_safe_fix()
    {
        var result = Lint([.. Utf8(Summary + "\n"), .. new byte[40], .. Utf8(Summary + "\n")]);
        var d = result.Diagnostics.Single(x => x.Id == Id);
        d.Message.ShouldBe("Line 2 contains NUL bytes");
        d.Location.StartColumn.ShouldBe(1);
        var fix = d.Fixes.Single();
        fix.Title.ShouldBe("Strip the NUL bytes");
        fix.Applicability.ShouldBe(Applicability.Safe);
        fix.Edits.ShouldBe([new ReplaceValue(new EntryRef(2, null), "", Summary)]);
        result.Diagnostics.ShouldContain(x => x.Id == RuleIdentifiers.InvalidJsonLine && x.Location.StartLine == 2);
    }

    [Fact]
    public void Nul_bytes_after_an_intact_object_are_stripped_too()
    {
        var d = Lint([.. Utf8(Summary), .. new byte[12], (byte)'\n']).Diagnostics.Single(x => x.Id == Id);
        d.Location.StartColumn.ShouldBe(Summary.Length + 1);
        d.Fixes.Single().Edits.ShouldBe([new ReplaceValue(new EntryRef(1, null), "", Summary)]);
    }

    [Theory]
    [InlineData("{\"type\":\"progress\",\"data\":{\"type\":\"hook_progress\",")]
    [InlineData(Summary + Summary)]
    public void Nul_bytes_around_a_torn_or_doubled_object_get_no_fix(string text)
    {
        var d = Lint([.. Utf8(text), .. new byte[30], (byte)'\n', .. Utf8(Summary + "\n")]).Diagnostics.Single(x => x.Id == Id);
        d.Message.ShouldBe("Line 1 contains NUL bytes");
        d.Fixes.ShouldBeEmpty();
    }

    [Fact]
    public void A_torn_multibyte_character_in_a_valid_line_gets_a_safe_u_fffd_fix()
    {
        // "語" is E8 AA 9E; its last byte is lost.
        byte[] line = [.. Utf8("{\"type\":\"summary\",\"summary\":\"日本"), 0xE8, 0xAA, .. Utf8("\"}")];
        var result = Lint([.. line, (byte)'\n']);
        var d = result.Diagnostics.Single();
        d.Id.ShouldBe(Id);
        d.Message.ShouldBe("Line 1 is not valid UTF-8");
        var fix = d.Fixes.Single();
        fix.Applicability.ShouldBe(Applicability.Safe, "U+FFFD is what every lenient reader already reads there");
        fix.Edits.ShouldBe([new ReplaceValue(new EntryRef(1, null), "", "{\"type\":\"summary\",\"summary\":\"日本\uFFFD\"}")]);
    }

    [Fact]
    public void Latin1_bytes_are_invalid_utf8()
    {
        byte[] line = [.. Utf8("{\"type\":\"summary\",\"summary\":\"caf"), 0xE9, .. Utf8("\"}")];
        var d = Lint([.. line, (byte)'\n']).Diagnostics.Single(x => x.Id == Id);
        d.Fixes.Single().Edits.ShouldBe([new ReplaceValue(new EntryRef(1, null), "", "{\"type\":\"summary\",\"summary\":\"caf\uFFFD\"}")]);
    }

    [Fact]
    public void Invalid_utf8_on_a_line_that_is_not_json_gets_no_encoding_fix()
    {
        byte[] line = [.. Utf8("{\"type\":\"summary\",\"summary\":\"caf"), 0xE9];
        var result = Lint([.. line, (byte)'\n', .. Utf8(Summary + "\n")]);
        result.Diagnostics.Single(x => x.Id == Id).Fixes.ShouldBeEmpty();
        result.Diagnostics.ShouldContain(x => x.Id == RuleIdentifiers.InvalidJsonLine);
    }

    [Fact]
    public void The_safe_fix_changes_only_the_invalid_bytes_and_the_fixer_proves_it()
    {
        byte[] line = [.. Utf8("{\"type\":\"summary\",\"summary\":\"caf"), 0xE9, .. Utf8(" cr"), 0xE8, 0xAA, .. Utf8("me\"}")];
        var original = (byte[])[.. Utf8(Summary + "\n"), .. line, (byte)'\n', .. Utf8(Summary + "\n")];

        var outcome = new TranscriptFixer(new LintEngine(RuleHarness.Rules, new LintOptions()), new FixOptions()).Fix(original, "inline.jsonl");

        outcome.Applied.ShouldHaveSingleItem().RuleId.ShouldBe(Id);
        outcome.Fixed.ShouldBe(Utf8(Summary + "\n{\"type\":\"summary\",\"summary\":\"caf\uFFFD cr\uFFFDme\"}\n" + Summary + "\n"), "one U+FFFD per invalid sequence (E8 AA is one), every other byte kept");
    }

    [Fact]
    public void A_codex_rollout_says_the_session_does_not_load()
    {
        var rollout = File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "codex", "TL1002", "fires-prompt-saved-as-latin1.jsonl"));

        var findings = Lint(rollout, "rollout.jsonl").Diagnostics.Where(d => d.Id == Id).ToList();

        findings.Select(d => d.Location.StartLine).ShouldBe([3, 4]);
        findings.ShouldAllBe(d => d.Message.EndsWith("is not valid UTF-8, and the harness reads the file as one UTF-8 string: the session does not load at all", StringComparison.Ordinal));
        findings.ShouldAllBe(d => d.Fixes.Single().Applicability == Applicability.Safe);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static FileLintResult Lint(byte[] bytes, string path = "inline.jsonl")
    {
        using var stream = new MemoryStream(bytes);
        return new LintEngine(RuleHarness.Rules, new LintOptions()).LintStream(stream, path);
    }
}
