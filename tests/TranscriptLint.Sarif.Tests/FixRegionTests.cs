using System.Text;
using System.Text.Json;
using TranscriptLint.Tests;

namespace TranscriptLint.Sarif.Tests;

/// <summary>
/// SARIF fixes are text replacements in the ORIGINAL file: their line/column regions and charOffset/charLength
/// must denote the same text, and applying them must repair what the finding reports.
/// </summary>
public class FixRegionTests
{
    /// <summary>A SARIF replacement; <paramref name="MarkBytes"/>: a region of bytes (the byte order mark), with no text coordinates.</summary>
    internal sealed record Replacement(int StartLine, int StartColumn, int EndLine, int EndColumn, int CharOffset, int CharLength, string Inserted, (int Offset, int Length)? MarkBytes = null);

    internal sealed record SarifResultFix(string RuleId, int Line, string Description, string Applicability, List<Replacement> Replacements);

    internal static List<SarifResultFix> Fixes(byte[] sarif)
    {
        using var doc = JsonDocument.Parse(sarif);
        var list = new List<SarifResultFix>();
        foreach (var result in doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray())
        {
            if (!result.TryGetProperty("fixes", out var fixes))
            {
                continue;
            }

            var line = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32();
            foreach (var fix in fixes.EnumerateArray())
            {
                var change = fix.GetProperty("artifactChanges").EnumerateArray().Single();
                var replacements = change.GetProperty("replacements").EnumerateArray().Select(r =>
                {
                    var d = r.GetProperty("deletedRegion");
                    if (d.TryGetProperty("byteOffset", out var byteOffset))
                    {
                        d.TryGetProperty("charOffset", out _).ShouldBeFalse("a region of bytes has no text coordinates");
                        return new Replacement(0, 0, 0, 0, 0, 0, r.TryGetProperty("insertedContent", out var text) ? text.GetProperty("text").GetString()! : "", (byteOffset.GetInt32(), d.GetProperty("byteLength").GetInt32()));
                    }

                    return new Replacement(
                        d.GetProperty("startLine").GetInt32(),
                        d.GetProperty("startColumn").GetInt32(),
                        d.GetProperty("endLine").GetInt32(),
                        d.GetProperty("endColumn").GetInt32(),
                        d.GetProperty("charOffset").GetInt32(),
                        d.TryGetProperty("charLength", out var len) ? len.GetInt32() : 0,
                        r.TryGetProperty("insertedContent", out var ins) ? ins.GetProperty("text").GetString()! : "");
                }).ToList();
                list.Add(new SarifResultFix(
                    result.GetProperty("ruleId").GetString()!,
                    line,
                    fix.GetProperty("description").GetProperty("text").GetString()!,
                    fix.GetProperty("properties").GetProperty("applicability").GetString()!,
                    replacements));
            }
        }

        return list;
    }

