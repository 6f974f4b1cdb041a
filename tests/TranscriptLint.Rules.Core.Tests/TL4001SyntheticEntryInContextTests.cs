using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL4001 (SyntheticEntryInContext): fixtures in fixtures/claude-code/TL4001/, doc in docs/rules/TL4001.md.</summary>
public sealed partial class TL4001SyntheticEntryInContextTests : RuleFixtureTests<TL4001SyntheticEntryInContextRule>
{
    private const string Id = RuleIdentifiers.SyntheticEntryInContext;
}
