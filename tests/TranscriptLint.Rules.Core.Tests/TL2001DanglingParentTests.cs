using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL2001 (DanglingParent): fixtures in fixtures/claude-code/TL2001/, doc in docs/rules/TL2001.md.</summary>
public sealed partial class TL2001DanglingParentTests : RuleFixtureTests<TL2001DanglingParentRule>
{
    private const string Id = RuleIdentifiers.DanglingParent;
}
