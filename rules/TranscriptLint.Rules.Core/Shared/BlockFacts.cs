using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core;

/// <summary>What several rules ask of one content block, in one place so they all ask it the same way.</summary>
internal static class BlockFacts
{
    /// <summary>A text block of whitespace only: providers take it as empty content.</summary>
    public static bool IsBlankText(this ContentBlock block) => block.Kind == BlockKind.Text && block.IsWhitespaceOnly;

    /// <summary>A thinking block, readable or redacted: both are signed and must go back to the provider unchanged.</summary>
    public static bool IsThinking(this ContentBlock block) => block.Kind is BlockKind.Thinking or BlockKind.RedactedThinking;

    /// <summary>A text block of whitespace only, named by handle.</summary>
    public static bool IsBlankText(this BlockHandle block) => block.Kind == BlockKind.Text && block.IsWhitespaceOnly;

    /// <summary>A thinking block, readable or redacted, named by handle.</summary>
    public static bool IsThinking(this BlockHandle block) => block.Kind is BlockKind.Thinking or BlockKind.RedactedThinking;
}
