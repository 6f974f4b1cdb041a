using System.Text.Json;
using TranscriptLint.Cli;

namespace TranscriptLint.Tests;

/// <summary>
/// The file's SHA-256 is computed only when a report carries it (SARIF, JSON, HTML): text output skips it, and the
/// findings are the same either way.
/// </summary>
public sealed class FileHashTests
{
    private static readonly string Sample = Path.Combine(RepoPaths.Fixtures, "samples", "b-crash-mid-tool.jsonl");

    [Fact]
    public void Reports_that_carry_the_hash_get_it_and_text_gets_the_same_findings_without_it()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Sample)));
        var (_, json) = Run("lint", Sample, "--format", "json");
        using (var doc = JsonDocument.Parse(json))
        {
            doc.RootElement.GetProperty("files")[0].GetProperty("sha256").GetString().ShouldBe(expected);
        }

        var sarifFile = Path.Combine(Directory.CreateTempSubdirectory("tl-hash-").FullName, "out.sarif");
        var (_, text) = Run("lint", Sample, "--output-format", "sarif=" + sarifFile);
        File.ReadAllText(sarifFile).ShouldContain(expected, customMessage: "a SARIF report beside text output still has the artifact hash");
        text.ShouldContain("TL3001");

        var (_, textOnly) = Run("lint", Sample);
        textOnly.ShouldBe(text, "the findings do not depend on hashing");
    }

    [Fact]
    public void The_engine_leaves_the_hash_empty_only_when_told_and_finds_the_same()
    {
        var rules = TranscriptLint.Cli.Commands.BuiltInRules.Source.LoadRules(new List<TranscriptLint.Reporting.ToolNotification>());
        var hashed = new TranscriptLint.Engine.Hosting.LintEngine(rules, new TranscriptLint.Engine.Hosting.LintOptions()).LintFile(Sample);
        var unhashed = new TranscriptLint.Engine.Hosting.LintEngine(rules, new TranscriptLint.Engine.Hosting.LintOptions { HashFiles = false }).LintFile(Sample);
        hashed.Sha256.Length.ShouldBe(64);
        unhashed.Sha256.ShouldBeEmpty();
        unhashed.Diagnostics.Select(d => d.ToString()).ShouldBe(hashed.Diagnostics.Select(d => d.ToString()));
        unhashed.RenderedFixes.Count.ShouldBe(hashed.RenderedFixes.Count);
    }

    [Fact]
    public void Lines_of_findings_are_hashed_only_for_fingerprints_and_a_text_baseline_matches_a_sarif_one()
    {
        // A glued line is reported by line (no entry id): its fingerprint is its bytes' SHA-256.
        var glued = Path.Combine(RepoPaths.Fixtures, "claude-code", "TL1001", "fires-glued-summary-row.jsonl");
        var rules = TranscriptLint.Cli.Commands.BuiltInRules.Source.LoadRules(new List<TranscriptLint.Reporting.ToolNotification>());
        var hashed = new TranscriptLint.Engine.Hosting.LintEngine(rules, new TranscriptLint.Engine.Hosting.LintOptions()).LintFile(glued);
        var unhashed = new TranscriptLint.Engine.Hosting.LintEngine(rules, new TranscriptLint.Engine.Hosting.LintOptions { HashFindingLines = false }).LintFile(glued);
        hashed.LineHashes.ShouldNotBeEmpty();
        unhashed.LineHashes.ShouldBeEmpty();
        unhashed.Diagnostics.Select(d => d.ToString()).ShouldBe(hashed.Diagnostics.Select(d => d.ToString()));

        // Text output writing or applying a baseline hashes them like SARIF does, so the fingerprints are the same.
        var dir = Directory.CreateTempSubdirectory("tl-linehash-").FullName;
        var fromText = Path.Combine(dir, "text.json");
        var fromSarif = Path.Combine(dir, "sarif.json");
        Run("lint", glued, "--write-baseline", fromText);
        Run("lint", glued, "--format", "sarif", "--write-baseline", fromSarif);
        File.ReadAllText(fromText).ShouldBe(File.ReadAllText(fromSarif));
        var (exit, _) = Run("lint", glued, "--baseline", fromSarif);
        exit.ShouldBe(0, "every finding is in the baseline");
    }

    private static (int Exit, string Out) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString());
    }
}
