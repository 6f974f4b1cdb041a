using System.Text;
using TranscriptLint.Engine.Fixing;

namespace TranscriptLint.Tests;

/// <summary>
/// Every rule fixture (fixtures/claude-code, codex, chat) has a <c>.snap</c> beside it that pins what a user sees:
/// each finding's id, line:col, severity and message, and each fix's applicability, title and the diff it makes.
/// The <c>.expected</c> file stays the hand-written list of which findings must fire; the snapshot is written by
/// the tests (<see cref="FixtureSnapshot.UpdateVariable"/>=1) and reviewed like code.
/// </summary>
public sealed class FixtureSnapshotTests
{
    private static readonly string[] Dialects = ["claude-code", "codex", "chat", "copilot-cli", "gemini-cli-jsonl"];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Fixtures())
        {
            data.Add(Path.GetRelativePath(RepoPaths.Fixtures, file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Snapshot_matches(string relativePath)
    {
        var path = Path.Combine(RepoPaths.Fixtures, relativePath);
        var actual = FixtureSnapshot.Render(path);
        var snap = FixtureSnapshot.SnapPath(path);
        var expected = File.Exists(snap) ? File.ReadAllText(snap) : null;
        if (expected == actual)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(FixtureSnapshot.UpdateVariable) == "1")
        {
            File.WriteAllBytes(snap, new UTF8Encoding(false).GetBytes(actual));
            return;
        }

        if (expected is null)
        {
            Assert.Fail($"{relativePath} has no snapshot {Path.GetFileName(snap)}; run the tests with {FixtureSnapshot.UpdateVariable}=1 to write it, then review it.");
        }

        var diff = UnifiedDiff.Create(Path.GetRelativePath(RepoPaths.Fixtures, snap).Replace('\\', '/'), Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
        Assert.Fail($"{relativePath}: what users see changed (- snapshot, + now). If intended, run the tests with {FixtureSnapshot.UpdateVariable}=1 and review the rewritten .snap.\n{diff}");
    }

    [Fact]
    public void Every_snapshot_belongs_to_a_fixture()
    {
        var fixtures = Fixtures().Select(FixtureSnapshot.SnapPath).ToHashSet(StringComparer.Ordinal);
        var orphans = Dialects
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, d), "*.snap", SearchOption.AllDirectories))
            .Where(s => !fixtures.Contains(s))
            .Select(s => Path.GetRelativePath(RepoPaths.Fixtures, s))
            .ToList();
        orphans.ShouldBeEmpty("a .snap without its fixture is left over from a renamed or removed case");
    }

    [Fact]
    public void A_snapshot_shows_severity_column_message_and_the_fix_diff()
    {
        // Real behaviour on a real-shaped case: the killed-at-the-end Bash call gets an inserted error result.
        var text = FixtureSnapshot.Render(Path.Combine(RepoPaths.Fixtures, "claude-code", "TL3001", "fires-killed-during-tool-last-line.jsonl"));
        var block = text[text.IndexOf("\nTL3001 7:", StringComparison.Ordinal)..];
        block.ShouldContain(" error ");
        block.ShouldContain("  fix (safe): ");
        block.ShouldContain("\n    +8 {");
        block.ShouldContain("\"is_error\":true");
    }

    private static IEnumerable<string> Fixtures() =>
        Dialects
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, d), "*.jsonl", SearchOption.AllDirectories))
            .Where(f => !f.EndsWith("fixed.jsonl", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
