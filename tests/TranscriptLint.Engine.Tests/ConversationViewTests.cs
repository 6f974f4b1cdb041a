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
}
