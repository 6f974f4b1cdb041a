using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests;

/// <summary>
/// What a user sees for one fixture, as reviewable text (Ruff/insta style): one block per finding with
/// <c>ID line:col severity message</c>, then each fix's applicability and title and a compact diff of the
/// lines applying that fix alone changes (unchanged lines left out; a changed line shown as its changed part
/// with a little context).
/// </summary>
internal static class FixtureSnapshot
{
    /// <summary>Set to 1 to rewrite every snapshot that differs (or is missing) instead of failing.</summary>
    public const string UpdateVariable = "TL_UPDATE_SNAPSHOTS";

    private const int Context = 30;
    private const int MaxShown = 2000;

    public static string SnapPath(string fixturePath) => Path.ChangeExtension(fixturePath, ".snap");

    /// <summary>Lints the fixture (with its .expected file's profile and options) and renders the snapshot.</summary>
    public static string Render(string fixturePath)
    {
        var options = RuleHarness.OptionsFor(Path.ChangeExtension(fixturePath, ".expected"));
        var engine = new LintEngine(RuleHarness.Rules, options);
        var bytes = File.ReadAllBytes(fixturePath);
        var name = Path.GetFileName(fixturePath);
        FileLintResult result;
        using (var stream = new MemoryStream(bytes, writable: false))
        {
            result = engine.LintStream(stream, name);
        }

        var sb = new StringBuilder();
        sb.Append("# Snapshot of ").Append(name).Append(": every finding and what each fix changes. Written by the tests;\n");
        sb.Append("# review changes to it like code. ").Append(UpdateVariable).Append("=1 dotnet test rewrites it (docs/testing.md).\n");
        if (result.Diagnostics.Count == 0)
        {
            sb.Append("\n(no findings)\n");
        }

        foreach (var d in result.Diagnostics)
        {
            sb.Append('\n').Append(d.Id).Append(' ')
                .Append(d.Location.StartLine.ToString(CultureInfo.InvariantCulture)).Append(':')
                .Append(d.Location.StartColumn.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(d.Severity.ToString().ToLowerInvariant()).Append(' ')
                .Append(OneLine(d.Message)).Append('\n');
            foreach (var fix in d.Fixes)
            {
                sb.Append("  fix (").Append(fix.Applicability.ToString().ToLowerInvariant()).Append("): ").Append(OneLine(fix.Title)).Append('\n');
                AppendFixDiff(sb, engine, bytes, name, d.Id, fix);
            }
        }

        return sb.ToString();
    }

    /// <summary>Applies one fix alone, as <c>fix</c> would in its first pass, and writes the lines it changes.</summary>
    private static void AppendFixDiff(StringBuilder sb, LintEngine engine, byte[] original, string name, string ruleId, Fix fix)
    {
        if (fix.Applicability == Applicability.DisplayOnly)
        {
            sb.Append("    (display only: never applied)\n");
            return;
        }

        var fixer = new TranscriptFixer(engine, new FixOptions { IncludeUnsafe = true, MaxPasses = 1 });
        var sha = Convert.ToHexStringLower(SHA256.HashData(original));
        var outcome = fixer.Fix(original, name, new RecordedFindings(name, sha, [new RecordedFix(ruleId, fix)]));
        if (outcome.Rejected.Count > 0)
        {
            sb.Append("    (not applied: ").Append(OneLine(outcome.Rejected[0].Reason)).Append(")\n");
            return;
        }

        if (outcome.Restoration is { } restoration)
        {
            sb.Append("    ~ ").Append(restoration.Detail).Append(" (").Append(outcome.Fixed.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes)\n");
            return;
        }

        var diff = UnifiedDiff.Create(name, original, outcome.Fixed);
        if (diff.Length == 0)
        {
            sb.Append("    (changes nothing)\n");
            return;
        }

        foreach (var run in Runs(diff))
        {
            var removed = run.Where(l => l.Op == '-').ToList();
            var added = run.Where(l => l.Op == '+').ToList();
            var pairs = Pairs(removed, added);
            foreach (var line in run)
            {
                if (pairs.TryGetValue(line, out var partner))
                {
                    // A line changed in place: only its changed part, with some context either side.
                    var (before, after) = Changed(line.Text, partner.Text);
                    sb.Append("    -").Append(Number(line.Number)).Append(' ').Append(before).Append('\n');
                    sb.Append("    +").Append(Number(partner.Number)).Append(' ').Append(after).Append('\n');
                }
                else if (line.Op == '-' || !pairs.ContainsValue(line))
                {
                    sb.Append("    ").Append(line.Op).Append(Number(line.Number)).Append(' ').Append(Shown(line.Text)).Append('\n');
                }
            }
        }
    }

    private sealed record DiffLine(char Op, int Number, string Text);

    // The changed lines of a unified diff, numbered (original numbers for '-', new ones for '+'), in runs of
    // consecutive changes; context lines and file headers left out.
    private static List<List<DiffLine>> Runs(string diff)
    {
        var runs = new List<List<DiffLine>>();
        int a = 0, b = 0;
        var inRun = false;
        foreach (var line in diff.Split('\n').Skip(2))
        {
            if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                a = int.Parse(parts[1].TrimStart('-').Split(',')[0], CultureInfo.InvariantCulture);
                b = int.Parse(parts[2].TrimStart('+').Split(',')[0], CultureInfo.InvariantCulture);
                // An empty side names the line before it.
                a += parts[1].EndsWith(",0", StringComparison.Ordinal) ? 1 : 0;
                b += parts[2].EndsWith(",0", StringComparison.Ordinal) ? 1 : 0;
                inRun = false;
            }
            else if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            else if (line[0] == ' ')
            {
                a++;
                b++;
                inRun = false;
            }
            else if (line[0] is '-' or '+')
            {
                if (!inRun)
                {
                    runs.Add([]);
                    inRun = true;
                }

                runs[^1].Add(new DiffLine(line[0], line[0] == '-' ? a++ : b++, line[1..]));
            }
            else if (line[0] == '\\' && runs.Count > 0)
            {
                runs[^1].Add(new DiffLine('\\', 0, line[1..]));
            }
        }

        return runs;
    }

