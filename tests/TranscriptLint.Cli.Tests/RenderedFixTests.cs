using TranscriptLint.Cli;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests;

/// <summary>
/// Fixes are rendered as text edits with regions only when a report shows them (SARIF, HTML) or the fixer reuses them:
/// text output skips the renderer, and the findings are the same either way.
/// </summary>
public sealed class RenderedFixTests
{
    // TL3001 (a crash left a tool call without its result) has a fix that renders as a text edit.
    private static readonly string Sample = Path.Combine(RepoPaths.Fixtures, "samples", "b-crash-mid-tool.jsonl");

    [Fact]
    public void A_sarif_report_carries_the_fix_edits_whether_it_is_the_output_or_written_beside_text()
    {
        var (_, sarif) = Run("lint", Sample, "--format", "sarif");
        sarif.ShouldContain("\"replacements\"");

        var sarifFile = Path.Combine(Directory.CreateTempSubdirectory("tl-render-").FullName, "out.sarif");
        var (_, text) = Run("lint", Sample, "--output-format", "sarif=" + sarifFile);
        File.ReadAllText(sarifFile).ShouldContain("\"replacements\"", customMessage: "a SARIF report beside text output still has the fix edits");

        var (_, textOnly) = Run("lint", Sample);
        textOnly.ShouldContain("TL3001");
        textOnly.ShouldBe(text, "the findings do not depend on rendering fixes");
    }

    [Fact]
    public void The_engine_renders_fixes_unless_told_not_to_and_finds_the_same()
    {
        var rules = TranscriptLint.Cli.Commands.BuiltInRules.Source.LoadRules(new List<ToolNotification>());
        var rendered = new LintEngine(rules, new LintOptions()).LintFile(Sample);
        var unrendered = new LintEngine(rules, new LintOptions { RenderFixes = false }).LintFile(Sample);
        rendered.RenderedFixes.Count.ShouldBeGreaterThan(0);
        rendered.RenderedFixes.Values.ShouldAllBe(f => f.IsRendered);
        unrendered.RenderedFixes.ShouldBeEmpty();
        unrendered.Diagnostics.Select(d => d.ToString()).ShouldBe(rendered.Diagnostics.Select(d => d.ToString()));
        unrendered.Diagnostics.Sum(d => d.Fixes.Count).ShouldBe(rendered.RenderedFixes.Count);
    }

    private static (int Exit, string Out) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString());
    }
}
