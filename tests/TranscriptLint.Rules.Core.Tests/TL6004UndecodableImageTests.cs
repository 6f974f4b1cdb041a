using TranscriptLint.Engine.Explain;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL6004 (UndecodableImage): fixtures in fixtures/claude-code/TL6004/, doc in docs/rules/TL6004.md.</summary>
public sealed class TL6004UndecodableImageTests : RuleFixtureTests<TL6004UndecodableImageRule>
{
    private const string Id = RuleIdentifiers.UndecodableImage;

    [Theory]
    [InlineData("fires-html-page-declared-png.jsonl", "is declared image/png but its bytes (0.1 KB) are not a PNG, JPEG, GIF or WebP image")]
    [InlineData("fires-png-declared-jpeg.jsonl", "is declared image/jpeg but its bytes are image/png")]
    [InlineData("fires-truncated-base64.jsonl", "not valid base64")]
    [InlineData("fires-empty-data.jsonl", "is empty")]
    [InlineData("fires-svg-media-type.jsonl", "media_type 'image/svg+xml'")]
    public void Finding_says_what_is_wrong_and_the_fix_puts_a_text_block_in_the_images_place(string caseFile, string problem)
    {
        var d = FixtureFacts.Single(Id, caseFile, Id);
        d.Message.ShouldContain(problem);
        d.Location.JsonPointer.ShouldBe("/message/content/0/content/1");
        var fix = d.Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        var edit = fix.Edits.ShouldHaveSingleItem().ShouldBeOfType<ReplaceValue>();
        edit.JsonPointer.ShouldBe("/message/content/0/content/1");
        edit.ValueJson.ShouldStartWith("{\"type\":\"text\",\"text\":\"[Image removed by TranscriptLint: it ");
        edit.ValueJson.ShouldContain(problem);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }, "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0, 1 }, "image/jpeg")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0 }, "image/gif")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x45, 0x42, 0x50 }, "image/webp")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x41, 0x56, 0x45 }, null)]
    [InlineData(new byte[] { 0x3C, 0x21, 0x44, 0x4F, 0x43, 0x54, 0x59, 0x50, 0x45, 0x20, 0x68, 0x74 }, null)]
    public void Magic_bytes_name_the_format(byte[] head, string? expected) =>
        TL6004UndecodableImageRule.Sniff(head).ShouldBe(expected);

    [Theory]
    [InlineData("messages.11.content.8.image.source.base64.data: Image format image/png not supported")]
    [InlineData("API Error: 400 {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Could not process image\"}}")]
    [InlineData("messages.9.content.5.image.source.base64.data: Image does not match the provided media type image/jpeg")]
    public void Explain_error_names_the_rule(string pasted)
    {
        var descriptors = RuleHarness.Rules.SelectMany(r => r.Rule.SupportedDescriptors);
        ErrorExplainer.Explain(pasted, descriptors).Matches.Select(m => m.Descriptor.Id).ShouldContain(Id);
    }
}
