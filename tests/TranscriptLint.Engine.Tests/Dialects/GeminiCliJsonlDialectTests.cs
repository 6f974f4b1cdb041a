using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Model;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests.Dialects;

using TranscriptLint.Tests.Fixing;

/// <summary>
/// Gemini CLI's JSON Lines session log (docs/formats/gemini-cli.md, "The JSON Lines log"): detected by content, read
/// as its loader replays it (each id's last copy where the first stood, <c>$rewindTo</c>, a checkpoint), and fixed by
/// appending the record again, as Gemini CLI records any change.
/// </summary>
public sealed class GeminiCliJsonlDialectTests
{
    private const string Meta = """{"sessionId":"fa4593e0-f7e1-4dd1-b656-da95fb4d60fa","projectHash":"7e8989f71805c3147f6be9b7a71de2a156f8face69f9380beeeb8a777414f21c","startTime":"2026-01-10T20:00:21.501Z","lastUpdated":"2026-01-10T20:00:21.501Z"}""";
    private const string Prompt = """{"id":"u1","timestamp":"2026-01-10T20:00:21.501Z","type":"user","content":"write hello to a.txt"}""";
    private const string Scheduled = """{"id":"g1","timestamp":"2026-01-10T20:00:27.560Z","type":"gemini","content":"","toolCalls":[{"id":"write_file-1","name":"write_file","args":{"file_path":"a.txt","content":"hello"},"status":"executing"}],"model":"gemini-2.5-pro"}""";
    private const string Done = """{"id":"g1","timestamp":"2026-01-10T20:00:27.560Z","type":"gemini","content":"","toolCalls":[{"id":"write_file-1","name":"write_file","args":{"file_path":"a.txt","content":"hello"},"result":[{"functionResponse":{"id":"write_file-1","name":"write_file","response":{"output":"ok"}}}],"status":"success"}],"model":"gemini-2.5-pro"}""";
    private const string Answer = """{"id":"g2","timestamp":"2026-01-10T20:00:30.010Z","type":"gemini","content":"Done: a.txt holds hello.","model":"gemini-2.5-pro"}""";

