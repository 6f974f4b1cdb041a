using TranscriptLint.Cli;

namespace TranscriptLint.Tests;

/// <summary>README's rules table is generated from the descriptors (<c>transcriptlint rules --markdown</c>).</summary>
public sealed class ReadmeRulesTableTests
{
    [Fact]
    public void Readme_rules_table_matches_the_descriptors()
    {
        var stdout = new StringWriter();
        CliApp.Run(["rules", "--markdown"], stdout, TextWriter.Null).ShouldBe(0);
        var generated = stdout.ToString();
        generated.Split('\n').Count(l => l.StartsWith("| [TL", StringComparison.Ordinal)).ShouldBe(29, "every catalog rule is in the table");

        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf("<!-- rules-table:start", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- rules-table:end -->", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0);
        end.ShouldBeGreaterThan(start);
        var body = readme[(readme.IndexOf('\n', start) + 1)..end];
        body.ShouldBe(generated, "README.md's rules table is stale: replace it with the output of `transcriptlint rules --markdown`");
    }

    [Fact]
    public void Every_rule_in_the_table_has_its_doc_page()
    {
        var stdout = new StringWriter();
        CliApp.Run(["rules", "--markdown"], stdout, TextWriter.Null);
        foreach (var id in stdout.ToString().Split('\n').Where(l => l.StartsWith("| [", StringComparison.Ordinal)).Select(l => l[3..l.IndexOf(']', StringComparison.Ordinal)]))
        {
            File.Exists(Path.Combine(RepoPaths.Root, "docs", "rules", id + ".md")).ShouldBeTrue($"docs/rules/{id}.md");
        }
    }
}
