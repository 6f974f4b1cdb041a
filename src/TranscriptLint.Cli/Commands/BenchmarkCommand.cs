using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TranscriptLint.Cli.Benchmarking;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>transcriptlint benchmark</c>: generates a real-shaped corpus and measures lint throughput and memory,
/// plus one file with a single huge line. Numbers, not assertions: run it on the machine you care about.
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
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        long lineCount = 0, findings = 0;
        foreach (var path in paths)
        {
            var result = engine.LintFile(path);
            lineCount += result.LineCount;
            findings += result.Diagnostics.Count;
        }

        stopwatch.Stop();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus: {fileCount} files, {lineCount:N0} lines, {bytes / 1e6:F1} MB; {findings} findings"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lint:   {seconds:F2} s, {bytes / 1e6 / seconds:F1} MB/s, {lineCount / seconds:N0} lines/s"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory: peak working set {peak / 1e6:F0} MB; allocated {allocated / (double)lineCount:F0} bytes/line; largest file {bytes / fileCount / 1e6:F1} MB"));

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
