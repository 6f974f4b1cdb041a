using BenchmarkDotNet.Attributes;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;
using TranscriptLint.Rules.Core.Security;

namespace TranscriptLint.Benchmarks;

/// <summary>
/// What a whole file costs beyond its lines: one lint of a short real session and of a longer one, every built-in rule,
/// as `transcriptlint lint` runs them (no file hash). A short file's time and bytes are mostly the per-file setup (the
/// lists, the classifier, the rules' start actions, the conversation), which is what many-file runs pay a thousand times.
/// </summary>
[MemoryDiagnoser]
public class FileBenchmarks
{
    private LintEngine _engine = null!;
    private string _short = "";
    private string _long = "";

    [GlobalSetup]
    public void Setup()
    {
        var notes = new List<ToolNotification>();
        _engine = new LintEngine(new AssemblyRuleSource(typeof(TL5001SecretInTranscriptRule).Assembly).LoadRules(notes), new LintOptions { HashFiles = false, HashFindingLines = false });
        var sessions = Directory.EnumerateFiles(LineBenchmarks.FindRealCorpus(), "*.jsonl", SearchOption.AllDirectories)
            .Where(f => f.Contains("claude-code", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new FileInfo(f))
            .OrderBy(f => f.Length)
            .ToList();
        _short = sessions.First(f => f.Length >= 8 * 1024).FullName;
        _long = sessions[^1].FullName;
    }

    /// <summary>The shortest vendored Claude Code session of at least 8 KB.</summary>
    [Benchmark(Baseline = true)]
    public int ShortSession() => _engine.LintFile(_short).Diagnostics.Count;

    /// <summary>The longest vendored Claude Code session.</summary>
    [Benchmark]
    public int LongSession() => _engine.LintFile(_long).Diagnostics.Count;
}
