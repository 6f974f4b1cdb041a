namespace TranscriptLint.Tests;

/// <summary>TL4002 (NonProviderMessageId): fixtures in fixtures/claude-code/TL4002/, doc in docs/rules/TL4002.md.</summary>
public sealed partial class TL4002NonProviderMessageIdTests : RuleFixtureTests<TL4002NonProviderMessageIdRule>
{
}
