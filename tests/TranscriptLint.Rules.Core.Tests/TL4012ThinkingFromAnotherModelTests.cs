using System.Text.Json;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4012 (ThinkingFromAnotherModel): fixtures in fixtures/claude-code/TL4012/, doc in docs/rules/TL4012.md.</summary>
public sealed class TL4012ThinkingFromAnotherModelTests : RuleFixtureTests<TL4012ThinkingFromAnotherModelRule>
{
    private const string Id = RuleIdentifiers.ThinkingFromAnotherModel;
    private const string Case = "fires-relay-model-thinking.jsonl";

    private static LintOptions Target(string model) => new()
    {
        RuleOptions = new Dictionary<string, RuleOptions>(StringComparer.Ordinal)
        {
            [Id] = new(new Dictionary<string, JsonElement> { ["targetModel"] = JsonDocument.Parse(JsonSerializer.Serialize(model)).RootElement.Clone() }),
        },
    };

    [Fact]
    public void Finding_names_both_models_and_the_fix_removes_the_responses_thinking()
    {
        var d = FixtureFacts.Single(Id, Case, Id);
        d.Message.ShouldContain("produced by glm-4.6");
        d.Message.ShouldContain("the resume goes to claude-opus-4-5");
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        fix.Edits.OfType<DeleteEntry>().ShouldHaveSingleItem().Target.Line.ShouldBe(11);
        fix.Edits.OfType<SetParent>().ShouldHaveSingleItem().NewParentUuid.ShouldBe(FixtureFacts.Uuid(Id, Case, 10));
    }

    [Fact]
    public void The_targetModel_option_decides_where_the_resume_goes()
    {
        var path = FixtureFacts.PathOf(Id, Case);
        RuleHarness.Lint(path, Target("claude-opus-4-8")).Diagnostics.Single(d => d.Id == Id).Message.ShouldContain("goes to claude-opus-4-8");
        RuleHarness.Lint(path, Target("glm-4.6")).Diagnostics.ShouldNotContain(d => d.Id == Id, "the relay's model reads its own thinking");
    }
}
