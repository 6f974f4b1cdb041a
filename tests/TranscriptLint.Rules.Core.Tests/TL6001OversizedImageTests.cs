using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL6001 (OversizedImage): fixtures in fixtures/claude-code/TL6001/, doc in docs/rules/TL6001.md.</summary>
public sealed class TL6001OversizedImageTests : RuleFixtureTests<TL6001OversizedImageRule>
{
    private const string Id = RuleIdentifiers.OversizedImage;

    [Fact]
    public void Fix_replaces_the_image_with_a_text_placeholder()
    {
        const string Case = "fires-image-over-limit.jsonl";
        var d = FixtureFacts.Single(Id, Case, Id);
        d.Location.JsonPointer.ShouldBe("/message/content/0/content/0");
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        var edit = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<ReplaceValue>();
        edit.JsonPointer.ShouldBe("/message/content/0/content/0");
        using var doc = JsonDocument.Parse(edit.ValueJson);
        doc.RootElement.GetProperty("type").GetString().ShouldBe("text");
        doc.RootElement.GetProperty("text").GetString().ShouldBe("[Image removed by TranscriptLint: 4 KB, over the 2 KB limit]");
    }

    [Fact]
    public void Default_limit_is_five_megabytes_decoded()
    {
        var text = File.ReadAllText(FixtureFacts.PathOf(Id, "clean-image-under-default-limit.jsonl"));
        var data = FixtureFacts.Line(Id, "clean-image-under-default-limit.jsonl", 7).GetProperty("message").GetProperty("content")[0].GetProperty("content")[0].GetProperty("source").GetProperty("data").GetString()!;
        string WithDecodedSize(long bytes) => text.Replace(data, new string('A', (int)(bytes * 4 / 3)), StringComparison.Ordinal);
        RuleHarness.LintText(WithDecodedSize((5 * 1024 * 1024) - 3)).Diagnostics.ShouldNotContain(x => x.Id == Id);
        RuleHarness.LintText(WithDecodedSize((5 * 1024 * 1024) + 3)).Diagnostics.ShouldContain(x => x.Id == Id && x.Message.Contains("over the 5 MB limit"));
    }
}
