using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TranscriptLint.Cli.Commands;
using TranscriptLint.Reporting;

namespace TranscriptLint.Cli.Output;

/// <summary>Writes a lint run in one output format.</summary>
public interface IReporter
{
    void Write(LintRun run, TextWriter output);
}

/// <summary>Compiler-style lines (<c>path(line,col): error TL3001: message</c>) and a summary line.</summary>
public sealed class TextReporter : IReporter
{
    /// <summary>Colours severities and rule ids on a terminal; plain (the exact bytes of a redirected run) otherwise.</summary>
    public Painter Painter { get; init; } = Painter.Plain;

    /// <summary>--quiet: the findings only, no summary line.</summary>
    public bool Quiet { get; init; }

    /// <summary>--statistics: one line per rule with its count instead of one line per finding (Ruff's --statistics).</summary>
    public bool Statistics { get; init; }

    /// <summary>The finding lines were already written as each file finished; only the closing lines remain.</summary>
    public bool FindingsWritten { get; init; }

    public void Write(LintRun run, TextWriter output)
    {
        var all = run.Results.SelectMany(r => r.Diagnostics).ToList();
        if (Statistics)
        {
            WriteStatistics(all, output);
        }
        else if (!FindingsWritten)
        {
            foreach (var d in all)
            {
                output.WriteLine(Line(d, Painter));
            }
        }

        if (!Quiet)
        {
            output.WriteLine(Summary(run, all, Painter));
        }
    }

    /// <summary>One finding as one line: <c>path(line,col): severity ID: message [fix: safe]</c>.</summary>
    public static string Line(Diagnostic d, Painter painter)
    {
        var l = d.Location;
        var fix = d.Fixes.FirstOrDefault();
        var fixNote = fix is null ? "" : painter.Dim($" [fix: {fix.Applicability.ToString().ToLowerInvariant()}]");
        return $"{painter.Bold($"{l.Path}({l.StartLine},{l.StartColumn})")}: {painter.Severity(SeverityName(d.Severity))} {painter.Bold(d.Id)}: {d.Message}{fixNote}";
    }

