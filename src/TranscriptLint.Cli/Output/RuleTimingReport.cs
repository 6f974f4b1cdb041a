using System.Globalization;
using TranscriptLint.Cli.Commands;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// <c>lint --timing</c>: the time each rule spent in its actions, summed over every file, most first (like ESLint's
/// TIMING and Roslyn's /reportanalyzer). What the rules do not account for (reading, parsing, the dialect's entries,
/// the conversation graph) is the rest of the run's time, shown as one line so the table adds up; below it, what the
/// runtime spent compiling code and pausing for the collector, which the rules' times and the rest both hold some of.
/// </summary>
internal static class RuleTimingReport
{
    /// <summary>Writes the table.</summary>
    /// <param name="run">The run, linted with <see cref="TranscriptLint.Engine.Hosting.LintOptions.TimeRules"/>.</param>
    /// <param name="costs">What the process spent over the lint: its CPU (all threads), compiling and collecting.</param>
    /// <param name="output">Where to write (standard error: the report formats own standard output).</param>
    public static void Write(LintRun run, RuntimeCosts costs, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(costs);
        var cpu = costs.Cpu;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var loaded in run.Engine.Rules)
        {
            if (loaded.Rule.SupportedDescriptors.FirstOrDefault() is { } d)
            {
                names.TryAdd(d.Id, d.Name);
            }
        }

        var rows = Totals(run.Results);
        var rules = rows.Aggregate(TimeSpan.Zero, (a, r) => a + r.Value);
        var idWidth = rows.Count == 0 ? 4 : Math.Max(4, rows.Max(r => r.Key.Length));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Rule timing over {run.Results.Count:N0} file(s): {Ms(rules)} in rules' actions of {Ms(cpu)} CPU ({Share(rules, cpu)})"));
        output.WriteLine($"{"rule".PadRight(idWidth)}  {"time",10}  {"share",6}  name");
        foreach (var (id, time) in rows)
        {
            output.WriteLine($"{id.PadRight(idWidth)}  {Ms(time),10}  {Share(time, cpu),6}  {names.GetValueOrDefault(id, "")}");
        }

        var rest = cpu - rules;
        output.WriteLine($"{"rest".PadRight(idWidth)}  {Ms(rest < TimeSpan.Zero ? TimeSpan.Zero : rest),10}  {Share(rest, cpu),6}  reading, parsing, entries, conversation graph, reports, runtime");

        // Not parts of the rest: a rule's first calls run while its code compiles, and a collection pauses whichever
        // action allocated. Shown against the same CPU so the runtime's share reads at a glance.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"jit".PadRight(idWidth)}  {Ms(costs.Jit),10}  {Share(costs.Jit, cpu),6}  the runtime compiling {costs.JitMethods:N0} methods (on any thread; rules' and rest alike)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"gc".PadRight(idWidth)}  {Ms(costs.GcPause),10}  {Share(costs.GcPause, cpu),6}  the collector's pauses ({RuntimeCosts.CollectorText}): {costs.Collections:N0} collections, {costs.FullCollections:N0} of them full"));
        if (IndexLine(run.Results) is { } index)
        {
            output.WriteLine($"{"index".PadRight(idWidth)}  {index}");
        }
    }

    /// <summary>
    /// How the large files kept their conversation index: rows, or an entry object per line and why (decision 0004; a
    /// rule on the object model makes a large session keep entries, which costs a 1 GiB lint about 0.2 s and 20 MiB).
    /// </summary>
    /// <param name="results">Results of a run with timing on.</param>
    /// <returns>One line, or null when no file was large enough for rows.</returns>
    public static string? IndexLine(IEnumerable<TranscriptLint.Reporting.FileLintResult> results)
    {
        var large = results.Where(r => r.IndexStorage is not null).ToList();
        if (large.Count == 0)
        {
            return null;
        }

        var rows = large.Count(r => r.IndexStorage == "rows");
        var reasons = large.Where(r => r.IndexStorage != "rows").GroupBy(r => r.IndexStorage!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count():N0} kept {g.Key}"));
        return string.Create(CultureInfo.InvariantCulture, $"of {large.Count:N0} file(s) of 32 MiB or more, {rows:N0} kept compact rows") + string.Concat(reasons.Select(r => "; " + r));
    }

    /// <summary>Each rule's time summed over the results, most first (ties by id).</summary>
    /// <param name="results">Results of a run with timing on.</param>
    /// <returns>Rule id and total time.</returns>
    public static List<KeyValuePair<string, TimeSpan>> Totals(IEnumerable<TranscriptLint.Reporting.FileLintResult> results)
    {
        var times = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            foreach (var (id, time) in result.RuleTimes)
            {
                times[id] = times.GetValueOrDefault(id) + time;
            }
        }

        return [.. times.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal)];
    }

    private static string Ms(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:N1} ms");

    private static string Share(TimeSpan part, TimeSpan whole) =>
        whole <= TimeSpan.Zero ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, part.TotalMilliseconds / whole.TotalMilliseconds):P1}");
}
