namespace TranscriptLint.Tests;

/// <summary>Rule doc pages (docs/rules/ID.md, embedded as each descriptor's help): sections and quoted errors.</summary>
public sealed class DocPagesTests
{
    private static readonly string[] Sections = ["## What it does", "## Why", "## Example", "## Fix safety", "## Options"];

    private static IEnumerable<RuleDescriptor> Descriptors => RuleHarness.Rules.SelectMany(r => r.Rule.SupportedDescriptors);

    public static TheoryData<string> RuleIds() => [.. Descriptors.Select(d => d.Id).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_has_a_doc_page_that_quotes_the_errors_it_prevents(string id)
    {
        File.Exists(Path.Combine(RepoPaths.Root, "docs", "rules", id + ".md")).ShouldBeTrue($"docs/rules/{id}.md is missing");
        var d = Descriptors.Single(x => x.Id == id);
        d.HelpMarkdown.ShouldStartWith($"# {id} {d.Name}");
        var why = Section(d.HelpMarkdown, "## Why").Replace("`", "", StringComparison.Ordinal);
        foreach (var error in d.PreventsErrors)
        {
            why.ShouldContain(error.Replace("`", "", StringComparison.Ordinal), Case.Sensitive, $"{id}: the Why section must quote \"{error}\"");
        }
    }

    [Fact]
    public void Every_doc_page_has_the_five_sections_in_order()
    {
        foreach (var d in Descriptors)
        {
            var positions = Sections.Select(s => d.HelpMarkdown.IndexOf("\n" + s + "\n", StringComparison.Ordinal)).ToList();
            positions.ShouldAllBe(p => p > 0, $"{d.Id} lacks a section");
            positions.ShouldBeInOrder(SortDirection.Ascending, $"{d.Id} sections are out of order");
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_help_carries_the_doc_page_as_a_text_reader_reads_it(string id)
    {
        // The pages are decoded in one call (not through a StreamReader): same text, byte-order mark and CRLF handled alike.
        var page = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "rules", id + ".md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        Descriptors.Single(x => x.Id == id).HelpMarkdown.ShouldBe(page);
    }

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0);
        var end = markdown.IndexOf("\n## ", start + heading.Length + 1, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }
}
