using TranscriptLint.Cli.Output;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests;

/// <summary><c>lint --timing</c>'s index line: how the files large enough for rows kept their conversation, and why not rows.</summary>
public sealed class RuleTimingReportTests
{
    [Fact]
    public void The_index_line_counts_rows_and_groups_the_reasons_for_entries_most_first()
    {
        RuleTimingReport.IndexLine([Result(null), Result(null)]).ShouldBeNull("no file was large enough for rows");

        RuleTimingReport.IndexLine([Result("rows"), Result(null)]).ShouldBe("of 1 file(s) of 32 MiB or more, 1 kept compact rows");

        RuleTimingReport.IndexLine(
        [
            Result("rows"),
            Result("entries: the codex format has no rows yet"),
            Result("entries: rule ACME001 reads the object model (a conversation action)"),
            Result("entries: rule ACME001 reads the object model (a conversation action)"),
        ]).ShouldBe("of 4 file(s) of 32 MiB or more, 1 kept compact rows; 2 kept entries: rule ACME001 reads the object model (a conversation action); 1 kept entries: the codex format has no rows yet");
    }

    private static FileLintResult Result(string? storage) => new()
    {
        Path = "t.jsonl",
        Dialect = "claude-code",
        Sha256 = "",
        LineCount = 1,
        Length = 1,
        Diagnostics = [],
        Notifications = [],
        IndexStorage = storage,
    };
}
