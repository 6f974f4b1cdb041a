using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>
/// The four failures users hit most (fixtures/claude-code/common/): each fires the expected rules and each
/// finding carries the semantic edits that repair it.
/// </summary>
public sealed class CommonFailureFixTests
{
    private static string Common(string name) => Path.Combine(RuleHarness.FixtureDir("common"), name);

    public static TheoryData<string> Cases => RuleHarness.Cases("common");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Common_failure_findings_match_expectation(string caseFile) => RuleHarness.AssertMatchesExpectation("common", caseFile);

    [Fact]
    public void A_429_tail_is_spliced_out_by_both_rules_with_the_same_safe_edit()
    {
        var path = Common("a-429-synthetic-tail.jsonl");
        var result = RuleHarness.Lint(path);
        var tl4001 = FixtureLines.Single(result, RuleIdentifiers.SyntheticEntryInContext).Fixes.Single();
        var tl4002 = FixtureLines.Single(result, RuleIdentifiers.NonProviderMessageId).Fixes.Single();

        tl4001.Applicability.ShouldBe(Applicability.Safe);
        tl4001.Edits.ShouldBe([new DeleteEntry(FixtureLines.Ref(path, 14))]);
        tl4002.Edits.ShouldBe(tl4001.Edits, "identical edits are applied once by the fixer");
    }

    [Fact]
    public void B_crash_mid_tool_inserts_a_result_and_threads_the_next_prompt_through_it()
    {
        var path = Common("b-crash-mid-tool.jsonl");
        var fix = FixtureLines.Single(RuleHarness.Lint(path), RuleIdentifiers.ToolCallWithoutResult).Fixes.Single();
        var toolId = ToolUseId(path, 10);

        fix.Applicability.ShouldBe(Applicability.Safe);
        fix.Edits.ShouldBe(
        [
            new InsertEntryAfter(FixtureLines.Ref(path, 10), new SyntheticToolResult(toolId, SyntheticToolResult.InterruptedText, IsError: true)),
            new SetParent(FixtureLines.Ref(path, 13), DeterministicIds.ForToolResult(toolId)),
        ]);
    }

    [Fact]
    public void C_parallel_call_gets_a_side_branch_result_without_cutting_its_response()
    {
        var path = Common("c-parallel-missing-result.jsonl");
        var fix = FixtureLines.Single(RuleHarness.Lint(path), RuleIdentifiers.ToolCallWithoutResult).Fixes.Single();

        // Line 11 is the next line of the same response: it must not be re-parented onto the inserted result.
        fix.Edits.ShouldBe([new InsertEntryAfter(FixtureLines.Ref(path, 10), new SyntheticToolResult(ToolUseId(path, 10), SyntheticToolResult.InterruptedText, true))]);
    }

    [Fact]
    public void D_orphan_result_is_deleted_and_its_child_rejoins_the_last_message_written_before_it()
    {
        var path = Common("d-orphan-result-dangling-parent.jsonl");
        var result = RuleHarness.Lint(path);
        var tl3002 = FixtureLines.Single(result, RuleIdentifiers.ToolResultWithoutCall).Fixes.Single();
        var tl2001 = FixtureLines.Single(result, RuleIdentifiers.DanglingParent).Fixes.Single();

        tl3002.Applicability.ShouldBe(Applicability.Unsafe, "the orphan result holds output: removing it is not Safe");
        tl3002.Edits.ShouldBe([new DeleteEntry(FixtureLines.Ref(path, 14)), new SetParent(FixtureLines.Ref(path, 15), FixtureLines.Uuid(path, 13))]);
        tl2001.Applicability.ShouldBe(Applicability.Unsafe);
        tl2001.Edits.ShouldBe([new SetParent(FixtureLines.Ref(path, 14), FixtureLines.Uuid(path, 13))]);
    }

    private static string ToolUseId(string path, int line)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadLines(path).ElementAt(line - 1));
        return doc.RootElement.GetProperty("message").GetProperty("content")[0].GetProperty("id").GetString()!;
    }
}
