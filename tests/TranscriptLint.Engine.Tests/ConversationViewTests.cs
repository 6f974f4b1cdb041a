using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// What the conversation view gives every rule: duplicate-line filtering and dialect traits, so no rule has to
/// remember either.
/// </summary>
public sealed class ConversationViewTests
{
    private static Conversation Build(IDialect dialect, params string[] lines)
    {
        var entries = new List<Entry>();
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            entries.Add(dialect.ReadEntry(doc.RootElement, new TranscriptLine(i + 1, 0, lines[i].Length, LineTerminator.LineFeed, lines[i].Length)));
        }

        return dialect.BuildConversation(entries);
    }

    private static string Line(string type, string uuid, string? parent, string content) =>
        $$"""{"parentUuid":{{(parent is null ? "null" : $"\"{parent}\"")}},"isSidechain":false,"sessionId":"s1","type":"{{type}}","message":{{{(type == "assistant" ? $"\"id\":\"msg_{uuid}\"," : "")}}"role":"{{type}}","content":{{content}}},"uuid":"{{uuid}}"}""";

    [Fact]
    public void A_result_line_written_twice_is_sent_twice_but_the_canonical_members_hold_it_once()
    {
        // Line 4 re-appends line 3 (same uuid). The chain walks line 5 -> line 3 (the earliest copy wins); line 4
        // hangs off the call's line like a parallel result, so recovery re-attaches it and a resume sends both.
        var result = Line("user", "r1", "a1", """[{"type":"tool_result","tool_use_id":"toolu_1","content":"ok"}]""");
        var c = Build(
            new ClaudeCodeDialect(),
            Line("user", "u1", null, "\"list files\""),
            Line("assistant", "a1", "u1", """[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{}}]"""),
            result,
            result,
            Line("user", "u2", "r1", "\"thanks\""));

        var results = c.ResumeChain[^1];
        results.Entries.Select(e => e.Line.Number).Order().ShouldBe([3, 4, 5]);
        results.ToolResults.Count().ShouldBe(2);
        results.DuplicateEntries.Select(e => e.Line.Number).ShouldBe([4]);
        results.CanonicalEntries.Select(e => e.Line.Number).Order().ShouldBe([3, 5]);
        results.CanonicalBlocks.Select(b => b.Entry.Line.Number).Order().ShouldBe([3, 5]);
        results.CanonicalToolResults.Single().Entry.Line.Number.ShouldBe(3);
        c.CanonicalEntries.Select(e => e.Line.Number).ShouldBe([1, 2, 3, 5]);
        c.IsCanonical(c.Entries[3]).ShouldBeFalse();
        c.IsCanonical(c.Entries[2]).ShouldBeTrue();
    }

    [Fact]
    public void Without_duplicates_the_canonical_members_are_the_message_itself()
    {
        var c = Build(new ClaudeCodeDialect(), Line("user", "u1", null, "\"hi\""), Line("assistant", "a1", "u1", """[{"type":"text","text":"hello"}]"""));
        c.ResumeChain.ShouldAllBe(m => m.DuplicateEntries.Count == 0 && ReferenceEquals(m.CanonicalEntries, m.Entries) && ReferenceEquals(m.CanonicalBlocks, m.Blocks));
    }

    [Fact]
    public void Claude_code_declares_a_parent_graph_an_entry_envelope_and_previous_message_ids_and_linear_formats_none()
    {
        var claude = ((IDialect)new ClaudeCodeDialect()).Traits;
        claude.HasParentGraph.ShouldBeTrue();
        claude.HasEntryEnvelope.ShouldBeTrue();
        claude.SendsPreviousMessageId.ShouldBeTrue();
        var codex = ((IDialect)new CodexDialect()).Traits;
        codex.HasParentGraph.ShouldBeFalse();
        codex.RepeatedLineIsDuplicateWrite.ShouldBeTrue();
        codex.ReasoningItemsAreUnordered.ShouldBeTrue();
        foreach (var other in new IDialect[] { new ChatDialect(), new GenericJsonlDialect() })
        {
            other.Traits.ShouldBeSameAs(DialectTraits.None, other.Name);
        }
    }
    [Fact]
    public void A_copilot_result_belongs_after_the_calls_last_start_event_and_elsewhere_after_the_call()
    {
        static string Event(string type, string data) => $$"""{"type":"{{type}}","data":{{data}},"id":"e-{{type}}","timestamp":"2026-06-23T23:34:00.090Z"}""";
        var c = Build(
            new CopilotCliDialect(),
            Event("user.message", """{"content":"build it"}"""),
            Event("assistant.message", """{"messageId":"m1","content":"","toolRequests":[{"toolCallId":"t1","name":"bash","arguments":{}},{"toolCallId":"t2","name":"bash","arguments":{}},{"toolCallId":"t3","name":"bash","arguments":{}}]}"""),
            Event("tool.execution_start", """{"toolCallId":"t1","toolName":"bash"}"""),
            Event("tool.execution_start", """{"toolCallId":"t2","toolName":"bash","parentToolCallId":"t9"}"""),
            Event("tool.execution_start", """{"toolCallId":"t1","toolName":"bash"}"""),
            Event("user.message", """{"content":"and again"}"""));
        var call = c.Entries[1];

        c.ResultAnchorOf(call, "t1").ShouldBeSameAs(c.Entries[4]); // the last start of t1
        c.ResultAnchorOf(call, "t2").ShouldBeSameAs(c.Entries[3]); // a sub-agent's start event counts as written
        c.ResultAnchorOf(call, "t3").ShouldBeSameAs(call); // never started: right after the request
        c.ResultAnchorOf(c.Entries[5], "t1").ShouldBeSameAs(c.Entries[5]); // a start before the call is not its
        c.Entries[2].HasContent.ShouldBeFalse(); // metadata, whatever it records
        c.ResumeChain.SelectMany(m => m.Entries).ShouldNotContain(c.Entries[2]);
    }

    [Fact]
    public void Other_formats_put_a_result_right_after_its_call()
    {
        var c = Build(new ClaudeCodeDialect(), Line("user", "u1", null, "\"go\""), Line("assistant", "a1", "u1", """[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{}}]"""));
        c.ResultAnchorOf(c.Entries[1], "toolu_1").ShouldBeSameAs(c.Entries[1]);
    }

    private static string CodexItem(string payload) => $$"""{"timestamp":"2026-06-22T01:23:17.000Z","type":"response_item","payload":{{payload}}}""";

    [Theory]
    // Parallel calls, their outputs, then the next response: the outputs stay before it (a real 0.142 rollout; the
    // old reading put them after the next response's reasoning and reported TL4011).
    [InlineData("user|reasoning,call:a,call:b|tool:a|tool:b|reasoning,text", "reasoning,call:a,call:b,tool:a,tool:b,reasoning,text")]
    // A prompt typed while the tool ran (a steer) is written before the output; the output still follows its call.
    [InlineData("user|call:a|tool:a|user", "call:a,user,tool:a")]
    public void Codex_outputs_follow_their_calls_run_but_never_move_past_the_next_response(string expected, string items)
    {
        var lines = new List<string> { CodexItem("""{"type":"message","role":"user","content":[{"type":"input_text","text":"go"}]}""") };
        foreach (var item in items.Split(','))
        {
            var (kind, id) = item.Split(':') is [var k, var i] ? (k, i) : (item, "");
            lines.Add(kind switch
            {
                "call" => CodexItem($$"""{"type":"function_call","name":"exec_command","arguments":"{}","call_id":"call_{{id}}"}"""),
                "tool" => CodexItem($$"""{"type":"function_call_output","call_id":"call_{{id}}","output":"ok"}"""),
                "reasoning" => CodexItem("""{"type":"reasoning","summary":[],"content":null,"encrypted_content":"gAAAA"}"""),
                "text" => CodexItem("""{"type":"message","role":"assistant","content":[{"type":"output_text","text":"done"}]}"""),
                _ => CodexItem("""{"type":"message","role":"user","content":[{"type":"input_text","text":"also this"}]}"""),
            });
        }

        var c = Build(new CodexDialect(), [.. lines]);
        var shape = c.ResumeChain.Select(m => string.Join(",", m.Blocks.Select(b => b.Block.Kind switch
        {
            BlockKind.ToolCall => "call:" + b.Block.ToolId![5..],
            BlockKind.ToolResult => "tool:" + b.Block.ToolId![5..],
            BlockKind.Thinking or BlockKind.RedactedThinking => "reasoning",
            _ => m.Role == MessageRole.User ? "user" : "text",
        })));
        string.Join("|", shape).ShouldBe(expected);
    }
}
