namespace TranscriptLint.Tests;

/// <summary>TL3002 (ToolResultWithoutCall): fixtures in fixtures/claude-code/TL3002/, doc in docs/rules/TL3002.md.</summary>
public sealed partial class TL3002ToolResultWithoutCallTests : RuleFixtureTests<TL3002ToolResultWithoutCallRule>
{
}