    /// <summary>The file as SARIF sees text: UTF-8 decoded, BOM excluded.</summary>
    internal static string OriginalText(string relativePath)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Root, relativePath));
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
    }

    /// <summary>Offset of a 1-based line/column, counting lines by '\n' as SARIF does.</summary>
    private static int OffsetOf(string text, int line, int column)
    {
        var offset = 0;
        for (var l = 1; l < line; l++)
        {
            var nl = text.IndexOf('\n', offset);
            nl.ShouldBeGreaterThanOrEqualTo(0, $"line {line} is past the end of the text");
            offset = nl + 1;
        }

        return offset + column - 1;
    }

    internal static string Apply(string text, IEnumerable<Replacement> replacements)
    {
        var sb = new StringBuilder(text);
        foreach (var r in replacements.Where(r => r.MarkBytes is null).OrderByDescending(r => r.CharOffset)) // the text excludes the mark already
        {
            sb.Remove(r.CharOffset, r.CharLength).Insert(r.CharOffset, r.Inserted);
        }

        return sb.ToString();
    }

    public static TheoryData<string> FixtureCasesWithFixes()
    {
        var data = new TheoryData<string>();
        foreach (var f in SarifFixtures.All)
        {
            if (SarifFixtures.Lint(f)[0].Diagnostics.Any(d => d.Fixes.Count > 0))
            {
                data.Add(f);
            }
        }

        return data;
    }

    [Fact]
    public void Most_fires_fixtures_carry_fixes()
    {
        // The theories below are only meaningful if fixes are actually written.
        FixtureCasesWithFixes().Count.ShouldBeGreaterThan(15);
    }

    [Theory]
    [MemberData(nameof(FixtureCasesWithFixes))]
    public void Line_column_regions_agree_with_char_offset_and_length(string fixture)
    {
        var results = SarifFixtures.Lint(fixture);
        var (bytes, _) = SarifFixtures.Write(results);
        var fixes = Fixes(bytes);
        // Restoring a file damaged as a whole has no text form: it is the one fix without a SARIF replacement.
        var withText = results[0].Diagnostics.Sum(d => d.Fixes.Count(f => !f.Edits.Any(e => e is Fixes.RestoreTranscript)));
        fixes.Count.ShouldBe(withText, "every other computed fix is written as a SARIF fix");
        var text = OriginalText(fixture);
        foreach (var fix in fixes)
        {
            var previousEnd = -1;
            foreach (var r in fix.Replacements)
            {
                if (r.MarkBytes is { } mark)
                {
                    // The byte order mark's removal: its three bytes, before any character of the text.
                    (mark, r.Inserted).ShouldBe(((0, 3), ""));
                    File.ReadAllBytes(Path.Combine(RepoPaths.Root, fixture)).AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]).ShouldBeTrue();
                    continue;
                }

                var start = OffsetOf(text, r.StartLine, r.StartColumn);
                var end = OffsetOf(text, r.EndLine, r.EndColumn);
                start.ShouldBe(r.CharOffset, $"{fix.Description}: start of {r}");
                (end - start).ShouldBe(r.CharLength, $"{fix.Description}: length of {r}");
                (end <= text.Length).ShouldBeTrue();
                r.CharOffset.ShouldBeGreaterThan(previousEnd, "replacements are sorted and do not overlap");
                previousEnd = r.CharOffset + r.CharLength;
            }
        }
    }

    [Theory]
    [MemberData(nameof(FixtureCasesWithFixes))]
    public void Applying_one_sarif_fix_to_the_original_text_repairs_its_finding(string fixture)
    {
        var results = SarifFixtures.Lint(fixture);
        var (bytes, _) = SarifFixtures.Write(results);
        var text = OriginalText(fixture);
        var engine = SarifFixtures.Engine();
        foreach (var fix in Fixes(bytes))
        {
            var before = results[0].Diagnostics.Count(d => d.Id == fix.RuleId);
            var fixedText = Apply(text, fix.Replacements);
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(fixedText));
            var after = engine.LintStream(stream, fixture).Diagnostics.Count(d => d.Id == fix.RuleId);
            after.ShouldBeLessThan(before, $"{fixture}: applying '{fix.Description}' (line {fix.Line}) as text did not remove a {fix.RuleId} finding");
        }
    }

    [Fact]
    public void Deleting_an_entry_deletes_its_whole_line_with_the_terminator()
    {
        const string fixture = "fixtures/claude-code/TL1003/fires-consecutive-duplicate-line.jsonl";
        var results = SarifFixtures.Lint(fixture);
        var finding = results[0].Diagnostics.Single(d => d.Id == "TL1003");
        var fix = Fixes(SarifFixtures.Write(results).Bytes).Single(f => f.RuleId == "TL1003");
        var r = fix.Replacements.Single();
        var line = finding.Location.StartLine;
        (r.StartLine, r.StartColumn, r.EndLine, r.EndColumn).ShouldBe((line, 1, line + 1, 1));
        r.Inserted.ShouldBe("");
        var text = OriginalText(fixture);
        var lines = text.Split('\n');
        text.Substring(r.CharOffset, r.CharLength).ShouldBe(lines[line - 1] + "\n");
    }

    [Fact]
    public void An_inserted_entry_is_written_by_the_dialect_at_the_start_of_the_next_line()
    {
        const string fixture = "fixtures/claude-code/common/b-crash-mid-tool.jsonl";
        var results = SarifFixtures.Lint(fixture);
        var finding = results[0].Diagnostics.Single(d => d.Id == "TL3001");
        var fix = Fixes(SarifFixtures.Write(results).Bytes).Single(f => f.RuleId == "TL3001");
        var insert = fix.Replacements.First(r => r.CharLength == 0);
        (insert.StartLine, insert.StartColumn).ShouldBe((finding.Location.StartLine + 1, 1));
        insert.Inserted.ShouldEndWith("\n");
        using var inserted = JsonDocument.Parse(insert.Inserted);
        var root = inserted.RootElement;
        root.GetProperty("type").GetString().ShouldBe("user");
        root.GetProperty("parentUuid").GetString().ShouldBe(finding.Location.EntryUuid);
        var block = root.GetProperty("message").GetProperty("content")[0];
        block.GetProperty("type").GetString().ShouldBe("tool_result");
        block.GetProperty("is_error").GetBoolean().ShouldBeTrue();
        root.GetProperty("sessionId").GetString().ShouldNotBeNullOrEmpty("envelope fields are copied from the anchor, as Claude Code writes them");
    }
}
