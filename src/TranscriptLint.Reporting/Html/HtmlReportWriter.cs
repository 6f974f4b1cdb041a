using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace TranscriptLint.Reporting.Html;

/// <summary>
/// Writes the HTML report: one self-contained file (inline CSS and script, no network, works from file://). The data
/// is one JSON document in a <c>&lt;script type="application/json"&gt;</c> element with every <c>&lt;</c> written as
/// <c>\u003c</c>, so no value can end the element; the page's script builds the DOM from it with
/// <c>textContent</c> only. A Content-Security-Policy allows nothing but that one script (by hash) and inline styles.
/// </summary>
public static class HtmlReportWriter
{
    private static readonly Lazy<string> Template = new(() => Resource("report.html"));
    private static readonly Lazy<string> Style = new(() => Resource("report.css"));
    private static readonly Lazy<string> Script = new(() => Resource("report.js"));

    /// <summary>The report as UTF-8 bytes, within <see cref="HtmlReportOptions.BudgetFor"/> of the inputs' size.</summary>
    /// <param name="inputs">The transcripts, in any order (the report lists the worst first).</param>
    /// <param name="notifications">Notifications of the run not tied to one file.</param>
    /// <param name="options">How to write it.</param>
    /// <returns>The HTML.</returns>
    public static byte[] Write(IReadOnlyList<ReportInput> inputs, IReadOnlyList<ToolNotification> notifications, HtmlReportOptions options)
    {
        var inputBytes = inputs.Sum(i => i.Result.Length);
        var budget = HtmlReportOptions.BudgetFor(inputBytes);

        // Texts take most of the page: give them most of the budget, and cut them shorter until the page fits.
        var valueChars = options.MaxValueChars;
        var contentBudget = (inputBytes * 3 / 4) + (512 * 1024);
        byte[] html;
        while (true)
        {
            html = Render(ReportData.Write(inputs, notifications, options, valueChars, contentBudget), inputs, options);
            if (html.Length <= budget || valueChars <= 64)
            {
                return html;
            }

            valueChars /= 4;
            contentBudget /= 2;
        }
    }

    /// <summary>The Content-Security-Policy of every report.</summary>
    public static string ContentSecurityPolicy =>
        $"default-src 'none'; script-src 'sha256-{ScriptHash()}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

    private static string ScriptHash() => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Script.Value)));

    // The page is written once into an array of its exact size: the data and the page were each copied twice on the
    // way (a growing stream, then its array), which for a session with a finding on every line was most of the peak.
    private static byte[] Render(ReadOnlySpan<byte> json, IReadOnlyList<ReportInput> inputs, HtmlReportOptions options)
    {
        var findings = inputs.Sum(i => i.Result.Diagnostics.Count);
        var title = inputs.Count == 1
            ? $"TranscriptLint: {inputs[0].Result.Path} ({findings} findings)"
            : $"TranscriptLint: {inputs.Count} transcripts ({findings} findings)";
        var parts = Template.Value.Split("{{DATA}}");
        var head = Encoding.UTF8.GetBytes(parts[0]
            .Replace("{{CSP}}", WebUtility.HtmlEncode(ContentSecurityPolicy), StringComparison.Ordinal)
            .Replace("{{TITLE}}", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("{{STYLE}}", Style.Value, StringComparison.Ordinal));
        var tail = Encoding.UTF8.GetBytes(parts[1].Replace("{{SCRIPT}}", Script.Value, StringComparison.Ordinal));
        _ = options;

        var html = new byte[head.Length + json.Length + (json.Count((byte)'<') * (Escaped.Length - 1)) + tail.Length];
        head.CopyTo(html, 0);
        var written = head.Length + WriteEscapedJson(html.AsSpan(head.Length), json);
        tail.CopyTo(html, written);
        return html;
    }

    private static ReadOnlySpan<byte> Escaped => "\\u003c"u8;

    // '<' only occurs inside JSON strings, where \u003c means the same: the HTML parser never sees "</script" or "<!--".
    private static int WriteEscapedJson(Span<byte> output, ReadOnlySpan<byte> json)
    {
        var written = 0;
        int lt;
        while ((lt = json.IndexOf((byte)'<')) >= 0)
        {
            json[..lt].CopyTo(output[written..]);
            written += lt;
            Escaped.CopyTo(output[written..]);
            written += Escaped.Length;
            json = json[(lt + 1)..];
        }

        json.CopyTo(output[written..]);
        return written + json.Length;
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("TranscriptLint.Reporting.Html." + name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);

        // One line ending whatever the checkout's: the script's hash and the report's bytes do not depend on git settings.
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
