using TranscriptLint.Fixes;
using TranscriptLint.Model;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4004 (EmptyContent): fixtures in fixtures/claude-code/TL4004/, doc in docs/rules/TL4004.md.</summary>
public sealed class TL4004EmptyContentTests : RuleFixtureTests<TL4004EmptyContentRule>
{
    private const string Id = RuleIdentifiers.EmptyContent;

    [Fact]
    public void Empty_block_beside_other_content_is_removed_safely()
    {
        var fix = FixtureFacts.Single(Id, "fires-empty-text-block-in-prompt.jsonl", Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        fix.Edits.ShouldHaveSingleItem().ShouldBe(new RemoveArrayElement(new EntryRef(4, FixtureFacts.Uuid(Id, "fires-empty-text-block-in-prompt.jsonl", 4)), "/message/content", 1));
    }

    [Theory]
    [InlineData("fires-whitespace-only-response.jsonl", 5)]
    [InlineData("fires-empty-user-message.jsonl", 7)]
    public void Emptied_message_is_removed_unsafely_and_its_child_relinked(string caseFile, int line)
    {
        var d = FixtureFacts.Single(Id, caseFile, Id);
        d.Location.StartLine.ShouldBe(line);
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        fix.Edits.OfType<DeleteEntry>().ShouldHaveSingleItem().Target.Line.ShouldBe(line);
        var relink = fix.Edits.OfType<SetParent>().ShouldHaveSingleItem();
        relink.NewParentUuid.ShouldBe(FixtureFacts.Parent(Id, caseFile, line));
        FixtureFacts.Parent(Id, caseFile, relink.Target.Line).ShouldBe(FixtureFacts.Uuid(Id, caseFile, line));
    }

    [Fact]
    public void An_empty_chat_message_is_removed_safely_because_file_order_alone_links_messages()
    {
        var path = Path.Combine(RepoPaths.Fixtures, "chat", "TL4004", "fires-empty-assistant-message.jsonl");
        var fix = RuleHarness.Lint(path).Diagnostics.Single(d => d.Id == Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<DeleteEntry>().Target.Line.ShouldBe(2);
    }
}
