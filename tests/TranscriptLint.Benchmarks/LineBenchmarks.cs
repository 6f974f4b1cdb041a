using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Model;
using TranscriptLint.Rules.Core.Security;

namespace TranscriptLint.Benchmarks;

/// <summary>
/// What one line costs on the way through lint, each step beside the floor (parsing the line), over the lines of the
/// vendored real Claude Code sessions (fixtures/real). Numbers per call over all those lines.
/// </summary>
[MemoryDiagnoser]
public class LineBenchmarks
{
    private readonly ClaudeCodeDialect _dialect = new();
    private byte[][] _lines = [];

    [GlobalSetup]
    public void Setup()
    {
        var real = FindRealCorpus();
        _lines = [.. Directory.EnumerateFiles(real, "*.jsonl", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Where(l => l.Length > 0 && l.Contains("\"parentUuid\"", StringComparison.Ordinal) && IsJson(l))
            .Select(Encoding.UTF8.GetBytes)];
    }

    // The corpus keeps its torn and glued lines (TL1001 finds them); the per-line steps are measured on whole ones.
    private static bool IsJson(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The floor: parse every line and dispose it.</summary>
    [Benchmark(Baseline = true)]
    public int Parse()
    {
        var n = 0;
        foreach (var line in _lines)
        {
            using var doc = JsonDocument.Parse(line.AsMemory());
            n += doc.RootElement.GetPropertyCount();
        }

        return n;
    }

    /// <summary>Parse plus the dialect's entry (envelope, blocks, text shapes).</summary>
    [Benchmark]
    public int ParseAndReadEntry()
    {
        var n = 0;
        foreach (var line in _lines)
        {
            using var doc = JsonDocument.Parse(line.AsMemory());
            n += _dialect.ReadEntry(doc.RootElement, new TranscriptLine(1, 0, line.Length, LineTerminator.LineFeed, line.Length)).Blocks.Count;
        }

        return n;
    }

    /// <summary>TL5001's pre-scan of the raw bytes for trigger strings.</summary>
    [Benchmark]
    public int SecretPrescan()
    {
        var n = 0;
        foreach (var line in _lines)
        {
            n += SecretPatterns.FirstTrigger(line) >= 0 ? 1 : 0;
        }

        return n;
    }

    /// <summary>SHA-256 of every line's bytes (what the file hash costs per byte).</summary>
    [Benchmark]
    public int Sha256()
    {
        var n = 0;
        foreach (var line in _lines)
        {
            n += System.Security.Cryptography.SHA256.HashData(line)[0];
        }

        return n;
    }

    private static string FindRealCorpus()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "fixtures", "real");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("fixtures/real not found above " + AppContext.BaseDirectory);
    }
}
