using TranscriptLint.Engine.Explain;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL3008 (ServerToolResultWithoutCall): fixtures in fixtures/claude-code/TL3008/, doc in docs/rules/TL3008.md.</summary>
public sealed class TL3008ServerToolResultWithoutCallTests : RuleFixtureTests<TL3008ServerToolResultWithoutCallRule>
{
    private const string Id = RuleIdentifiers.ServerToolResultWithoutCall;

    [Fact]
    public void Fix_splices_the_orphan_line_out_of_the_response()
    {
        const string Case = "fires-advisor-result-after-compaction.jsonl";
        var d = FixtureFacts.Single(Id, Case, Id);
        d.Message.ShouldContain("advisor_tool_result");
        d.Message.ShouldContain("srvtoolu_01VbHq2XfK8mN3pR7sT9wYzA");
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe, "the result's content is real content; a Safe fix never removes it");
        fix.Edits.OfType<DeleteEntry>().ShouldHaveSingleItem().Target.Line.ShouldBe(12);
        fix.Edits.OfType<SetParent>().ShouldHaveSingleItem().NewParentUuid.ShouldBe(FixtureFacts.Uuid(Id, Case, 11));
    }

    [Fact]
    public void No_fix_in_the_latest_message_next_to_thinking()
    {
        var d = FixtureFacts.Single(Id, "fires-orphan-in-latest-message-no-fix.jsonl", Id);
        d.Message.ShouldContain("web_search_tool_result");
        d.Fixes.ShouldBeEmpty();
    }

    [Fact]
    public void Explain_error_names_the_rule_for_any_server_tool()
    {
        var descriptors = RuleHarness.Rules.SelectMany(r => r.Rule.SupportedDescriptors);
        const string Pasted = "API Error: 400 {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages.7.content.0: unexpected `tool_use_id` found in `advisor_tool_result` blocks: srvtoolu_01AbCdEfGhIjKlMn. Each `advisor_tool_result` block must have a corresponding `server_tool_use` block before it.\"}}";
        var matches = ErrorExplainer.Explain(Pasted, descriptors).Matches.Select(m => m.Descriptor.Id).ToList();
        matches.ShouldContain(Id);
        matches[0].ShouldBe(Id, "the server-tool wording is more specific than TL3002's");
    }
}
