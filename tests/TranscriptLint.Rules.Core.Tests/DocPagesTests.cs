namespace TranscriptLint.Tests;

/// <summary>Rule doc pages (docs/rules/ID.md, embedded as each descriptor's help): sections and quoted errors.</summary>
public sealed class DocPagesTests
{
    private static readonly string[] Sections = ["## What it does", "## Why", "## Example", "## Fix safety", "## Options"];

    // The rules of the catalog issue; the foundation rules' pages are written separately.
    private static readonly string[] CatalogRules =
    [
        "TL1004", "TL1005", "TL2002", "TL2003", "TL3003", "TL3004", "TL3005", "TL3006", "TL3007",
        "TL4003", "TL4004", "TL4005", "TL4006", "TL4007", "TL4008", "TL4009", "TL5001", "TL6001", "TL6002", "TL6003",
    ];

    private static IEnumerable<RuleDescriptor> Descriptors => RuleHarness.Rules.SelectMany(r => r.Rule.SupportedDescriptors);

    public static TheoryData<string> CatalogIds() => [.. CatalogRules];

    [Theory]
    [MemberData(nameof(CatalogIds))]
    public void Catalog_rule_has_a_doc_page_that_quotes_the_errors_it_prevents(string id)
    {
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
        foreach (var d in Descriptors.Where(d => d.HelpMarkdown.Length > 0))
        {
            var positions = Sections.Select(s => d.HelpMarkdown.IndexOf("\n" + s + "\n", StringComparison.Ordinal)).ToList();
            positions.ShouldAllBe(p => p > 0, $"{d.Id} lacks a section");
            positions.ShouldBeInOrder(SortDirection.Ascending, $"{d.Id} sections are out of order");
        }
    }

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0);
        var end = markdown.IndexOf("\n## ", start + heading.Length + 1, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }
}
