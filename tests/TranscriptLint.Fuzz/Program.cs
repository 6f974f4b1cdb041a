using System.Diagnostics;
using System.Globalization;
using SharpFuzz;
using TranscriptLint.Fuzz;

// transcriptlint-fuzz: the coverage-guided fuzz harness of docs/fuzzing.md.
//   afl                          under afl-fuzz (input on stdin or @@), with sharpfuzz-instrumented assemblies
//   libfuzzer                    under libfuzzer-dotnet
//   replay DIR... [--mutations N] [--seconds S] [--seed K] [--crashes DIR]
//                                in process, no native engine: every file of the corpus, then N seeded random
//                                mutations of them (deterministic for a seed), until N or S runs out
//   run FILE...                  one input each (reproduce a crash)
var mode = args.Length > 0 ? args[0] : "afl";
switch (mode)
{
    case "afl":
        Fuzzer.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            FuzzTarget.Run(copy.ToArray());
        });
        return 0;
    case "libfuzzer":
        Fuzzer.LibFuzzer.Run(span => FuzzTarget.Run(span));
        return 0;
    case "run":
        foreach (var file in args.Skip(1))
        {
            FuzzTarget.Run(File.ReadAllBytes(file));
            Console.WriteLine($"{file}: ok");
        }

        return 0;
    case "replay":
        return Replay(args.Skip(1).ToList());
    default:
        Console.Error.WriteLine("usage: transcriptlint-fuzz afl | libfuzzer | run FILE... | replay DIR... [--mutations N] [--seconds S] [--seed K] [--crashes DIR]");
        return 2;
}

static int Replay(List<string> args)
{
    string? Option(string name)
    {
        var i = args.IndexOf(name);
        if (i < 0 || i + 1 >= args.Count)
        {
            return null;
        }

        var value = args[i + 1];
        args.RemoveRange(i, 2);
        return value;
    }

    var mutations = long.Parse(Option("--mutations") ?? "10000", CultureInfo.InvariantCulture);
    var seconds = double.Parse(Option("--seconds") ?? "0", CultureInfo.InvariantCulture);
    var seed = int.Parse(Option("--seed") ?? "1", CultureInfo.InvariantCulture);
    var crashes = Option("--crashes") ?? "fuzz-crashes";
    var corpus = args.SelectMany(d => Directory.Exists(d) ? Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories) : [d])
        .Where(f => new FileInfo(f).Length <= 64 * 1024)
        .Order(StringComparer.Ordinal)
        .Select(File.ReadAllBytes)
        .ToList();
    if (corpus.Count == 0)
    {
        Console.Error.WriteLine("transcriptlint-fuzz: no corpus file (64 KB at most) in " + string.Join(", ", args));
        return 2;
    }

    var clock = Stopwatch.StartNew();
    var random = new Random(seed);
    long executions = 0;
    var findings = new Dictionary<string, int>(StringComparer.Ordinal);
    bool Execute(byte[] input)
    {
        executions++;
        try
        {
            FuzzTarget.Run(input);
            return true;
        }
        catch (Exception ex)
        {
            // One saved input per distinct finding (type and first line of the message, numbers stripped).
            var key = ex.GetType().Name + ": " + new string([.. ex.Message.Split('\n')[0].Where(c => !char.IsAsciiDigit(c))]);
            findings[key] = findings.GetValueOrDefault(key) + 1;
            if (findings[key] == 1)
            {
                Directory.CreateDirectory(crashes);
                var path = Path.Combine(crashes, $"crash-{executions}.jsonl");
                File.WriteAllBytes(path, input);
                Console.WriteLine($"FINDING #{findings.Count} at execution {executions}: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}\n  input: {path}\n  {ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            }

            return false;
        }
    }

    foreach (var input in corpus)
    {
        Execute(input);
    }

    for (long i = 0; i < mutations && (seconds <= 0 || clock.Elapsed.TotalSeconds < seconds); i++)
    {
        Execute(Mutator.Mutate(corpus, random));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transcriptlint-fuzz: {executions} executions ({corpus.Count} corpus files, seed {seed}) in {clock.Elapsed.TotalSeconds:F1} s; {findings.Count} distinct finding(s)"));
    foreach (var (key, count) in findings)
    {
        Console.WriteLine($"  {count}x {key}");
    }

    return findings.Count == 0 ? 0 : 1;
}
