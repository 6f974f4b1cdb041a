using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/TranscriptLint.Benchmarks -- --filter '*'   (or a class name, e.g. '*Secret*')
BenchmarkSwitcher.FromAssembly(typeof(TranscriptLint.Benchmarks.LineBenchmarks).Assembly).Run(args);
