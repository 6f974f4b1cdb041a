using TranscriptLint.Cli;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Fixing;

namespace TranscriptLint.Tests;

/// <summary><c>fix --diff</c> for a person (per fix, the finding and the values that change) and <c>--interactive</c> on a terminal.</summary>
public sealed class FixDiffTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tl-fixdiff-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Lines_that_move_are_matched_by_their_unique_content()
    {
        List<string> a = ["h", "a", "b", "c", "d"];
        List<string> b = ["h", "a", "x", "b", "c2", "d"];
        var hunks = LineDiff.Hunks(a, b);
        hunks.Select(h => (h.A, h.Removed, h.B, h.Added)).ShouldBe([(2, 0, 2, 1), (3, 1, 4, 1)]);
        LineDiff.Hunks(a, a).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a\n")]
    [InlineData("a\nb")]
    [InlineData("a\n\n")]
    [InlineData("a\r\n\r\nb\r\r\n")]
    [InlineData("\r")]
    [InlineData("a\n\r")]
    [InlineData("\uFEFF{\"a\":1}\n{\"b\":\"é\"}\r\n")]
    [InlineData("\n\n\n")]
    public void Lines_are_the_decoded_text_split_at_newlines_without_their_carriage_returns(string text)
    {
        // What the diff showed before it kept lines as slices of the bytes: the text split, CRs trimmed, a BOM and
        // what follows the last newline dropped.
        var expected = (text.StartsWith('\uFEFF') ? text[1..] : text).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (expected[^1].Length == 0)
        {
            expected.RemoveAt(expected.Count - 1);
        }

        LineSlice.LinesOf(System.Text.Encoding.UTF8.GetBytes(text)).Select(l => l.Text).ShouldBe(expected);
    }

    [Fact]
    public void Lines_of_bytes_compare_as_their_bytes()
    {
        var a = LineSlice.LinesOf("x\ny\nx\r\nz"u8.ToArray());
        var b = LineSlice.LinesOf("x\nz\ny"u8.ToArray());
        a[0].ShouldBe(a[2]); // the CR is not part of the line
        a[0].GetHashCode().ShouldBe(a[2].GetHashCode());
        a[1].ShouldNotBe(a[3]);
        LineDiff.Hunks(a, b).Select(h => (h.A, h.Removed, h.B, h.Added)).ShouldBe(LineDiff.Hunks(["x", "y", "x", "z"], new List<string> { "x", "z", "y" }).Select(h => (h.A, h.Removed, h.B, h.Added)));
    }

    [Fact]
    public void Json_changes_are_named_by_pointer_with_short_values()
    {
        var changes = ReadableDiff.JsonChanges(
            """{"uuid":"u1","parentUuid":"p1","message":{"content":[{"type":"text","text":"hi"}]}}""",
            """{"uuid":"u1","parentUuid":"p2","message":{"content":[{"type":"text","text":"hi"},{"type":"text","text":"more"}]},"new":1}""")!;
        changes.ShouldBe(
        [
            ("/parentUuid", "\"p1\"", "\"p2\""),
            ("/message/content/1", null, "{\"type\":\"text\",\"text\":\"more\"}"),
            ("/new", null, "1"),
        ]);
        ReadableDiff.JsonChanges("{torn", "{}").ShouldBeNull();
        ReadableDiff.Value(System.Text.Json.JsonDocument.Parse("\"" + new string('x', 200) + "\"").RootElement).Length.ShouldBeLessThan(70);
    }

    [Fact]
    public void Diff_shows_each_fix_with_its_finding_and_what_changes_and_changes_nothing()
    {
        var path = Copy("b-crash-mid-tool.jsonl");
        var before = File.ReadAllBytes(path);
        var stdout = new StringWriter();
        var code = CliApp.Run(["fix", "--diff", path], stdout, new StringWriter());
        code.ShouldBe(1);
        var text = stdout.ToString();
        text.ShouldContain("1 fix would change");
        text.ShouldContain("line 10  error TL3001 tool-call-without-result");
        text.ShouldContain("Tool call toolu_01JMJoVTpGUDkLvpkD2WDtsv (Bash) has no result");
        text.ShouldContain("fix (safe): Insert an error result for toolu_01JMJoVTpGUDkLvpkD2WDtsv");
        text.ShouldContain("after line 10: assistant, uuid d7bd7145…, tool_use Bash toolu_01JMJoVTpGUDkLvpkD2WDtsv");
        text.ShouldContain("+ new line 11: user, uuid 496f8c92…, tool_result toolu_01JMJoVTpGUDkLvpkD2WDtsv is_error");
        text.ShouldContain("/parentUuid: \"d7bd7145-9258-4c0c-b65c-a799cb1e7a31\" → \"496f8c92-cc66-5eda-816f-f44014e8b4a7\"");
        text.Split('\n').ShouldAllBe(l => l.Length < 220, "no whole JSON lines");
        File.ReadAllBytes(path).ShouldBe(before);
    }

    [Fact]
    public void A_session_saved_as_utf16_is_shown_converted_then_fixed_and_fix_writes_utf8()
    {
        var path = CopyFixture("session.jsonl", "claude-code", "TL1006", "fires-session-saved-as-utf16.jsonl");
        var before = File.ReadAllBytes(path);

        var text = Diff(path);
        text.ShouldContain("2 fixes would convert the file from UTF-16 LE to UTF-8 and change 1 line");
        text.ShouldContain("fix (safe): Convert the file from UTF-16 LE to UTF-8");
        text.ShouldContain("~ every byte re-encoded from UTF-16 LE to UTF-8, every character kept (line endings too)");
        text.ShouldContain("line 9  error TL1001 invalid-json-line"); // found in the converted text, explained like any fix
        text.ShouldContain("- line 9 removed: not JSON (440 bytes)");
        var unified = new StringWriter();
        CliApp.Run(["fix", "--diff=unified", path], unified, new StringWriter()).ShouldBe(1);
        unified.ToString().ShouldContain("# restored first: every byte re-encoded from UTF-16 LE to UTF-8, every character kept (line endings too)");
        unified.ToString().Split('\n').Count(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal)).ShouldBe(1, "only the torn line differs once converted");
        File.ReadAllBytes(path).ShouldBe(before);

        var fixOut = new StringWriter();
        var fixErr = new StringWriter();
        CliApp.Run(["fix", path], fixOut, fixErr).ShouldBe(0);
        fixOut.ToString().ShouldContain("fixed TL1006 (pass 1, line 1): Convert the file from UTF-16 LE to UTF-8");
        fixOut.ToString().ShouldContain("fixed TL1001 (pass 2, line 9): Delete the torn last line");
        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "claude-code", "TL1006", "fires-session-saved-as-utf16.fixed.jsonl")));
        File.ReadAllBytes(path + ".bak").ShouldBe(before, "the UTF-16 original is kept");
    }

    [Fact]
    public void Invalid_utf8_read_as_u_fffd_is_shown_as_the_bytes_that_change_not_the_same_text_twice()
    {
        var path = CopyFixture("rollout.jsonl", "codex", "TL1002", "fires-prompt-saved-as-latin1.jsonl");

        var text = Diff(path);
        text.ShouldContain("~ line 3: the 2 invalid UTF-8 sequences (E9 at column 182, EF at column 187) replaced with U+FFFD; every other byte kept");
        text.ShouldContain("~ line 4: the 2 invalid UTF-8 sequences (E9 at column 140, EF at column 145) replaced with U+FFFD; every other byte kept");
        text.ShouldNotContain("removed:");
    }

    [Fact]
    public void Each_fix_is_shown_with_the_finding_on_its_own_line_when_fixes_share_a_title()
    {
        // Two glued pairs of lines: two TL1001 findings whose fixes have the same title.
        var path = Copy("b-crash-mid-tool.jsonl");
        var lines = File.ReadAllLines(path).ToList();
        lines[2] += lines[3];
        lines[6] += lines[7];
        lines.RemoveAt(7);
        lines.RemoveAt(3);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        var text = Diff(path).Split('\n').Select(l => l.Trim()).ToList();
        text[text.IndexOf("line 3  error TL1001 invalid-json-line") + 1].ShouldStartWith("Line 3 is not a valid JSON object");
        text[text.IndexOf("line 6  error TL1001 invalid-json-line") + 1].ShouldStartWith("Line 6 is not a valid JSON object");
    }

    [Fact]
    public void Diff_unified_is_the_plain_unified_diff_and_colour_never_reaches_a_redirected_one()
    {
        var path = Copy("b-crash-mid-tool.jsonl");
        var unified = CliProcess.RunIn(_dir.FullName, "fix", "--diff=unified", path);
        unified.Exit.ShouldBe(1);
        unified.Out.ShouldStartWith("--- a");
        unified.Out.ShouldNotContain("\u001b[");
        CliProcess.RunIn(_dir.FullName, "fix", "--diff=unified", "--color", "always", path).Out.ShouldContain("\u001b[");
        CliProcess.RunIn(_dir.FullName, "fix", "--diff=sideways", path).Err.ShouldContain("--diff-format: unknown value 'sideways'");
    }

    [Fact]
    public void Interactive_refuses_without_a_terminal_in_one_line()
    {
        var path = Copy("b-crash-mid-tool.jsonl");
        var (exit, stdout, stderr) = CliProcess.RunWithInput(_dir.FullName, "y\n"u8.ToArray(), "fix", "--interactive", path);
        exit.ShouldBe(2);
        stderr.Trim().ShouldBe("transcriptlint: error: --interactive needs a terminal to ask on; review with 'transcriptlint fix --diff FILE', then run 'transcriptlint fix FILE'");
        stdout.ShouldBeEmpty();
        File.Exists(path + ".bak").ShouldBeFalse();
    }

    [Fact]
    public void Interactive_on_a_terminal_applies_what_is_accepted_and_keeps_what_is_declined()
    {
        if (!Pty.Available)
        {
            return;
        }

        var broken = Copy("b-crash-mid-tool.jsonl");
        var orphan = Copy("d-orphan-result-dangling-parent.jsonl");
        var orphanBefore = File.ReadAllBytes(orphan);
        // Yes (Enter) to the Safe fix of the first file, no to the first Unsafe fix of the second, then quit.
        var (exit, output) = Pty.Run(_dir.FullName, new Dictionary<string, string?>(), "\nn\nq\n", "fix", "-i", broken, orphan);
        var plain = Pty.Plain(output);
        plain.ShouldContain("Apply this fix? [Y/n/a/q]");
        plain.ShouldContain("Apply this Unsafe fix? [y/N/q]");
        plain.ShouldContain("stopped; the fixes accepted so far are applied.");
        plain.ShouldContain("undo: mv b-crash-mid-tool.jsonl.bak b-crash-mid-tool.jsonl");
        exit.ShouldBe(1, "the declined findings remain");
        File.ReadAllBytes(broken).ShouldBe(File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "claude-code", "common", "b-crash-mid-tool.fixed.jsonl")));
        File.ReadAllBytes(orphan).ShouldBe(orphanBefore);
        File.Exists(orphan + ".bak").ShouldBeFalse();
    }

    [Fact]
    public void Interactive_ends_with_the_resume_command_for_a_session_in_its_harness_folder()
    {
        if (!Pty.Available)
        {
            return;
        }

        var home = Directory.CreateDirectory(Path.Combine(_dir.FullName, "home")).FullName;
        var project = Directory.CreateDirectory(Path.Combine(home, ".claude", "projects", "-home-dana-src-ledgerline")).FullName;
        var session = Path.Combine(project, "5bb58492-9daf-46be-ad21-914625ee8c4c.jsonl");
        File.Copy(Path.Combine(RepoPaths.Fixtures, "samples", "b-crash-mid-tool.jsonl"), session);
        var (exit, output) = Pty.Run(_dir.FullName, new Dictionary<string, string?> { ["HOME"] = home, ["CLAUDE_CONFIG_DIR"] = null }, "y\n", "fix", "--interactive", session);
        exit.ShouldBe(0, output);
        Pty.Plain(output).ShouldContain("Resume: cd /home/dana/src/ledgerline && claude --resume 5bb58492-9daf-46be-ad21-914625ee8c4c   (quit claude first if it is still running)");
    }

    // What fix --diff prints for a file (exit 1: something would change).
    private static string Diff(string path)
    {
        var stdout = new StringWriter();
        CliApp.Run(["fix", "--diff", path], stdout, new StringWriter()).ShouldBe(1);
        return stdout.ToString();
    }

    private string Copy(string sample) => CopyFixture(sample, "samples", sample);

    // A fixture copied into this test's folder under a name of its own.
    private string CopyFixture(string name, params string[] fixture)
    {
        var to = Path.Combine(_dir.FullName, name);
        File.Copy(Path.Combine([RepoPaths.Fixtures, .. fixture]), to);
        return to;
    }
}
