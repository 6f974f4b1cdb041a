using System.Text;
using TranscriptLint.Cli.Commands;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// GitHub Actions workflow commands: one <c>::error file=…,line=…,col=…,title=TL3001::message</c> per finding
/// (<c>::warning</c>, <c>::notice</c> for the others), which GitHub shows as annotations on the pull request, then
/// the summary line. Values are escaped the way GitHub's toolkit does (<c>%</c>, CR, LF; in properties also <c>:</c> and <c>,</c>).
/// </summary>
public sealed class GitHubReporter(ReportPaths paths) : IReporter
{
    public void Write(LintRun run, TextWriter output)
    {
        foreach (var result in run.Results)
        {
            var file = result.Diagnostics.Count == 0 ? "" : paths.Relative(result);
            foreach (var d in result.Diagnostics)
            {
                var l = d.Location;
                var level = d.Severity switch
                {
                    Severity.Error => "error",
                    Severity.Warning => "warning",
                    _ => "notice",
                };
                var properties = new StringBuilder()
                    .Append("file=").Append(Property(file))
                    .Append(",line=").Append(Math.Max(1, l.StartLine))
                    .Append(",col=").Append(Math.Max(1, l.StartColumn));
                if (l.EndLine >= l.StartLine && l.EndLine > 0)
                {
                    properties.Append(",endLine=").Append(l.EndLine);
                    if (l.EndLine == l.StartLine && l.EndColumn >= l.StartColumn)
                    {
                        properties.Append(",endColumn=").Append(l.EndColumn);
                    }
                }

                properties.Append(",title=").Append(Property(d.Id));
                output.WriteLine($"::{level} {properties}::{Data(d.Message)}");
            }
        }

        output.WriteLine(TextReporter.Summary(run));
    }

    /// <summary>Escapes a message (the text after <c>::</c>).</summary>
    public static string Data(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>Escapes a property value (<c>file=</c>, <c>title=</c>).</summary>
    public static string Property(string value) =>
        Data(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
