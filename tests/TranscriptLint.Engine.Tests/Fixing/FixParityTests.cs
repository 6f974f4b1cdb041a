using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Reporting;
using TranscriptLint.Sarif;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// The fix GitHub shows is the fix <c>fix</c> writes: for every fixture with a fix (found on disk, any dialect),
/// applying the SARIF replacements of the fixes one pass applies to the original text gives exactly the bytes of
/// that pass, safe fixes only and with unsafe ones.
/// </summary>
public class FixParityTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Every transcript under fixtures/ (the expectations and golden fixed outputs beside them left out).</summary>
    public static IReadOnlyList<string> Inputs { get; } = [.. Directory.EnumerateFiles(RepoPaths.Fixtures, "*", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
        .Where(f => !Path.GetFileName(f).Contains(".fixed.", StringComparison.Ordinal) && !Path.GetFileName(f).Contains(".unsafe-fixed.", StringComparison.Ordinal))
        .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)];

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var input in Inputs)
        {
            data.Add(input, false);
            data.Add(input, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Applying_the_sarif_replacements_gives_the_bytes_of_one_fix_pass(string fixture, bool includeUnsafe)
    {
        if (Pass(fixture, includeUnsafe) is not { } p)
        {
            return; // no fix the options allow
        }

        var expected = p.Pass.Fixed.ToArray();
        var actual = ApplySarif(p.Original, p.Replacements);
        if (System.Text.Unicode.Utf8.IsValid(p.Original))
        {
            Encoding.UTF8.GetString(actual).ShouldBe(Encoding.UTF8.GetString(expected), $"{fixture}: SARIF and the fixer disagree");
            actual.ShouldBe(expected, $"{fixture}: SARIF and the fixer disagree (bytes)");
        }
        else
        {
            // SARIF is text: where the file holds invalid UTF-8 outside the fixes, compare as decoded text.
            Text(actual).ShouldBe(Text(expected), $"{fixture}: SARIF and the fixer disagree");
        }
    }

    [Fact]
    public void Fixtures_with_fixes_are_found_in_every_dialect_and_their_fixes_apply()
    {
        var withFixes = Inputs.Select(i => (Input: i, Pass: Pass(i, includeUnsafe: true))).Where(p => p.Pass is not null).ToList();
        withFixes.Count.ShouldBeGreaterThan(60, "the parity theory must cover many fixtures");
        withFixes.Count(p => p.Pass!.Pass.Applied.Count > 0).ShouldBeGreaterThan(50);
        foreach (var family in new[] { "claude-code/", "codex/", "chat/", "gemini-cli/", "anthropic-messages/", "openai-chat/" })
        {
            withFixes.ShouldContain(p => p.Input.Contains(family, StringComparison.Ordinal) && p.Pass!.Pass.Applied.Count > 0, $"no fixture under {family} has a fix that applies");
        }
    }

    private sealed record PassAndSarif(byte[] Original, FixPass.Result Pass, List<(int Offset, int Length, string Text)> Replacements);

    /// <summary>One fix pass over the fixture and the SARIF replacements of the fixes it applied; null when nothing is fixable.</summary>
    private static PassAndSarif? Pass(string fixture, bool includeUnsafe)
    {
        var original = File.ReadAllBytes(Path.Combine(RepoPaths.Root, fixture));
        var engine = FixerHarness.NewEngine();
        FileLintResult lint;
        using (var stream = new MemoryStream(original, writable: false))
        {
            lint = engine.LintStream(stream, fixture);
        }

        var options = new FixOptions { IncludeUnsafe = includeUnsafe };
        var candidates = new TranscriptFixer(engine, options).Candidates(lint);
        if (candidates.Count == 0 || FixInvariants.RefuseFile(lint) is not null)
        {
            return null;
        }

        var plan = FixPlan.Create(candidates, options);
        var pass = FixPass.Apply(original, DialectRegistry.ByName(lint.Dialect)!, plan.Selected, lint);

        var (sarif, _) = SarifWriter.Build(
            new SarifRunInput { Results = [lint], Rules = [] },
            new SarifWriterOptions { SourceRoot = RepoPaths.Root, SourceRootUri = new Uri("file:///src/"), LocalPath = r => Path.Combine(RepoPaths.Root, r.Path) });
        var fixesByResult = SarifFixes(sarif);

        // SARIF results come in the log's order: by line, column, rule, end and message.
        var ordered = lint.Diagnostics
            .OrderBy(d => d.Location.StartLine).ThenBy(d => d.Location.StartColumn).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ThenBy(d => d.Location.EndLine).ThenBy(d => d.Location.EndColumn).ThenBy(d => d.Message, StringComparer.Ordinal)
            .ToList();
        fixesByResult.Count.ShouldBe(ordered.Count);
        var replacements = new List<(int, int, string)>();
        foreach (var applied in pass.Applied)
        {
            var diagnostic = lint.Diagnostics[applied.Candidate.ReportOrder];
            var index = ordered.FindIndex(d => ReferenceEquals(d, diagnostic));
            var fix = applied.Candidate.Fix;
            var sarifFix = fixesByResult[index].FirstOrDefault(f => f.Title == fix.Title && f.Applicability == fix.Applicability.ToString().ToLowerInvariant());
            sarifFix.ShouldNotBeNull($"{fixture}: '{fix.Title}' ({diagnostic.Id}, line {diagnostic.Location.StartLine}) was applied by the fixer but has no SARIF replacements");
            replacements.AddRange(sarifFix.Replacements);
        }

        // An edit two fixes share is made once by the pass (and shown in both fixes).
        return new PassAndSarif(original, pass, [.. replacements.Distinct()]);
    }

    private sealed record SarifFix(string Title, string Applicability, List<(int Offset, int Length, string Text)> Replacements);

    private static List<List<SarifFix>> SarifFixes(byte[] sarif)
    {
        using var doc = JsonDocument.Parse(sarif);
        var results = new List<List<SarifFix>>();
        foreach (var result in doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray())
        {
            var fixes = new List<SarifFix>();
            if (result.TryGetProperty("fixes", out var list))
            {
                foreach (var fix in list.EnumerateArray())
                {
                    var change = fix.GetProperty("artifactChanges").EnumerateArray().Single();
                    fixes.Add(new SarifFix(
                        fix.GetProperty("description").GetProperty("text").GetString()!,
                        fix.GetProperty("properties").GetProperty("applicability").GetString()!,
                        [.. change.GetProperty("replacements").EnumerateArray().Select(r => (
                            // A region of bytes (the byte order mark, before the text) is kept as a negative offset.
                            r.GetProperty("deletedRegion").TryGetProperty("byteOffset", out var bytes) ? -1 - bytes.GetInt32() : r.GetProperty("deletedRegion").GetProperty("charOffset").GetInt32(),
                            r.GetProperty("deletedRegion").TryGetProperty("charLength", out var length) ? length.GetInt32() : r.GetProperty("deletedRegion").TryGetProperty("byteLength", out var byteLength) ? byteLength.GetInt32() : 0,
                            r.TryGetProperty("insertedContent", out var inserted) ? inserted.GetProperty("text").GetString()! : ""))]));
                }
            }

            results.Add(fixes);
        }

        return results;
    }

    /// <summary>
    /// Applies SARIF replacements as a SARIF consumer does: to the UTF-16 text of the file, BOM excluded; a replacement
    /// of the mark's own bytes (byteOffset 0, byteLength 3: the only region of bytes we write) removes it.
    /// </summary>
    private static byte[] ApplySarif(byte[] original, List<(int Offset, int Length, string Text)> replacements)
    {
        var bom = original.AsSpan().StartsWith(Bom);
        var marks = replacements.Where(r => r.Offset < 0).ToList();
        marks.ShouldAllBe(r => r.Offset == -1 && r.Length == 3 && r.Text == "", "the only region of bytes is the whole mark, removed");
        var markRemoved = marks.Count > 0;
        (bom || !markRemoved).ShouldBeTrue("a replacement of the mark in a file without one");
        replacements = [.. replacements.Where(r => r.Offset >= 0)];
        var text = new StringBuilder(Encoding.UTF8.GetString(original, bom ? 3 : 0, original.Length - (bom ? 3 : 0)));
        var end = int.MaxValue;
        foreach (var (offset, length, inserted) in replacements.OrderByDescending(r => r.Offset).ThenByDescending(r => r.Length))
        {
            (offset + length).ShouldBeLessThanOrEqualTo(end, "the replacements of one pass overlap");
            text.Remove(offset, length).Insert(offset, inserted);
            end = offset;
        }

        return [.. bom && !markRemoved ? Bom : [], .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Text(byte[] bytes) => bytes.AsSpan().StartsWith(Bom) ? Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3) : Encoding.UTF8.GetString(bytes);
}
