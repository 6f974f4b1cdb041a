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
    private readonly List<int> _triggerPositions = [];
    private byte[] _file = [];
    private JsonDocument[] _documents = [];
    private JsonElement[] _triggerStrings = [];
    private JsonElement[] _strings = [];

    [GlobalSetup]
    public void Setup()
    {
        var real = FindRealCorpus();
        _lines = [.. Directory.EnumerateFiles(real, "*.jsonl", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Where(l => l.Length > 0 && l.Contains("\"parentUuid\"", StringComparison.Ordinal) && IsJson(l))
            .Select(Encoding.UTF8.GetBytes)];
        _file = [.. _lines.SelectMany(l => l.Append((byte)'\n'))];

        // The string values TL5001 decodes: those whose raw bytes hold a trigger (a URL, "sk-", an escape, ...).
        _documents = [.. _lines.Select(l => JsonDocument.Parse(l.AsMemory()))];
        var strings = new List<JsonElement>();
        foreach (var document in _documents)
        {
            CollectStrings(document.RootElement, strings, s => SecretPatterns.MayHoldTrigger(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(s)));
        }

        _triggerStrings = [.. strings];

        // Every string value of 64 bytes or more: the texts, tool outputs and thinking the dialects measure.
        var all = new List<JsonElement>();
        foreach (var document in _documents)
        {
            CollectStrings(document.RootElement, all, s => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(s).Length >= 64);
        }

        _strings = [.. all];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var document in _documents)
        {
            document.Dispose();
        }
    }

    private static void CollectStrings(JsonElement value, List<JsonElement> into, Func<JsonElement, bool> take)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    CollectStrings(property.Value, into, take);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    CollectStrings(item, into, take);
                }

                break;
            case JsonValueKind.String when take(value):
                into.Add(value);
                break;
        }
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

    /// <summary>
    /// The reader over the same lines as one file in memory: each line split off, checked for NULs and invalid UTF-8,
    /// and its length in UTF-16 units counted (for SARIF columns).
    /// </summary>
    [Benchmark]
    public long ReadLines()
    {
        long n = 0;
        using var reader = new TranscriptLint.Engine.Reading.LineReader((ReadOnlyMemory<byte>)_file, maxLineBytes: int.MaxValue, hash: false);
        while (reader.TryReadLine(out var line))
        {
            n += line.Line.CharLength;
        }

        return n;
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

    /// <summary>
    /// What lint parses with: the same documents, each line's long escaped strings masked while the reader runs
    /// (<see cref="TranscriptLint.Engine.Reading.EscapedStringMask"/>), in place as lint does in its reader's buffer (the bytes are put back).
    /// </summary>
    [Benchmark]
    public int ParseMasked()
    {
        var n = 0;
        foreach (var line in _lines)
        {
            using var doc = TranscriptLint.Engine.Reading.EscapedStringMask.Parse(line.AsMemory(), default);
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

    /// <summary>The shape (length, whitespace only, trailing whitespace) of every string of 64 bytes or more, as the dialects measure text blocks.</summary>
    [Benchmark]
    public int TextShapes()
    {
        var n = 0;
        foreach (var value in _strings)
        {
            n += JsonStringReader.Shape(value).Length;
        }

        return n;
    }

    /// <summary>TL5001's pre-scan of the raw bytes: every place a trigger starts, as the rule collects them per line.</summary>
    [Benchmark]
    public int SecretPrescan()
    {
        var n = 0;
        foreach (var line in _lines)
        {
            _triggerPositions.Clear();
            SecretPatterns.TriggerPositions(line, 0, _triggerPositions);
            n += _triggerPositions.Count;
        }

        return n;
    }

    /// <summary>
    /// TL5001 on every string value whose bytes hold a trigger: decode it, decide which detectors its literals allow,
    /// run those (most such strings are URLs in tool output, and no detector runs).
    /// </summary>
    [Benchmark]
    public int SecretScanOfTriggerStrings()
    {
        var n = 0;
        foreach (var value in _triggerStrings)
        {
            n += SecretPatterns.Find(value, out _).Count;
        }

        return n;
    }

    /// <summary>XxHash128 of every line's bytes (what fix's whole-file checks and TL1003's line keys cost per byte).</summary>
    [Benchmark]
    public int XxHash128()
    {
        var n = 0;
        foreach (var line in _lines)
        {
            n += (int)(System.IO.Hashing.XxHash128.HashToUInt128(line) & 0xFF);
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

    internal static string FindRealCorpus()
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
