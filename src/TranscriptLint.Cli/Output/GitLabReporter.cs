using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TranscriptLint.Cli.Commands;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// GitLab code quality report (a JSON array of issues, <c>artifacts:reports:codequality</c>): description,
/// check_name (rule id), a fingerprint unique per finding and stable across line shifts (the SARIF
/// <c>transcriptLint/v1</c> fingerprint with the path), severity and location.
/// </summary>
public sealed class GitLabReporter(ReportPaths paths) : IReporter
{
    public void Write(LintRun run, TextWriter output)
    {
        using var stream = new Utf8ToTextWriter(output); // written as it is made, as the JSON report is
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var result in run.Results.Where(r => r.Diagnostics.Count > 0))
            {
                var file = paths.Relative(result);
                foreach (var (d, fingerprint) in ReportPaths.Fingerprints(result))
                {
                    w.WriteStartObject();
                    w.WriteString("description", $"{d.Id}: {d.Message}");
                    w.WriteString("check_name", d.Id);
                    w.WriteString("fingerprint", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file + "\n" + fingerprint))));
                    w.WriteString("severity", d.Severity switch
                    {
                        Severity.Error => "major",
                        Severity.Warning => "minor",
                        _ => "info",
                    });
                    w.WriteStartArray("categories");
                    w.WriteStringValue("Bug Risk");
                    w.WriteEndArray();
                    w.WriteStartObject("location");
                    w.WriteString("path", file);
                    w.WriteStartObject("lines");
                    w.WriteNumber("begin", Math.Max(1, d.Location.StartLine));
                    w.WriteNumber("end", Math.Max(Math.Max(1, d.Location.StartLine), d.Location.EndLine));
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndObject();
                    Utf8ToTextWriter.FlushWhenFull(w);
                }
            }

            w.WriteEndArray();
        }

        output.WriteLine();
    }
}
