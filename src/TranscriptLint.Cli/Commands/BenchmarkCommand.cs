using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TranscriptLint.Cli.Benchmarking;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>transcriptlint benchmark</c>: generates a real-shaped corpus and measures, in one process run, the floor
/// (<c>JsonDocument.Parse</c> per line plus the same field reads, one thread), lint beside it (throughput, CPU,
/// ratio to the floor), linting the files on one core and on all, fix on a broken copy, and one file with a single
/// huge line. Numbers, not assertions: run it on the machine you care about.
/// </summary>
public static class BenchmarkCommand
{
    public static Command Create(TextWriter stdout)
    {
        var files = new Option<int>("--files") { Description = "Number of generated sessions.", DefaultValueFactory = _ => 20 };
        var lines = new Option<int>("--lines") { Description = "Lines per generated session.", DefaultValueFactory = _ => 20_000 };
        var hugeLineMb = new Option<int>("--huge-line-mb") { Description = "Size of the single-line file in MB (0 skips it).", DefaultValueFactory = _ => 100 };
        var keep = new Option<string?>("--dir") { Description = "Write the corpus here and keep it (default: a temp folder, deleted afterwards)." };
        var command = new Command("benchmark", "Generate a real-shaped corpus and report lint throughput (MB/s, lines/s) and peak memory.") { files, lines, hugeLineMb, keep };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(keep) ?? Path.Combine(Path.GetTempPath(), "transcriptlint-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            try
            {
                Run(stdout, dir, parse.GetValue(files), parse.GetValue(lines), parse.GetValue(hugeLineMb));
            }
            finally
            {
                if (parse.GetValue(keep) is null)
                {
                    Directory.Delete(dir, recursive: true);
                }
            }

            return ExitCodes.Clean;
        });
        return command;
    }

    private static void Run(TextWriter stdout, string dir, int fileCount, int linesPerFile, int hugeLineMb)
    {
        var generator = new SessionGenerator(seed: 42);
        var paths = new List<string>();
        long bytes = 0;
        for (var i = 0; i < fileCount; i++)
        {
            var path = Path.Combine(dir, $"session-{i:D4}.jsonl");
            bytes += generator.Write(path, linesPerFile);
            paths.Add(path);
        }

        var engine = new LintEngine(BuiltInRules.Source.LoadRules(new List<ToolNotification>()), new LintOptions());
        engine.LintFile(paths[0]); // warm up the JIT so the numbers measure steady state
        Floor(paths[0]);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus: {fileCount} files, {bytes / 1e6:F1} MB (seed 42), {Environment.ProcessorCount} cores"));

        // The floor: what reading the same lines costs with nothing but the JSON parser and the fields every dialect reads.
        var (floorSeconds, floorCpu) = Timed(() =>
        {
            foreach (var path in paths)
            {
                Floor(path);
            }
        });
        var floorRate = bytes / 1e6 / floorSeconds;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"floor:  {floorSeconds:F2} s, {floorRate:F1} MB/s, CPU {floorCpu:F2} s (JsonDocument.Parse per line + field reads, 1 thread)"));

        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long lineCount = 0, findings = 0;
        var (seconds, cpu) = Timed(() =>
        {
            foreach (var path in paths)
            {
                var result = engine.LintFile(path);
                lineCount += result.LineCount;
                findings += result.Diagnostics.Count;
            }
        });
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var rate = bytes / 1e6 / seconds;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lint:   {seconds:F2} s, {rate:F1} MB/s, {lineCount / seconds:N0} lines/s, CPU {cpu:F2} s, {rate / floorRate:P0} of the floor; {findings} findings"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory: peak working set {peak / 1e6:F0} MB; allocated {allocated / (double)lineCount:F0} bytes/line ({allocated / (double)bytes:F1} per input byte)"));

        // Many files: one at a time against one per core, through the same path `lint` takes.
        var settings = new CommandLineSettings { Options = new LintOptions() };
        var (oneCore, _) = Timed(() => LintRun.Execute(paths, settings, TextWriter.Null, null, jobs: 1));
        var (allCores, _) = Timed(() => LintRun.Execute(paths, settings, TextWriter.Null, null, jobs: Environment.ProcessorCount));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"files:  --jobs 1 {oneCore:F2} s, --jobs {Environment.ProcessorCount} {allCores:F2} s: {oneCore / allCores:F2}x"));

        // Fix: the first session with its last line torn (a crash mid-write), fixed in memory by the real fixer.
        var broken = File.ReadAllBytes(paths[0]);
        broken = broken[..(broken.Length - 40)];
        var fixer = new TranscriptFixer(engine, new FixOptions { IncludeUnsafe = false });
        FixOutcome? outcome = null;
        var (fixSeconds, fixCpu) = Timed(() => outcome = fixer.Fix(broken, "broken.jsonl"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fix:    {broken.Length / 1e6:F1} MB torn at the end, {fixSeconds:F2} s, {broken.Length / 1e6 / fixSeconds:F1} MB/s, CPU {fixCpu:F2} s; changed: {outcome!.Changed}; peak working set now {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));

        if (hugeLineMb > 0)
        {
            var huge = Path.Combine(dir, "huge-line.jsonl");
            WriteHugeLine(huge, hugeLineMb);
            var sw = Stopwatch.StartNew();
            var result = engine.LintFile(huge);
            sw.Stop();
            peak = Process.GetCurrentProcess().PeakWorkingSet64;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"huge line: {hugeLineMb} MB in one line, {sw.Elapsed.TotalSeconds:F2} s, {result.Diagnostics.Count} findings; peak working set now {peak / 1e6:F0} MB"));
        }
    }

    private static (double Wall, double Cpu) Timed(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        action();
        stopwatch.Stop();
        process.Refresh();
        return (stopwatch.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
    }

    // Parse each line and read what every dialect reads first (type, uuid, parent, role, content kinds).
    private static long Floor(string path)
    {
        long seen = 0;
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        while (!span.IsEmpty)
        {
            var end = span.IndexOf((byte)'\n');
            var line = end < 0 ? span : span[..end];
            span = end < 0 ? default : span[(end + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            if (root.TryGetProperty("type", out var type) && type.GetString() is { } t)
            {
                seen += t.Length;
            }

            seen += root.TryGetProperty("uuid", out var uuid) && uuid.GetString() is { } u ? u.Length : 0;
            seen += root.TryGetProperty("parentUuid", out var parent) && parent.ValueKind == JsonValueKind.String ? 1 : 0;
            if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
            {
                seen += message.TryGetProperty("role", out var role) && role.GetString() is { } r ? r.Length : 0;
                if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
                {
                    foreach (var block in content.EnumerateArray())
                    {
                        seen += block.TryGetProperty("type", out var bt) && bt.GetString() is { } b ? b.Length : 0;
                    }
                }
            }
        }

        return seen;
    }

    private static void WriteHugeLine(string path, int megabytes)
    {
        using var w = new StreamWriter(path);
        w.Write("{\"parentUuid\":null,\"type\":\"user\",\"uuid\":\"0b1f5a4e-8a8e-4c37-9d7e-1f2a3b4c5d6e\",\"sessionId\":\"s\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"");
        var chunk = new string('A', 1 << 20);
        for (var i = 0; i < megabytes; i++)
        {
            w.Write(chunk);
        }

        w.Write("\"}}]}}\n");
    }
}
