namespace TranscriptLint.Tests;

/// <summary>TL3001 (ToolCallWithoutResult): fixtures in fixtures/claude-code/TL3001/, doc in docs/rules/TL3001.md.</summary>
public sealed partial class TL3001ToolCallWithoutResultTests : RuleFixtureTests<TL3001ToolCallWithoutResultRule>
{
}
