using System.Text;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;
using TranscriptLint.Rules.Core;
using TranscriptLint.Tests;

namespace TranscriptLint.Sarif.Tests;

/// <summary>Lints fixtures like the CLI does and writes SARIF with a source root that does not depend on the checkout.</summary>
internal static class SarifFixtures
{
    public static readonly Uri FixedRootUri = new("file:///src/transcriptlint/");

    public static IReadOnlyList<LoadedRule> Rules { get; } = new AssemblyRuleSource(typeof(RuleIdentifiers).Assembly).LoadRules(new List<ToolNotification>());

    /// <summary>Every fixture transcript under fixtures/claude-code, repo-relative with forward slashes.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, "claude-code"), "*.jsonl", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)];

    public static TheoryData<string> AllCases()
    {
        var data = new TheoryData<string>();
        foreach (var f in All)
        {
            data.Add(f);
        }

        return data;
    }

    public static LintEngine Engine(LintOptions? options = null) => new(Rules, options ?? new LintOptions());

    /// <summary>Lints repo-relative paths; results carry the repo-relative path.</summary>
    public static IReadOnlyList<FileLintResult> Lint(params string[] relativePaths)
    {
        var engine = Engine();
        return [.. relativePaths.Select(p => engine.LintFile(Path.Combine(RepoPaths.Root, p), p))];
    }

    public static SarifWriterOptions Options(string? root = null, Func<FileLintResult, string>? localPath = null) => new()
    {
        SourceRoot = root ?? RepoPaths.Root,
        SourceRootUri = FixedRootUri,
        LocalPath = localPath ?? (r => Path.Combine(root ?? RepoPaths.Root, r.Path)),
    };

    public static SarifRunInput Input(IReadOnlyList<FileLintResult> results, LintEngine? engine = null) => new()
    {
        Results = results,
        Rules = SarifRunInputs.EnabledRules(engine ?? Engine()),
    };

    public static (byte[] Bytes, SarifWriteReport Report) Write(IReadOnlyList<FileLintResult> results, SarifWriterOptions? options = null) =>
        SarifWriter.Build(Input(results), options ?? Options());

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
