using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace TranscriptLint.Sarif;

/// <summary>A log that cannot be merged: names the file and what is wrong with it.</summary>
/// <param name="message">One line.</param>
public sealed class SarifMergeException(string message) : Exception(message);

/// <summary>
/// Merges the SARIF logs of <c>lint --shard K/N</c> runs into one run, as one unsharded run would have written it:
/// rules and plugins are united by id and name, artifacts sorted by URI (each file's results keep their order),
/// every <c>index</c> and <c>ruleIndex</c> renumbered, notifications kept, and <c>executionSuccessful</c> true only
/// when every shard succeeded. Logs of different tools or categories are refused.
/// </summary>
public static class SarifMerger
{
    /// <summary>Merges logs.</summary>
    /// <param name="logs">Each log's name (for errors) and text.</param>
    /// <returns>The merged log's UTF-8 bytes, formatted like <see cref="SarifWriter"/>'s.</returns>
    /// <exception cref="SarifMergeException">A log is not a transcriptlint SARIF log, or the logs do not belong together.</exception>
    public static byte[] Merge(IReadOnlyList<(string Name, string Text)> logs)
    {
        if (logs.Count == 0)
        {
            throw new SarifMergeException("no SARIF log to merge");
        }

        var runs = logs.Select(l => (l.Name, Run: SingleRun(l.Name, l.Text))).ToList();
        var (firstName, first) = runs[0];
        var category = (string?)first.SelectToken("automationDetails.id");
        foreach (var (name, run) in runs.Skip(1))
        {
            if ((string?)run.SelectToken("tool.driver.name") != (string?)first.SelectToken("tool.driver.name"))
            {
                throw new SarifMergeException($"{name} was written by {(string?)run.SelectToken("tool.driver.name")}, {firstName} by {(string?)first.SelectToken("tool.driver.name")}; only logs of one tool merge");
            }

            if ((string?)run.SelectToken("automationDetails.id") != category)
            {
                throw new SarifMergeException($"{name} has category '{(string?)run.SelectToken("automationDetails.id")}' but {firstName} has '{category}'; merge the shards of one category at a time");
            }
        }

        var rules = Union(runs.Select(r => r.Run.SelectToken("tool.driver.rules")), "id");
        var ruleIndex = rules.Select((r, i) => ((string)r["id"]!, i)).ToDictionary(x => x.Item1, x => x.i, StringComparer.Ordinal);
        var extensions = Union(runs.Select(r => r.Run.SelectToken("tool.extensions")), "name");

        var files = new List<(string Uri, JObject Artifact, List<JObject> Results)>();
        var byUri = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, run) in runs)
        {
            var artifacts = (run["artifacts"] as JArray)?.Cast<JObject>().ToList() ?? [];
            var local = new List<int>();
            foreach (var artifact in artifacts)
            {
                var uri = (string?)artifact.SelectToken("location.uri") ?? throw new SarifMergeException($"{name}: an artifact has no location.uri");
                if (byUri.ContainsKey(uri))
                {
                    throw new SarifMergeException($"{name}: {uri} is also in another log; shards must not overlap (use the same --shard N and --source-root in every shard)");
                }

                byUri[uri] = files.Count;
                local.Add(files.Count);
                files.Add((uri, (JObject)artifact.DeepClone(), []));
            }

            foreach (var result in (run["results"] as JArray)?.Cast<JObject>() ?? [])
            {
                var index = (int?)result.SelectToken("locations[0].physicalLocation.artifactLocation.index");
                if (index is not { } i || i < 0 || i >= local.Count)
                {
                    throw new SarifMergeException($"{name}: a result does not point at one of the log's artifacts");
                }

                files[local[i]].Results.Add((JObject)result.DeepClone());
            }
        }

        var ordered = files.OrderBy(f => f.Uri, StringComparer.Ordinal).ToList();
        var newIndex = ordered.Select((f, i) => (f.Uri, i)).ToDictionary(x => x.Uri, x => x.i, StringComparer.Ordinal);
        var results = new JArray();
        foreach (var file in ordered)
        {
            foreach (var result in file.Results)
            {
                if ((string?)result["ruleId"] is { } id && ruleIndex.TryGetValue(id, out var ri))
                {
                    result["ruleIndex"] = ri;
                }

                Renumber(result, newIndex);
                results.Add(result);
            }
        }

        var notifications = new JArray();
        foreach (var (_, run) in runs)
        {
            foreach (var n in run.SelectToken("invocations[0].toolExecutionNotifications") as JArray ?? [])
            {
                var copy = (JObject)n.DeepClone();
                if (copy.SelectToken("associatedRule") is JObject rule && (string?)rule["id"] is { } id)
                {
                    rule["index"] = ruleIndex.GetValueOrDefault(id, -1);
                }

                Renumber(copy, newIndex);
                notifications.Add(copy);
            }
        }

        var merged = (JObject)first.DeepClone();
        merged["tool"]!["driver"]!["rules"] = new JArray(rules);
        if (extensions.Count > 0)
        {
            merged["tool"]!["extensions"] = new JArray(extensions);
        }

        merged["artifacts"] = new JArray(ordered.Select(f => Renumber(f.Artifact, newIndex)));
        merged["results"] = results;
        merged.Remove("properties"); // per-shard truncation notes no longer describe the merged run
        var invocation = (JObject)merged.SelectToken("invocations[0]")!;
        invocation["executionSuccessful"] = runs.All(r => (bool?)r.Run.SelectToken("invocations[0].executionSuccessful") ?? true);
        invocation.Remove("toolExecutionNotifications");
        if (notifications.Count > 0)
        {
            invocation["toolExecutionNotifications"] = notifications; // the writer leaves an empty list out too
        }

        var log = JObject.Parse(logs[0].Text);
        log["runs"] = new JArray(merged);
        var text = log.ToString(Formatting.Indented).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
        return new UTF8Encoding(false).GetBytes(text);
    }

    private static JObject SingleRun(string name, string text)
    {
        JObject log;
        try
        {
            log = JObject.Parse(text);
        }
        catch (JsonReaderException ex)
        {
            throw new SarifMergeException($"{name} is not JSON: {ex.Message}");
        }

        if ((string?)log["version"] != "2.1.0" || log["runs"] is not JArray { Count: 1 } runs || runs[0] is not JObject run)
        {
            throw new SarifMergeException($"{name} is not a SARIF 2.1.0 log with one run (as 'transcriptlint lint --format sarif' writes)");
        }

        return run;
    }

    // Unites arrays of objects by a key; the first occurrence wins; sorted by key like the writer's.
    private static List<JObject> Union(IEnumerable<JToken?> arrays, string key)
    {
        var seen = new Dictionary<string, JObject>(StringComparer.Ordinal);
        foreach (var array in arrays.OfType<JArray>())
        {
            foreach (var item in array.OfType<JObject>())
            {
                if ((string?)item[key] is { } k && !seen.ContainsKey(k))
                {
                    seen[k] = (JObject)item.DeepClone();
                }
            }
        }

        return [.. seen.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value)];
    }

    // Every artifactLocation (in locations, fixes, notifications) points at the merged artifacts by index.
    private static JObject Renumber(JObject node, Dictionary<string, int> newIndex)
    {
        foreach (var location in node.DescendantsAndSelf().OfType<JObject>().Where(o => o["uri"] is not null && o["index"] is not null).ToList())
        {
            if (newIndex.TryGetValue((string)location["uri"]!, out var i))
            {
                location["index"] = i;
            }
        }

        return node;
    }
}
