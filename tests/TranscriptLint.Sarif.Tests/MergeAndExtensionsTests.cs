using System.Text.Json;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;
using TranscriptLint.Tests;

namespace TranscriptLint.Sarif.Tests;

/// <summary>Logs with tool.extensions and no checkout path, and merged shard logs, as the CLI writes them.</summary>
internal static class ShardingLogs
{
    public static SarifWriterOptions NoRootUri => new() { SourceRoot = RepoPaths.Root, LocalPath = SarifFixtures.Options().LocalPath };

    public static SarifRunInput Input(IReadOnlyList<FileLintResult> results) => new()
    {
        Results = results,
        Rules = SarifRunInputs.EnabledRules(SarifFixtures.Engine()),
        Extensions = SarifRunInputs.PluginsOf(new LintEngine([.. SarifFixtures.Rules.Select(r => r with { Source = "TranscriptLint.Rules.Core" })], new LintOptions())),
    };

    public static byte[] WithExtensions(IReadOnlyList<FileLintResult> results) => SarifWriter.Build(Input(results), NoRootUri).Bytes;

    /// <summary>The files split in two by position, each half written as a log, then merged.</summary>
    public static byte[] Merged(IReadOnlyList<FileLintResult> results)
    {
        var first = results.Where((_, i) => i % 2 == 0).ToList();
        var second = results.Where((_, i) => i % 2 == 1).ToList();
        return SarifMerger.Merge([("a.sarif", SarifFixtures.Text(WithExtensions(first))), ("b.sarif", SarifFixtures.Text(WithExtensions(second)))]);
    }
}

public class MergeAndExtensionsTests
{
    [Fact]
    public void A_log_with_extensions_and_no_checkout_path_is_schema_valid()
    {
        var bytes = ShardingLogs.WithExtensions(SarifFixtures.Lint([.. SarifFixtures.All]));
        SchemaValidationTests.AssertValid(bytes, "a log with tool.extensions");
        using var doc = JsonDocument.Parse(bytes);
        var run = doc.RootElement.GetProperty("runs")[0];
        run.GetProperty("originalUriBaseIds").GetProperty(SarifWriter.SourceRootId).GetProperty("description").GetProperty("text").GetString().ShouldBe(SarifWriter.SourceRootDescription);
        var extension = run.GetProperty("tool").GetProperty("extensions").EnumerateArray().Single();
        extension.GetProperty("name").GetString().ShouldBe("TranscriptLint.Rules.Core");
        extension.GetProperty("rules").GetArrayLength().ShouldBe(run.GetProperty("tool").GetProperty("driver").GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public void Merged_halves_equal_the_whole_log_and_are_schema_valid()
    {
        var all = SarifFixtures.Lint([.. SarifFixtures.All]);
        var merged = ShardingLogs.Merged(all);
        SchemaValidationTests.AssertValid(merged, "a merged log");
        System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(merged),
            System.Text.Json.Nodes.JsonNode.Parse(ShardingLogs.WithExtensions(all))).ShouldBeTrue("merging the halves gives the unsharded log, value for value");
    }

    [Fact]
    public void The_reader_resolves_a_log_without_a_root_uri_against_the_given_or_default_source_root()
    {
        var bytes = ShardingLogs.WithExtensions(SarifFixtures.Lint("fixtures/claude-code/common/b-crash-mid-tool.jsonl"));
        SarifReader.Read(SarifFixtures.Text(bytes), RepoPaths.Root).Single().LocalPath.ShouldBe(Path.Combine(RepoPaths.Root, "fixtures", "claude-code", "common", "b-crash-mid-tool.jsonl"));
    }

    [Fact]
    public void Logs_of_different_categories_or_overlapping_files_are_refused()
    {
        var one = SarifFixtures.Text(ShardingLogs.WithExtensions(SarifFixtures.Lint("fixtures/claude-code/common/b-crash-mid-tool.jsonl")));
        Should.Throw<SarifMergeException>(() => SarifMerger.Merge([("a", one), ("b", one)])).Message.ShouldContain("shards must not overlap");
        Should.Throw<SarifMergeException>(() => SarifMerger.Merge([("a", one), ("b", one.Replace("\"transcriptlint/\"", "\"other/\"", StringComparison.Ordinal))])).Message.ShouldContain("category");
        Should.Throw<SarifMergeException>(() => SarifMerger.Merge([("a", "{}")])).Message.ShouldContain("a is not a SARIF 2.1.0 log");
    }
}