    private static FileLintResult Lint(params string[] lines) =>
        FixerHarness.Lint(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

    private static List<Entry> Entries(params string[] lines)
    {
        var dialect = new GeminiCliJsonlDialect();
        return [.. lines.Select((l, i) =>
        {
            using var doc = JsonDocument.Parse(l);
            return dialect.ReadEntry(doc.RootElement, new TranscriptLine(i + 1, 0, l.Length, LineTerminator.LineFeed, l.Length));
        })];
    }

    [Theory]
    [InlineData(Meta)]
    [InlineData(Prompt)] // the metadata line was lost: the first record still says which format this is
    [InlineData("""{"$set":{"lastUpdated":"2026-01-10T20:00:21.501Z"}}""")]
    [InlineData("""{"$rewindTo":"u1"}""")]
    public void A_log_is_detected_from_any_of_its_line_shapes(string first) =>
        Lint(first, Prompt, Done).Dialect.ShouldBe(GeminiCliJsonlDialect.DialectName);

    [Fact]
    public void Claude_Code_Codex_and_Copilot_lines_are_not_taken_for_a_Gemini_log()
    {
        var dialect = new GeminiCliJsonlDialect();
        string[] others =
        [
            """{"type":"user","message":{"role":"user","content":"hi"},"uuid":"9b1f3c1e-0000-4000-8000-000000000001","sessionId":"s","timestamp":"2026-01-10T20:00:21.501Z"}""",
            """{"timestamp":"2026-06-05T04:58:00.000Z","type":"session_meta","payload":{"id":"019e9625"}}""",
            """{"type":"user.message","data":{"content":"hi"},"id":"e1","timestamp":"2026-01-10T20:00:21.501Z","parentId":null}""",
        ];
        foreach (var line in others)
        {
            using var doc = JsonDocument.Parse(line);
            dialect.Matches(doc.RootElement).ShouldBeFalse(line);
        }
    }

    [Fact]
    public void Each_id_is_loaded_from_its_last_copy_at_its_first_copy_place()
    {
        var entries = Entries(Meta, Prompt, Scheduled, """{"$set":{"lastUpdated":"x"}}""", Done, Answer);
        var loaded = GeminiLogReplay.Replay(entries);
        loaded.Select(e => e.Line.Number).ShouldBe([2, 5, 6]);
        var conversation = new GeminiCliJsonlDialect().BuildConversation(entries);
        conversation.IsInResumeContext(entries[2]).ShouldBeFalse("the scheduled copy was replaced");
        conversation.IsCanonical(entries[4]).ShouldBeTrue();
        conversation.IsCanonical(entries[2]).ShouldBeFalse();
        conversation.FindByUuid("g1").ShouldBeSameAs(entries[4]);
        conversation.SessionId.ShouldBe("fa4593e0-f7e1-4dd1-b656-da95fb4d60fa");
    }

    [Fact]
    public void A_rewind_drops_its_target_and_everything_after_it_and_an_unknown_target_drops_everything()
    {
        var entries = Entries(Meta, Prompt, Done, Answer, """{"$rewindTo":"g1"}""", """{"id":"u2","timestamp":"t","type":"user","content":"again"}""");
        GeminiLogReplay.Replay(entries).Select(e => e.Uuid).ShouldBe(["u1", "u2"]);
        var lost = Entries(Meta, Prompt, Done, """{"$rewindTo":"nowhere"}""", Answer);
        GeminiLogReplay.Replay(lost).Select(e => e.Uuid).ShouldBe(["g2"]);
    }

    [Fact]
    public void A_checkpoint_starts_the_conversation_again_from_its_own_records()
    {
        var entries = Entries(Meta, Prompt, Done, """{"$set":{"messages":[]}}""", Answer);
        GeminiLogReplay.Replay(entries).Select(e => e.Uuid).ShouldBe(["g2"]);

        // updateMessagesFromHistory writes the history it kept; its records are entries of that line, at their place in it.
        var checkpoint = $$$"""{"$set":{"messages":[{{{Prompt}}},{{{Done}}}],"lastUpdated":"2026-01-10T20:00:29.000Z"}}""";
        var kept = GeminiLogReplay.Replay(Entries(Meta, Scheduled, checkpoint, Answer));
        kept.Select(e => e.Uuid).ShouldBe(["u1", "g1", "g2"]);
        kept[1].Line.Number.ShouldBe(3);
        kept[1].Blocks.Single(b => b.Kind == BlockKind.ToolResult).JsonPointer.ShouldBe("/$set/messages/1/toolCalls/0/result/0");
        Lint(Meta, Scheduled, checkpoint, Answer).Diagnostics.ShouldBeEmpty("the checkpoint's copy of g1 holds the result");
    }

    [Fact]
    public void A_whole_legacy_record_on_the_first_line_gives_its_messages_first()
    {
        // The loader reads a metadata line that carries messages (a legacy record written on one line) as if its
        // messages followed it; later lines then update them like any record.
        var legacy = $$$"""{"sessionId":"fa4593e0-f7e1-4dd1-b656-da95fb4d60fa","projectHash":"7e8989f7","messages":[{{{Prompt}}},{{{Scheduled}}}]}""";
        var entries = Entries(legacy, Done, Answer);
        GeminiLogReplay.Replay(entries).Select(e => (e.Uuid, e.Line.Number)).ShouldBe([("u1", 1), ("g1", 2), ("g2", 3)]);
        Lint(legacy, Done, Answer).Diagnostics.ShouldBeEmpty();
        Lint(legacy, Answer).Diagnostics.Select(d => d.Id).ShouldContain("TL3001", "without the later copy the call held on line 1 is unanswered");
    }

    [Fact]
    public void A_patch_removes_records_then_moves_the_ordered_ones_to_the_end()
    {
        string Message(string id) => $$"""{"id":"{{id}}","timestamp":"2026-10-02T16:00:00Z","type":"gemini","content":"{{id}}"}""";
        string[] Order(string patch) => [.. GeminiLogReplay.Replay(Entries(Meta, Message("a"), Message("b"), Message("c"), patch)).Select(e => e.Uuid!)];
        Order("""{"$patch":{"orderIds":["c","b"]}}""").ShouldBe(["a", "c", "b"]);
        Order("""{"$patch":{"removeIds":["b"],"orderIds":["c"]}}""").ShouldBe(["a", "c"]);
        Order("""{"$patch":{"removeIds":["nowhere"]}}""").ShouldBe(["a", "b", "c"]);
    }

    [Fact]
    public void A_patch_update_merges_into_the_record_and_a_result_it_sets_answers_the_call()
    {
        // $patch.updates (autumn 2026): fields replace the record's, toolCalls merge by call id; a result written only
        // by the patch answers the call.
        const string Patch = """{"$patch":{"updates":[{"id":"g1","toolCalls":[{"id":"write_file-1","result":[{"functionResponse":{"response":{"output":"ok"}}}]}]}]}}""";
        var entries = Entries(Meta, Prompt, Scheduled, Patch);
        var g1 = GeminiLogReplay.Replay(entries)[1];
        g1.Line.Number.ShouldBe(3, "the record keeps its line: a fix appended after it comes before the patch");
        g1.Blocks.Single(b => b.Kind == BlockKind.ToolCall).JsonPointer.ShouldBe("/toolCalls/0");
        var result = g1.Blocks.Single(b => b.Kind == BlockKind.ToolResult);
        (result.ToolId, result.JsonPointer).ShouldBe(("write_file-1", "/$patch/updates/0/toolCalls/0/result/0"));
        Lint(Meta, Prompt, Scheduled, Patch).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void A_patch_that_rewrites_only_the_text_leaves_a_missing_result_missing_and_the_fix_lands_before_it()
    {
        const string Patch = """{"$patch":{"updates":[{"id":"g1","content":[{"text":"Writing a.txt"}]}]}}""";
        var original = System.Text.Encoding.UTF8.GetBytes(string.Join("\n", Meta, Prompt, Scheduled, Patch) + "\n");
        var merged = GeminiLogReplay.Replay(Entries(Meta, Prompt, Scheduled, Patch))[1];
        merged.Blocks.Where(b => b.Kind == BlockKind.Text).Select(b => b.JsonPointer).ShouldBe(["/$patch/updates/0/content/0"]);
        FixerHarness.Lint(original).Diagnostics.Select(d => d.Id).ShouldBe(["TL3001"]);
        var outcome = FixerHarness.Fix(original);
        var lines = FixerHarness.Text(outcome.Fixed).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(5);
        lines[3].ShouldContain("\"result\":[{\"functionResponse\"", Case.Sensitive, "the record with its result, appended right after the record");
        lines[4].ShouldBe(Patch, "the patch stays after it, so a resume applies the new text on top");
        FixerHarness.Lint(outcome.Fixed).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void A_fix_inside_a_checkpoint_line_is_refused_with_a_reason()
    {
        var checkpoint = $$$"""{"$set":{"messages":[{{{Prompt}}},{{{Scheduled}}}]}}""";
        var original = System.Text.Encoding.UTF8.GetBytes(string.Join("\n", Meta, checkpoint) + "\n");
        FixerHarness.Lint(original).Diagnostics.Select(d => d.Id).ShouldBe(["TL3001"]);
        var outcome = FixerHarness.Fix(original);
        outcome.Changed.ShouldBeFalse();
        outcome.Rejected.Single().Reason.ShouldContain("line 2 is a checkpoint of the whole conversation");
    }

    [Fact]
    public void A_call_answered_in_a_later_copy_is_not_reported_and_earlier_copies_are_not_duplicates()
    {
        var result = Lint(Meta, Prompt, Scheduled, Done, Answer);
        result.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void A_call_whose_last_copy_has_no_result_is_fixed_by_appending_the_record_again_with_the_result()
    {
        var original = System.Text.Encoding.UTF8.GetBytes(string.Join("\n", Meta, Prompt, Scheduled) + "\n");
        FixerHarness.Lint(original).Diagnostics.Select(d => d.Id).ShouldBe(["TL3001"]);
        var outcome = FixerHarness.Fix(original);
        var lines = FixerHarness.Text(outcome.Fixed).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(4);
        lines[..3].ShouldBe([Meta, Prompt, Scheduled], "every line written before is kept byte for byte");
        using var added = JsonDocument.Parse(lines[3]);
        added.RootElement.GetProperty("id").GetString().ShouldBe("g1");
        var call = added.RootElement.GetProperty("toolCalls")[0];
        call.GetProperty("status").GetString().ShouldBe("executing");
        call.GetProperty("args").GetRawText().ShouldBe("""{"file_path":"a.txt","content":"hello"}""");
        call.GetProperty("result")[0].GetProperty("functionResponse").GetProperty("response").GetProperty("error").GetString()!.ShouldStartWith("Tool call interrupted");
        FixerHarness.Lint(outcome.Fixed).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Real_legacy_sessions_written_as_a_log_lint_clean()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, "gemini-cli-jsonl", "common"), "*.jsonl"))
        {
            var result = FixerHarness.NewEngine().LintFile(file, Path.GetFileName(file));
            result.Dialect.ShouldBe(GeminiCliJsonlDialect.DialectName, file);
            result.Diagnostics.ShouldBeEmpty(file);
        }
    }

    [Fact]
    public void Deleting_the_loaded_copy_of_a_record_is_refused_because_it_would_bring_the_earlier_copy_back()
    {
        // TL4004 would remove the whitespace-only turn by deleting its line; the loader would then take the copy before.
        var original = System.Text.Encoding.UTF8.GetBytes(string.Join("\n",
            Meta,
            Prompt,
            """{"id":"g1","timestamp":"2026-01-10T20:00:22.000Z","type":"gemini","content":"Checking a.txt","model":"gemini-2.5-pro"}""",
            """{"id":"g1","timestamp":"2026-01-10T20:00:22.000Z","type":"gemini","content":"  \n ","model":"gemini-2.5-pro","tokens":{"input":1,"output":1}}""",
            """{"id":"u2","timestamp":"2026-01-10T20:00:25.000Z","type":"user","content":"and?"}""",
            Answer) + "\n");
        FixerHarness.Lint(original).Diagnostics.Select(d => d.Id).ShouldBe(["TL4004"]);
        var outcome = FixerHarness.Fix(original, unsafeFixes: true);
        outcome.Changed.ShouldBeFalse();
        outcome.Rejected.Single().Reason.ShouldContain("line 4 is one copy of record g1 and line 3 holds another");
    }

    [Fact]
    public void A_response_that_answers_no_call_is_removed_from_the_loaded_copy_by_its_own_position()
    {
        var path = Path.Combine(RepoPaths.Fixtures, "gemini-cli-jsonl", "TL3002", "fires-result-answering-no-call.jsonl");
        var outcome = FixerHarness.Fix(File.ReadAllBytes(path), unsafeFixes: true);
        var loaded = FixerHarness.Text(outcome.Fixed).Split('\n')[5];
        loaded.ShouldContain("\"output\":\"Successfully overwrote file:");
        loaded.ShouldNotContain("read_file-1768075224311-7c02f5aa1e3d1");
    }
}
