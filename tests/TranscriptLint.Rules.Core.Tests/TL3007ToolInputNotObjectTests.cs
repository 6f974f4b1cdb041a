using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL3007 (ToolInputNotObject): fixtures in fixtures/claude-code/TL3007/, doc in docs/rules/TL3007.md.</summary>
public sealed class TL3007ToolInputNotObjectTests : RuleFixtureTests<TL3007ToolInputNotObjectRule>
{
    private const string Id = RuleIdentifiers.ToolInputNotObject;

    [Fact]
    public void String_holding_an_object_is_replaced_by_that_object()
    {
        const string Case = "fires-input-double-encoded.jsonl";
        var fix = FixtureFacts.Single(Id, Case, Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Safe);
        var edit = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<ReplaceValue>();
        edit.Target.Line.ShouldBe(6);
        edit.JsonPointer.ShouldBe("/message/content/0/input");
        var encoded = FixtureFacts.Line(Id, Case, 6).GetProperty("message").GetProperty("content")[0].GetProperty("input").GetString()!;
        using var expected = JsonDocument.Parse(encoded);
        using var actual = JsonDocument.Parse(edit.ValueJson);
        JsonElement.DeepEquals(actual.RootElement, expected.RootElement).ShouldBeTrue();
        actual.RootElement.ValueKind.ShouldBe(JsonValueKind.Object);
    }

    [Fact]
    public void Null_input_has_no_fix()
    {
        var d = FixtureFacts.Single(Id, "fires-input-null.jsonl", Id);
        d.Message.ShouldContain("a null input");
        d.Fixes.ShouldBeEmpty();
    }
}
