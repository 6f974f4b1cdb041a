using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TranscriptLint.Cli.Output;
using TranscriptLint.Reporting;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// A baseline: the findings a team has accepted, recorded by path (relative to the source root) and SARIF
/// <c>transcriptLint/v1</c> fingerprint. The fingerprint hashes the rule, the entry (uuid, else the line's bytes),
/// the JSON pointer and the message with numbers blanked, so a finding keeps matching when lines are added above it.
/// </summary>
internal static class Baseline
{
    public const int FormatVersion = 1;

    public sealed record Entry(string Path, string Fingerprint, string RuleId, string Message);

    /// <summary>What applying a baseline did.</summary>
    public sealed record Outcome(LintRun Run, int Suppressed, IReadOnlyList<Entry> Stale, IReadOnlyList<Entry> Kept);

    /// <summary>The current findings as baseline entries, sorted.</summary>
    public static List<Entry> Entries(LintRun run, ReportPaths paths) =>
        [.. run.Results.Where(r => r.Diagnostics.Count > 0)
            .SelectMany(r => ReportPaths.Fingerprints(r).Select(f => new Entry(paths.Relative(r), f.Fingerprint, f.Diagnostic.Id, f.Diagnostic.Message)))
            .OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Fingerprint, StringComparer.Ordinal)];

    /// <summary>
    /// Removes the findings the baseline holds. An entry is stale when its file was linted (or no longer exists among
    /// <paramref name="allPaths"/>, the files matched before sharding) and none of the file's findings matches it.
    /// </summary>
    public static Outcome Apply(LintRun run, IReadOnlyList<Entry> baseline, ReportPaths paths, IReadOnlySet<string> allPaths)
    {
        var wanted = baseline.Select(e => (e.Path, e.Fingerprint)).ToHashSet();
        var matched = new HashSet<(string, string)>();
        var suppressed = 0;
        var linted = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<FileLintResult>();
        foreach (var result in run.Results)
        {
            if (result.Diagnostics.Count == 0)
            {
                results.Add(result);
                continue;
            }

            var path = paths.Relative(result);
            linted.Add(path);
            var keep = new List<Diagnostic>();
            foreach (var (d, fingerprint) in ReportPaths.Fingerprints(result))
            {
                if (wanted.Contains((path, fingerprint)))
                {
                    matched.Add((path, fingerprint));
                    suppressed++;
                }
                else
                {
                    keep.Add(d);
                }
            }

            // Keep the engine's order (line, column, rule, message).
            var kept = new HashSet<Diagnostic>(keep, ReferenceEqualityComparer.Instance);
            results.Add(result with { Diagnostics = [.. result.Diagnostics.Where(kept.Contains)] });
        }

        foreach (var result in run.Results.Where(r => r.Diagnostics.Count == 0))
        {
            linted.Add(paths.Relative(result));
        }

        var stale = baseline.Where(e => !matched.Contains((e.Path, e.Fingerprint)) && (linted.Contains(e.Path) || !allPaths.Contains(e.Path))).ToList();
        var staleSet = stale.ToHashSet();
        var filtered = new LintRun
        {
            Results = results,
            Notifications = run.Notifications,
            Engine = run.Engine,
            UnreadableFiles = run.UnreadableFiles,
            FileCount = run.FileCount,
        };
        return new Outcome(filtered, suppressed, stale, [.. baseline.Where(e => !staleSet.Contains(e))]);
    }

    public static IReadOnlyList<Entry> Read(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.GetInt32() != FormatVersion
                || !root.TryGetProperty("findings", out var findings) || findings.ValueKind != JsonValueKind.Array)
            {
                throw new UsageException($"--baseline: {file} is not a transcriptlint baseline (version {FormatVersion}); write one with --write-baseline");
            }

            return [.. findings.EnumerateArray().Select(f => new Entry(
                f.GetProperty("path").GetString()!,
                f.GetProperty("fingerprint").GetString()!,
                f.TryGetProperty("ruleId", out var id) ? id.GetString() ?? "" : "",
                f.TryGetProperty("message", out var m) ? m.GetString() ?? "" : ""))];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new UsageException($"--baseline: {file} is not a valid baseline: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--baseline: cannot read {file}: {ex.Message}");
        }
    }

    public static void Write(string file, IEnumerable<Entry> entries)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", FormatVersion);
            w.WriteString("tool", "transcriptlint");
            w.WriteString("fingerprint", "transcriptLint/v1");
            w.WriteStartArray("findings");
            foreach (var e in entries.OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Fingerprint, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("path", e.Path);
                w.WriteString("ruleId", e.RuleId);
                w.WriteString("fingerprint", e.Fingerprint);
                w.WriteString("message", e.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        File.WriteAllText(file, Encoding.UTF8.GetString(stream.ToArray()) + "\n", new UTF8Encoding(false));
    }
}
