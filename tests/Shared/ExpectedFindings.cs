using System.Globalization;

namespace TranscriptLint.Tests;

/// <summary>
/// A <c>.expected</c> file: one finding per line as <c>RULEID LINE</c>, <c>#</c> comments. It is the complete
/// list of findings every rule may report on its transcript.
/// </summary>
internal static class ExpectedFindings
{
    public static IReadOnlyList<string> Read(string path) =>
        File.ReadAllLines(path)
            .Select(l => l.Split('#', 2)[0].Trim())
            .Where(l => l.Length > 0)
            .Select(l =>
            {
                var parts = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return Format(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture));
            })
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Format(string id, int line) => $"{id} {line}";
}
