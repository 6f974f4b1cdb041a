using System.Globalization;
using System.Xml;
using TranscriptLint.Cli.Commands;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// JUnit XML for CI test reports (GitLab, Jenkins, Azure DevOps): one test suite per transcript, one failed test case
/// per finding (type = rule id), and one passing case for a transcript without findings.
/// </summary>
public sealed class JUnitReporter(ReportPaths paths) : IReporter
{
    public void Write(LintRun run, TextWriter output)
    {
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", OmitXmlDeclaration = false, Encoding = new System.Text.UTF8Encoding(false) };
        var total = run.Results.Sum(r => Math.Max(1, r.Diagnostics.Count));
        var failures = run.Results.Sum(r => r.Diagnostics.Count);
        using var stream = new Utf8ToTextWriter(output); // written as it is made, as the JSON report is
        using (var w = XmlWriter.Create(stream, settings))
        {
            w.WriteStartElement("testsuites");
            w.WriteAttributeString("name", "transcriptlint");
            w.WriteAttributeString("tests", Num(total));
            w.WriteAttributeString("failures", Num(failures));
            w.WriteAttributeString("errors", Num(run.Failures.Count));
            foreach (var result in run.Results)
            {
                var file = paths.Relative(result);
                w.WriteStartElement("testsuite");
                w.WriteAttributeString("name", file);
                w.WriteAttributeString("tests", Num(Math.Max(1, result.Diagnostics.Count)));
                w.WriteAttributeString("failures", Num(result.Diagnostics.Count));
                w.WriteAttributeString("errors", "0");
                if (result.Diagnostics.Count == 0)
                {
                    TestCase(w, file, "no problems");
                    w.WriteEndElement();
                }

                foreach (var d in result.Diagnostics)
                {
                    var l = d.Location;
                    TestCase(w, file, $"{d.Id} {d.Descriptor.Name} at line {l.StartLine}, column {l.StartColumn}");
                    w.WriteStartElement("failure");
                    w.WriteAttributeString("type", d.Id);
                    w.WriteAttributeString("message", d.Message);
                    w.WriteString($"{TextReporter.SeverityName(d.Severity)} {d.Id}: {d.Message}\n{file}({l.StartLine},{l.StartColumn})" + (d.Descriptor.HelpUri is { } help ? $"\n{help}" : ""));
                    w.WriteEndElement();
                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            if (run.Failures.Count > 0)
            {
                // A plugin that did not load or a rule that crashed: the run is incomplete, which is an error, not a finding.
                w.WriteStartElement("testsuite");
                w.WriteAttributeString("name", "transcriptlint");
                w.WriteAttributeString("tests", Num(run.Failures.Count));
                w.WriteAttributeString("failures", "0");
                w.WriteAttributeString("errors", Num(run.Failures.Count));
                var i = 0;
                foreach (var failure in run.Failures)
                {
                    TestCase(w, "transcriptlint", $"tool failure {++i}" + (failure.RuleId is null ? "" : $" ({failure.RuleId})"));
                    w.WriteStartElement("error");
                    w.WriteAttributeString("message", failure.Message);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        output.WriteLine();
    }

    private static void TestCase(XmlWriter w, string file, string name)
    {
        w.WriteStartElement("testcase");
        w.WriteAttributeString("classname", file);
        w.WriteAttributeString("name", name);
        w.WriteAttributeString("file", file);
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
