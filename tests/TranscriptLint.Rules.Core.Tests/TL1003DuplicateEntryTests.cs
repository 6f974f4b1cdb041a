using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL1003 (DuplicateEntry): fixtures in fixtures/claude-code/TL1003/, doc in docs/rules/TL1003.md.</summary>
public sealed partial class TL1003DuplicateEntryTests : RuleFixtureTests<TL1003DuplicateEntryRule>
{
    private const string Id = RuleIdentifiers.DuplicateEntry;
}
