using System.Text.Json;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Tests;

/// <summary>Reads fixture lines and the findings of one rule, for tests of the edits a fix proposes.</summary>
internal static class FixtureFacts
{
    public static string PathOf(string group, string caseFile) => Path.Combine(RuleHarness.FixtureDir(group), caseFile);

    /// <summary>The findings of <paramref name="id"/> on a fixture, linted with the fixture's profile.</summary>
    public static IReadOnlyList<Diagnostic> Findings(string group, string caseFile, string id, LintOptions? options = null)
    {
        var path = PathOf(group, caseFile);
        var result = RuleHarness.Lint(path, options ?? RuleHarness.OptionsFor(Path.ChangeExtension(path, ".expected")));
        return result.Diagnostics.Where(d => d.Id == id).ToList();
    }

    /// <summary>The single finding of <paramref name="id"/> on a fixture.</summary>
    public static Diagnostic Single(string group, string caseFile, string id) => Findings(group, caseFile, id).ShouldHaveSingleItem();

    /// <summary>The JSON of one 1-based line of a fixture.</summary>
    public static JsonElement Line(string group, string caseFile, int line)
    {
        using var doc = JsonDocument.Parse(File.ReadLines(PathOf(group, caseFile)).ElementAt(line - 1));
        return doc.RootElement.Clone();
    }

    /// <summary>The uuid of one line of a fixture.</summary>
    public static string Uuid(string group, string caseFile, int line) => Line(group, caseFile, line).GetProperty("uuid").GetString()!;

    /// <summary>The parentUuid of one line of a fixture.</summary>
    public static string? Parent(string group, string caseFile, int line) =>
        Line(group, caseFile, line).GetProperty("parentUuid") is { ValueKind: JsonValueKind.String } p ? p.GetString() : null;
}