    // Pairs a removed line with the added line that is mostly the same bytes (a value changed in place).
    private static Dictionary<DiffLine, DiffLine> Pairs(List<DiffLine> removed, List<DiffLine> added)
    {
        var pairs = new Dictionary<DiffLine, DiffLine>();
        var next = 0;
        foreach (var r in removed)
        {
            for (var j = next; j < added.Count; j++)
            {
                var (prefix, suffix) = Common(r.Text, added[j].Text);
                if (2 * (prefix + suffix) >= Math.Max(r.Text.Length, added[j].Text.Length))
                {
                    pairs[r] = added[j];
                    next = j + 1;
                    break;
                }
            }
        }

        return pairs;
    }

    private static string Number(int n) => n == 0 ? "" : n.ToString(CultureInfo.InvariantCulture);

    private static (int Prefix, int Suffix) Common(string a, string b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        return (prefix, suffix);
    }

    private static (string Before, string After) Changed(string a, string b)
    {
        var (prefix, suffix) = Common(a, b);
        var from = Math.Max(0, prefix - Context);
        return (Window(a, from, prefix, suffix), Window(b, from, prefix, suffix));
    }

    private static string Window(string s, int from, int prefix, int suffix)
    {
        var to = Math.Min(s.Length, s.Length - suffix + Context);
        var middle = s[prefix..(s.Length - suffix)];
        return (from > 0 ? "…" : "") + s[from..prefix] + Shown(middle) + s[(s.Length - suffix)..to] + (to < s.Length ? "…" : "");
    }

    // Very long text (an image, a large tool result) keeps its head and tail.
    private static string Shown(string text) =>
        text.Length <= MaxShown ? text : text[..(MaxShown / 2)] + $"…[{(text.Length - MaxShown).ToString(CultureInfo.InvariantCulture)} chars]…" + text[^(MaxShown / 2)..];

    private static string OneLine(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