    /// <summary>Counts per rule, most frequent first: <c>   5  TL3001  [*] tool-call-without-result</c>.</summary>
    public void WriteStatistics(IReadOnlyList<Diagnostic> all, TextWriter output)
    {
        var rows = all.GroupBy(d => d.Id, StringComparer.Ordinal)
            .Select(g => (Id: g.Key, Count: g.Count(), Name: g.First().Descriptor.Name, Severity: g.Max(d => d.Severity),
                Mark: g.Any(d => d.Fixes.Any(f => f.Applicability == Applicability.Safe)) ? "[*]" : g.Any(d => d.Fixes.Any(f => f.Applicability == Applicability.Unsafe)) ? "[~]" : "[ ]"))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        var width = rows.Count == 0 ? 1 : rows.Max(r => r.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        foreach (var r in rows)
        {
            var id = r.Severity switch
            {
                Severity.Error => Painter.Error(r.Id),
                Severity.Warning => Painter.Warning(r.Id),
                _ => Painter.Note(r.Id),
            };
            output.WriteLine($"{r.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)}  {id}  {r.Mark} {r.Name}");
        }

        if (rows.Count > 0 && !Quiet)
        {
            output.WriteLine(Painter.Dim("[*] fixable with 'transcriptlint fix', [~] with 'transcriptlint fix --unsafe-fixes', [ ] no automatic fix"));
        }
    }

    public static string SeverityName(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Note => "note",
        _ => "none",
    };

    /// <summary>The closing line: how many problems of which severity in how many files, and what is fixable.</summary>
    public static string Summary(LintRun run) => Summary(run, [.. run.Results.SelectMany(r => r.Diagnostics)], Painter.Plain);

    private static string Summary(LintRun run, List<Diagnostic> all, Painter painter)
    {
        var files = run.FileCount == 1 ? "1 file" : $"{run.FileCount} files";
        if (all.Count == 0)
        {
            return painter.Good($"No problems found in {files}.");
        }

        var errors = all.Count(d => d.Severity == Severity.Error);
        var warnings = all.Count(d => d.Severity == Severity.Warning);
        var notes = all.Count(d => d.Severity == Severity.Note);
        var withFindings = run.Results.Count(r => r.Diagnostics.Count > 0);
        var safe = all.Count(d => d.Fixes.Any(f => f.Applicability == Applicability.Safe));
        var unsafeFixes = all.Count(d => d.Fixes.Any(f => f.Applicability == Applicability.Unsafe));
        var sb = new StringBuilder();
        sb.Append(painter.Bold($"Found {Plural(all.Count, "problem")}"));
        sb.Append($" ({Plural(errors, "error")}, {Plural(warnings, "warning")}, {Plural(notes, "note")}) in {withFindings} of {files}.");
        if (safe > 0)
        {
            sb.Append($" {safe} fixable with 'transcriptlint fix'");
            sb.Append(unsafeFixes > 0 ? $", {unsafeFixes} more with '--unsafe-fixes'." : ".");
        }
        else if (unsafeFixes > 0)
        {
            sb.Append($" {unsafeFixes} fixable with 'transcriptlint fix --unsafe-fixes'.");
        }

        return sb.ToString();
    }

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}

/// <summary>A stable JSON document of the whole run (same input, same bytes).</summary>
public sealed class JsonReporter : IReporter
{
    public void Write(LintRun run, TextWriter output)
    {
        // Written as it is made: a run with tens of thousands of findings is tens of MB of JSON.
        using var stream = new Utf8ToTextWriter(output);
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("tool", "transcriptlint");
            w.WriteString("version", typeof(JsonReporter).Assembly.GetName().Version?.ToString(3));
            w.WriteStartArray("files");
            foreach (var r in run.Results)
            {
                w.WriteStartObject();
                w.WriteString("path", r.Path);
                w.WriteString("dialect", r.Dialect);
                w.WriteString("sha256", r.Sha256);
                w.WriteNumber("lines", r.LineCount);
                w.WriteStartArray("diagnostics");
                foreach (var d in r.Diagnostics)
                {
                    WriteDiagnostic(w, d);
                    Utf8ToTextWriter.FlushWhenFull(w);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("notifications");
            foreach (var n in run.Notifications)
            {
                w.WriteStartObject();
                w.WriteString("level", n.Level);
                w.WriteString("message", n.Message);
                if (n.RuleId is not null)
                {
                    w.WriteString("ruleId", n.RuleId);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.WriteLine();
    }

    private static void WriteDiagnostic(Utf8JsonWriter w, Diagnostic d)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", d.Id);
        w.WriteString("name", d.Descriptor.Name);
        w.WriteString("severity", TextReporter.SeverityName(d.Severity));
        w.WriteString("message", d.Message);
        var l = d.Location;
        w.WriteStartObject("location");
        w.WriteString("path", l.Path);
        w.WriteNumber("startLine", l.StartLine);
        w.WriteNumber("startColumn", l.StartColumn);
        w.WriteNumber("endLine", l.EndLine);
        w.WriteNumber("endColumn", l.EndColumn);
        if (l.EntryUuid is not null)
        {
            w.WriteString("uuid", l.EntryUuid);
        }

        if (l.JsonPointer is not null)
        {
            w.WriteString("jsonPointer", l.JsonPointer);
        }

        w.WriteEndObject();
        w.WriteStartArray("fixes");
        foreach (var f in d.Fixes)
        {
            w.WriteStartObject();
            w.WriteString("title", f.Title);
            w.WriteString("applicability", f.Applicability.ToString().ToLowerInvariant());
            w.WriteStartArray("edits");
            foreach (var e in f.Edits)
            {
                FixEditJson.Write(w, e);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
