using TranscriptLint.Cli.Catalog;
using TranscriptLint.Cli.Commands;

namespace TranscriptLint.Tests;

/// <summary>
/// The rule catalog (README.md's rules table, docs/rules/README.md's index, the rule part of rules.schema.json) is
/// generated from the descriptors; these tests fail when a file is stale and say which command regenerates it.
/// </summary>
public sealed class CatalogTests
{
    private static readonly IReadOnlyList<RuleDescriptor> Descriptors = RuleCatalog.BuiltInDescriptors();

    public static TheoryData<string> CatalogPaths() => [RuleCatalog.ReadmePath, RuleCatalog.DocsIndexPath, RuleCatalog.SchemaPath];

    [Theory]
    [MemberData(nameof(CatalogPaths))]
    public void Catalog_file_matches_the_descriptors(string relativePath)
    {
        var expected = RuleCatalog.Render(RepoPaths.Root, Descriptors).Single(f => f.RelativePath == relativePath).Content;
        var actual = File.ReadAllText(Path.Combine(RepoPaths.Root, relativePath)).Replace("\r\n", "\n", StringComparison.Ordinal);
        actual.ShouldBe(expected, $"{relativePath} is stale: run `{RuleCatalog.WriteCommand}` and commit the result");
    }

    [Fact]
    public void Every_built_in_rule_is_in_every_catalog_file()
    {
        Descriptors.ShouldNotBeEmpty();
        foreach (var file in RuleCatalog.Render(RepoPaths.Root, Descriptors))
        {
            foreach (var d in Descriptors)
            {
                file.Content.ShouldContain(file.RelativePath == RuleCatalog.SchemaPath ? $"\"{d.Id}\": {{" : $"[{d.Id}](", Case.Sensitive, $"{file.RelativePath} lacks {d.Id}");
            }
        }
    }

    [Fact]
    public void Write_catalog_rewrites_a_stale_copy_and_then_finds_nothing_to_do()
    {
        var root = Directory.CreateTempSubdirectory("tl-catalog-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "docs", "rules"));
            foreach (var path in (string[])[RuleCatalog.ReadmePath, RuleCatalog.DocsIndexPath, RuleCatalog.SchemaPath])
            {
                File.Copy(Path.Combine(RepoPaths.Root, path), Path.Combine(root, path));
            }

            // A rule dropped from every file by hand: the command must put it back.
            var readme = Path.Combine(root, RuleCatalog.ReadmePath);
            File.WriteAllLines(readme, File.ReadAllLines(readme).Where(l => !l.StartsWith("| [TL3001]", StringComparison.Ordinal)));
            RuleCatalog.Stale(root, Descriptors).Select(f => f.RelativePath).ShouldBe([RuleCatalog.ReadmePath]);

            // Run from a subfolder: the command finds the repository root above it.
            var stdout = new StringWriter();
            RulesCommand.WriteCatalog(Path.Combine(root, "docs"), stdout, TextWriter.Null).ShouldBe(0);
            stdout.ToString().ShouldContain("wrote README.md");
            RulesCommand.WriteCatalog(Path.Combine(root, "docs"), stdout, TextWriter.Null).ShouldBe(0);
            stdout.ToString().ShouldEndWith("The rule catalog is up to date.\n");
            File.ReadAllText(readme).ShouldContain("| [TL3001](docs/rules/TL3001.md) |");
            RuleCatalog.Stale(root, Descriptors).ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Write_catalog_outside_the_repository_is_a_one_line_usage_error()
    {
        var root = Directory.CreateTempSubdirectory("tl-catalog-none-").FullName;
        var stderr = new StringWriter();
        try
        {
            RulesCommand.WriteCatalog(root, TextWriter.Null, stderr).ShouldBe(2);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        stderr.ToString().ShouldStartWith("transcriptlint: error: --write-catalog: no rules.schema.json");
        stderr.ToString().TrimEnd().ShouldNotContain("\n");
    }
}
