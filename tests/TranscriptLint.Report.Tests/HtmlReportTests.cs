using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TranscriptLint.Reporting.Html;

namespace TranscriptLint.Tests;

public sealed partial class HtmlReportTests
{
    private static string Samples => Path.Combine(RepoPaths.Fixtures, "samples");

    [Fact]
    public void The_report_of_the_samples_pins_each_finding_to_its_message_with_its_fix()
    {
        using var dir = new TempDir();
        var report = ReportRun.Of(dir.Path, Samples);

        report.Exit.ShouldBe(1); // as lint: the broken samples have errors
        report.Stderr.ShouldContain("wrote ");
        var totals = report.Data.GetProperty("totals");
        totals.GetProperty("files").GetInt32().ShouldBe(6);
        totals.GetProperty("findings").GetInt32().ShouldBe(6);

        // Worst first: the file with two errors leads, the clean ones come last.
        var files = report.Data.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToList();
        files[0].ShouldEndWith("a-429-synthetic-tail.jsonl");
        files[^1].ShouldContain("clean-real");

        var crash = report.File("b-crash-mid-tool.jsonl");
        var finding = crash.GetProperty("findings").EnumerateArray().Single();
        finding.GetProperty("id").GetString().ShouldBe("TL3001");
        finding.GetProperty("help").GetString()!.ShouldContain("TL3001");
        var messages = crash.GetProperty("messages");
        var pinned = messages[finding.GetProperty("msg").GetInt32()];
        pinned.GetProperty("role").GetString().ShouldBe("assistant");

        // The call the finding is about is in that message, and has no result on the chain.
        var call = pinned.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("k").GetString() == "tool-call" && b.GetProperty("pair").GetInt32() < 0);
        finding.GetProperty("message").GetString()!.ShouldContain(call.GetProperty("id").GetString()!);
        call.GetProperty("name").GetString().ShouldBe("Bash");
        call.GetProperty("text").GetString()!.ShouldNotBeEmpty();

