using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL1001 (InvalidJsonLine): fixtures in fixtures/claude-code/TL1001/, doc in docs/rules/TL1001.md.</summary>
public sealed partial class TL1001InvalidJsonLineTests : RuleFixtureTests<TL1001InvalidJsonLineRule>
{
    private const string Id = RuleIdentifiers.InvalidJsonLine;
}
