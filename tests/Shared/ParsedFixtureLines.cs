using System.Text.Json;

namespace TranscriptLint.Tests;

/// <summary>Every line of every JSONL fixture that is valid JSON, parsed; the document is disposed when the loop moves on.</summary>
internal static class ParsedFixtureLines
{
    public static IEnumerable<(string File, string Line, JsonDocument Json)> All()
    {
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Fixtures, "*.jsonl", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadLines(file))
            {
                JsonDocument doc;
                try
                {
                    doc = JsonDocument.Parse(line);
                }
                catch (JsonException)
                {
                    continue; // torn and hand-broken lines are other tests' business
                }

                using (doc)
                {
                    yield return (file, line, doc);
                }
            }
        }
    }
}