        // The fix: a safe one whose edit inserts the synthetic result (nothing before, the new line after).
        var fix = finding.GetProperty("fixes")[0];
        fix.GetProperty("applicability").GetString().ShouldBe("safe");
        var edit = fix.GetProperty("edits")[0];
        edit.GetProperty("after").GetString()!.ShouldContain(call.GetProperty("id").GetString()!);
    }

    [Theory]
    [InlineData("codex/TL4006/clean-reasoning-between-items.jsonl")]
    [InlineData("codex/TL4008/reports-replacement-history-without-user.jsonl")]
    public void A_codex_session_whose_chain_starts_after_its_header_is_reported(string fixture)
    {
        // The header lines (session_meta, turn_context) are before the chain's first entry: the report asked the
        // conversation about them and crashed with a stack trace (found running every fixture through --format html).
        using var dir = new TempDir();
        var report = ReportRun.Of(dir.Path, Path.Combine(RepoPaths.Fixtures, fixture));

        report.Exit.ShouldBeOneOf(0, 1);
        report.Stderr.ShouldNotContain("Unhandled exception");
        var file = report.Data.GetProperty("files")[0];
        file.GetProperty("dialect").GetString().ShouldBe("codex");
        file.GetProperty("messages").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Tool_calls_are_paired_with_their_results_and_thinking_is_kept_apart()
    {
        using var dir = new TempDir();
        var report = ReportRun.Of(dir.Path, Path.Combine(Samples, "clean-real-spotter-tool-heavy.jsonl"));

        report.Exit.ShouldBe(0);
        var messages = report.Data.GetProperty("files")[0].GetProperty("messages").EnumerateArray().ToList();
        var calls = messages.SelectMany(m => m.GetProperty("blocks").EnumerateArray()).Where(b => b.GetProperty("k").GetString() == "tool-call").ToList();
        calls.Count.ShouldBeGreaterThan(3);
        foreach (var call in calls)
        {
            var holder = messages[call.GetProperty("pair").GetInt32()];
            holder.GetProperty("role").GetString().ShouldBe("user");
            var result = holder.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("k").GetString() == "tool-result" && b.GetProperty("id").GetString() == call.GetProperty("id").GetString());
            result.GetProperty("text").GetString().ShouldNotBeNull();
        }
    }

    [Fact]
    public void A_synthetic_row_is_marked()
    {
        using var dir = new TempDir();
        var report = ReportRun.Of(dir.Path, Path.Combine(Samples, "a-429-synthetic-tail.jsonl"));

        var messages = report.File("a-429-synthetic-tail.jsonl").GetProperty("messages").EnumerateArray().ToList();
        var synthetic = messages.Single(m => m.TryGetProperty("synthetic", out _));
        synthetic.GetProperty("synthetic").GetString()!.ShouldContain("<synthetic>");
    }

    [Fact]
    public void The_same_input_gives_the_same_bytes()
    {
        using var one = new TempDir();
        using var two = new TempDir();
        ReportRun.Of(one.Path, Samples).Bytes.ShouldBe(ReportRun.Of(two.Path, Samples).Bytes);
    }

    [Fact]
    public void Transcript_text_cannot_become_markup()
    {
        using var dir = new TempDir();
        var transcript = HostileTranscript.Write(dir.File("hostile.jsonl"));
        var report = ReportRun.Of(dir.File("out"), transcript);

        // The only elements are the page's own: two scripts (data, code), no img, no second </script>.
        ScriptTag().Matches(report.Html).Count.ShouldBe(2);
        Regex.Matches(report.Html, "</script", RegexOptions.IgnoreCase).Count.ShouldBe(2);
        report.Html.ShouldNotContain("<img", Case.Insensitive);
        report.Html.ShouldNotContain("<!--");
        report.DataJson.ShouldNotContain("<");

        // …yet the data holds the payload exactly, for the script to show as text.
        var texts = report.Data.GetProperty("files")[0].GetProperty("messages").EnumerateArray()
            .SelectMany(m => m.GetProperty("blocks").EnumerateArray()).Select(b => b.GetProperty("text").GetString()).ToList();
        texts.ShouldContain(HostileTranscript.Payload);

        // The path is data too: it appears in the title only HTML-encoded.
        report.Html.ShouldContain("<title>TranscriptLint: ");
    }

    [Fact]
    public void The_page_allows_only_its_own_script()
    {
        using var dir = new TempDir();
        var report = ReportRun.Of(dir.Path, Path.Combine(Samples, "b-crash-mid-tool.jsonl"));

        var csp = Regex.Match(report.Html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\">").Groups[1].Value.Replace("&#39;", "'", StringComparison.Ordinal);
        csp.ShouldStartWith("default-src 'none'; script-src 'sha256-");
        csp.ShouldContain("style-src 'unsafe-inline'");
        var script = Regex.Match(report.Html, "<script>(.*)</script>", RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        csp.ShouldContain($"'sha256-{hash}'");
        script.ShouldNotContain("innerHTML");
        script.ShouldNotContain("insertAdjacentHTML");
        script.ShouldNotContain("document.write");

        // Nothing is loaded from anywhere: no src or href attribute in the page's markup.
        var markup = report.Html.Replace(report.DataJson, "", StringComparison.Ordinal).Replace(script, "", StringComparison.Ordinal);
        markup.ShouldNotContain(" src=");
        markup.ShouldNotContain(" href=");
    }

    [Fact]
    public void Secrets_found_by_TL5001_are_masked_unless_asked_for()
    {
        var transcript = Path.Combine(RepoPaths.Fixtures, "claude-code", "TL5001", "fires-aws-keys-in-bash-output.jsonl");
        const string KeyId = "AKIAS19HDIN8Y33MYZDZ";
        const string SecretKey = "0CSsZbUWU1PkGt8oCVnKWSS+qbtVM3N+kZTq2j7Q";
        File.ReadAllText(transcript).ShouldContain(KeyId);

        using var dir = new TempDir();
        var masked = ReportRun.Of(dir.File("masked"), transcript);
        masked.Html.ShouldNotContain(KeyId);
        masked.Html.ShouldNotContain(SecretKey);
        masked.Html.ShouldContain(SecretMask.Replacement);
        masked.Data.GetProperty("secretsMasked").GetBoolean().ShouldBeTrue();

        var shown = ReportRun.Of(dir.File("shown"), transcript, "--show-secrets");
        shown.Html.ShouldContain(KeyId);
        shown.Html.ShouldContain(SecretKey);
        shown.Html.ShouldNotContain(SecretMask.Replacement);
    }

    [Fact]
    public void A_secret_in_thinking_is_masked_with_its_block()
    {
        var transcript = Path.Combine(RepoPaths.Fixtures, "claude-code", "TL5001", "fires-github-token-in-thinking.jsonl");
        const string Token = "ghp_7V8vqCq1W2wmCz96ovz9bqooFo0evASnaY6i";
        File.ReadAllText(transcript).ShouldContain(Token);

        using var dir = new TempDir();
        ReportRun.Of(dir.File("masked"), transcript).Html.ShouldNotContain(Token);
        ReportRun.Of(dir.File("shown"), transcript, "--show-secrets").Html.ShouldContain(Token);
    }

    [Fact]
    public void The_secret_parts_of_a_redacted_string_are_recovered()
    {
        SecretMask.SecretsIn("key=AKIA123456 and pw=hunter22!", "key=[REDACTED:aws] and pw=[REDACTED:password]")
            .ShouldBe(["AKIA123456", "hunter22!"]);
        SecretMask.SecretsIn("-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----\ntail", "[REDACTED:private key]\ntail")
            .ShouldBe(["-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----"]);
        SecretMask.SecretsIn("unrelated", "[REDACTED:x] other").ShouldBe(["unrelated"]);
        SecretMask.Of(["s3cr3tvalue"]).Apply("a s3cr3tvalue b").ShouldBe($"a {SecretMask.Replacement} b");

        // A text cut in the middle of a secret still hides its beginning.
        SecretMask.Of(["s3cr3tvalue"]).Apply("a s3cr3t", cut: true).ShouldBe($"a {SecretMask.Replacement}");
    }

    [Fact]
    public void Every_dialect_shows_its_conversation()
    {
        // One real-shaped fixture per format: each must show messages with text, and tool calls with their input.
        var fixtures = new[]
        {
            "codex/TL3001/clean-parallel-outputs-after-calls.jsonl",
            "chat/TL3001/clean-tool-messages-follow.jsonl",
            "copilot-cli/TL3001/clean-subagent-events-and-running-hook.jsonl",
            "gemini-cli/clean-tool-calls-with-results.json",
            "gemini-cli-jsonl/common/clean-live-session-with-record-updates.jsonl",
            "anthropic-messages/clean-tool-round-trip.json",
            "openai-chat/clean-parallel-tool-messages.json",
        };
        using var dir = new TempDir();
        foreach (var fixture in fixtures)
        {
            var report = ReportRun.Of(dir.File(Path.GetFileNameWithoutExtension(fixture)), Path.Combine(RepoPaths.Fixtures, fixture));
            var file = report.Data.GetProperty("files")[0];
            file.TryGetProperty("note", out var note).ShouldBeFalse($"{fixture}: {note}");
            var blocks = file.GetProperty("messages").EnumerateArray().SelectMany(m => m.GetProperty("blocks").EnumerateArray()).ToList();
            blocks.ShouldNotBeEmpty(fixture);
            blocks.Where(b => b.GetProperty("k").GetString() == "text").ShouldAllBe(b => b.GetProperty("text").GetString()!.Length > 0, fixture);
            var calls = blocks.Where(b => b.GetProperty("k").GetString() == "tool-call").ToList();
            calls.ShouldNotBeEmpty(fixture);
            calls.ShouldAllBe(c => c.GetProperty("text").GetString()!.Length > 0 && c.GetProperty("pair").GetInt32() >= 0, fixture);
            blocks.Where(b => b.GetProperty("k").GetString() == "tool-result").ShouldContain(b => b.GetProperty("text").GetString()!.Length > 0, fixture);
        }
    }

    [Fact]
    public void Records_kept_inside_a_checkpoint_line_show_their_text()
    {
        // A Gemini CLI checkpoint ($set.messages) holds several records on one line; they are not that line's own entry.
        using var dir = new TempDir();
        var report = ReportRun.Of(dir.Path, Path.Combine(RepoPaths.Fixtures, "gemini-cli-jsonl", "common", "clean-checkpoint-after-abort.jsonl"));
        var first = report.Data.GetProperty("files")[0].GetProperty("messages")[0].GetProperty("blocks")[0];
        first.GetProperty("line").GetInt32().ShouldBe(5);
        first.GetProperty("text").GetString().ShouldBe("write to test-gemini.txt \"hello, gemini\" only");
    }

    [Fact]
    public void The_report_stays_within_its_size_budget_and_says_what_it_cut()
    {
        using var dir = new TempDir();

        // One tool result far longer than a report shows: it is cut, and the cut is counted.
        var transcript = HostileTranscript.Write(dir.File("long.jsonl"), toolOutput: new string('x', 200_000) + "<end>");
        var report = ReportRun.Of(dir.File("out"), transcript);
        var input = new FileInfo(transcript).Length;
        ((long)report.Bytes.Length).ShouldBeLessThanOrEqualTo(HtmlReportOptions.BudgetFor(input));

        var samples = ReportRun.Of(dir.File("samples"), Samples);
        var sampleBytes = Directory.GetFiles(Samples).Sum(f => new FileInfo(f).Length);
        ((long)samples.Bytes.Length).ShouldBeLessThanOrEqualTo(HtmlReportOptions.BudgetFor(sampleBytes));

        var texts = report.Data.GetProperty("files")[0].GetProperty("messages").EnumerateArray()
            .SelectMany(m => m.GetProperty("blocks").EnumerateArray()).Where(b => b.TryGetProperty("textOmitted", out _)).ToList();
        texts.ShouldHaveSingleItem().GetProperty("textOmitted").GetInt64().ShouldBeGreaterThan(150_000);
    }

    [Fact]
    public void Lint_writes_the_same_report_with_format_html()
    {
        using var dir = new TempDir();
        var viaReport = ReportRun.Of(dir.File("report"), Samples);
        var output = dir.File("lint.html");
        var exit = Cli.CliApp.Run(["lint", Samples, "--format", "html", "--output", output], new StringWriter(), new StringWriter());
        exit.ShouldBe(1);
        File.ReadAllBytes(output).ShouldBe(viaReport.Bytes);
    }

    [Fact]
    public void Report_help_explains_the_page_and_the_exit_codes()
    {
        var stdout = new StringWriter();
        Cli.CliApp.Run(["report", "--help"], stdout, new StringWriter()).ShouldBe(0);
        var help = stdout.ToString();
        help.ShouldContain("--show-secrets");
        help.ShouldContain("transcriptlint-report.html");
        help.ShouldContain("Exit codes");
        help.ShouldContain("docs/report.md");
    }

    [Theory]
    [InlineData("anthropic-messages/fires-tool-use-without-result.json", "TL3001")]
    [InlineData("openai-chat/fires-orphan-tool-message.json", "TL3002")]
    [InlineData("gemini-cli/fires-parallel-call-without-result.json", "TL3001")]
    [InlineData("claude-code/TL2003/fires-result-under-stale-hook-parent.jsonl", "TL2003")]
    public void Findings_in_whole_document_formats_are_pinned_to_their_message(string fixture, string rule)
    {
        using var dir = new TempDir();
        var report = ReportRun.Of(dir.Path, Path.Combine(RepoPaths.Fixtures, fixture));
        var file = report.Data.GetProperty("files")[0];
        var finding = file.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("id").GetString() == rule);
        (finding.GetProperty("msg").GetInt32() >= 0 || finding.GetProperty("off").GetInt32() >= 0).ShouldBeTrue(finding.ToString());
    }

    [Fact]
    public void Off_chain_branches_are_listed_apart_and_labelled()
    {
        using var dir = new TempDir();
        var report = ReportRun.Of(dir.Path, Path.Combine(RepoPaths.Fixtures, "claude-code", "TL2003", "fires-result-under-stale-hook-parent.jsonl"));
        var off = report.Data.GetProperty("files")[0].GetProperty("offChain").EnumerateArray().ToList();
        off.ShouldContain(o => o.GetProperty("why").GetString() == "branch");
    }

    [Fact]
    public void Lint_writes_an_html_report_beside_another_format()
    {
        using var dir = new TempDir();
        var html = dir.File("tl.html");
        var sarif = dir.File("tl.sarif");
        var exit = Cli.CliApp.Run(["lint", Samples, "--format", "sarif", "-o", sarif, "--output-format", $"html={html}"], new StringWriter(), new StringWriter());
        exit.ShouldBe(1);
        File.Exists(sarif).ShouldBeTrue();
        File.ReadAllText(html).ShouldContain("id=\"tl-data\"");
    }

    [GeneratedRegex("<script[\\s>]", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}

/// <summary>A real-shaped Claude Code session (the crash sample) with markup payloads in its prompt and tool output.</summary>
internal static class HostileTranscript
{
    public const string Payload = "</script><script>document.body.setAttribute('data-pwned','script')</script>\"><img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"><!-- <b>bold</b> &amp; \u2028";

    public static string Write(string path, string? toolOutput = null)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Fixtures, "samples", "b-crash-mid-tool.jsonl"));
        var prompt = JsonSerializer.Serialize(Payload)[1..^1];
        var text = string.Join('\n', lines).Replace("migrate the settings loader to pydantic v2", prompt, StringComparison.Ordinal);
        if (toolOutput is not null)
        {
            // The first tool result's text becomes the long output.
            var start = text.IndexOf("\"type\":\"tool_result\"", StringComparison.Ordinal);
            var content = text.IndexOf("\"content\":\"", start, StringComparison.Ordinal) + "\"content\":\"".Length;
            var end = content;
            while (text[end] != '"' || text[end - 1] == '\\')
            {
                end++;
            }

            text = text[..content] + JsonSerializer.Serialize(toolOutput)[1..^1] + text[end..];
        }

        text.ShouldContain("data-pwned");
        File.WriteAllText(path, text + "\n");
        return path;
    }
}
