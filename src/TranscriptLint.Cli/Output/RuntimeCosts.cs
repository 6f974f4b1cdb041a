using System.Globalization;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// What the .NET runtime itself spent, beside the work it ran: the process's CPU, the JIT's compile time (on every
/// thread, the tiering thread's included) and the collector's pauses. A lint of one large file spends about a tenth of
/// its CPU on each of the last two where the JSON parser's floor spends a few percent (decision 0003), so
/// <c>lint --timing</c> and <c>benchmark</c> show them instead of leaving them in an unexplained rest.
/// </summary>
/// <param name="Cpu">Process CPU time, user and system, all threads.</param>
/// <param name="Jit">Time spent compiling methods (<see cref="System.Runtime.JitInfo.GetCompilationTime(bool)"/>, all threads).</param>
/// <param name="JitMethods">Methods compiled.</param>
/// <param name="GcPause">Time the collector paused the program (<see cref="GC.GetTotalPauseDuration"/>).</param>
/// <param name="Collections">Collections of any generation.</param>
/// <param name="FullCollections">Collections of generation 2 (blocking or background).</param>
internal sealed record RuntimeCosts(TimeSpan Cpu, TimeSpan Jit, long JitMethods, TimeSpan GcPause, int Collections, int FullCollections)
{
    /// <summary>The process's totals so far.</summary>
    /// <returns>The totals.</returns>
    public static RuntimeCosts Now()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new(
            self.TotalProcessorTime,
            System.Runtime.JitInfo.GetCompilationTime(currentThread: false),
            System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false),
            GC.GetTotalPauseDuration(),
            GC.CollectionCount(0),
            GC.CollectionCount(2));
    }

    /// <summary>What was spent between <paramref name="before"/> and these totals.</summary>
    /// <param name="before">Earlier totals of the same process.</param>
    /// <returns>The difference.</returns>
    public RuntimeCosts Since(RuntimeCosts before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return new(Cpu - before.Cpu, Jit - before.Jit, JitMethods - before.JitMethods, GcPause - before.GcPause, Collections - before.Collections, FullCollections - before.FullCollections);
    }

    /// <summary>The JIT's share in words, e.g. <c>0.38 s compiling 732 methods</c>.</summary>
    public string JitText => string.Create(CultureInfo.InvariantCulture, $"{Jit.TotalSeconds:F2} s compiling {JitMethods:N0} methods");

    /// <summary>
    /// How the collector runs in this process, e.g. <c>in the foreground, young generation at most 16 MiB</c>. The tool's
    /// runtime configuration chooses it (a lint is a batch, decision 0003 "Measured at stop 52") and <c>DOTNET_</c>
    /// variables can change it, so pauses are read beside it.
    /// </summary>
    public static string CollectorText
    {
        get
        {
            var config = GC.GetConfigurationVariables();
            var how = System.Runtime.GCSettings.IsServerGC ? "server, " : "";
            how += config.TryGetValue("ConcurrentGC", out var concurrent) && concurrent is true ? "in the background" : "in the foreground";
            return config.TryGetValue("GCGen0MaxBudget", out var budget) && budget is long bytes && bytes > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{how}, young generation at most {bytes / (1024.0 * 1024):0.#} MiB")
                : how;
        }
    }

    /// <summary>The collector's share in words, e.g. <c>0.34 s of pauses in 25 collections (7 full)</c>.</summary>
    public string GcText => string.Create(CultureInfo.InvariantCulture, $"{GcPause.TotalSeconds:F2} s of pauses in {Collections:N0} collections ({FullCollections:N0} full)");
}
