using System.Text;
using TranscriptLint.Cli.Commands;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;
using TranscriptLint.Reporting.Html;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// The self-contained HTML report (<c>transcriptlint report</c>, <c>lint --format html</c>). The lint result has the
/// findings but not the transcript's text, so each file is read again with only <see cref="ReportCapture"/> running,
/// in the dialect the lint used; a file that changed since it was linted is shown with a note and no fix "before".
/// </summary>
/// <param name="showSecrets">Show the credentials TL5001 found instead of masking them.</param>
public sealed class HtmlReporter(bool showSecrets = false) : IReporter, IBinaryReporter
{
    public void Write(LintRun run, TextWriter output) => output.Write(Encoding.UTF8.GetString(Render(run)));

    /// <summary>The report's bytes (UTF-8), as written to a file.</summary>
    public byte[] Render(LintRun run)
    {
        var options = new HtmlReportOptions { ShowSecrets = showSecrets };
        var inputs = run.Results.Select(r => Capture(r, run.Engine.Options, options)).ToList();
        return HtmlReportWriter.Write(inputs, [.. run.Notifications.Where(n => n.Path is null)], options);
    }

    private static ReportInput Capture(FileLintResult result, LintOptions lintOptions, HtmlReportOptions options)
    {
        if (result.Path == "<stdin>")
        {
            return new ReportInput(result, null, null, "Read from standard input: the conversation is not kept, so only the findings are listed.");
        }

        var path = ReportPaths.LocalPath(result);
        var capture = new ReportCapture(options.MaxValueChars, ReportCapture.SecretPointersOf(result));
        var engine = new LintEngine(
            [new LoadedRule(capture, "html-report")],
            new LintOptions
            {
                Profile = lintOptions.Profile,
                MaxLineBytes = lintOptions.MaxLineBytes,
                Dialect = DialectRegistry.ByName(result.Dialect) is not null ? result.Dialect : null,
            });
        try
        {
            var again = engine.LintFile(path, result.Path);
            if (again.Sha256 != result.Sha256)
            {
                return new ReportInput(result, capture, null, "The file changed after it was linted: the conversation shown is its current content, and fixes show only their new text.");
            }

            return new ReportInput(result, capture, (offset, length) => ReadAt(path, offset, length));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new ReportInput(result, null, null, $"The file could not be read again for the report ({ex.Message}); only the findings are listed.");
        }
    }

    private static byte[] ReadAt(string path, long offset, int length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[Math.Max(0, (int)Math.Min(length, RandomAccess.GetLength(handle) - offset))];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read), offset + read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read == buffer.Length ? buffer : buffer[..read];
    }
}

/// <summary>A reporter whose output is bytes written as they are (no re-encoding through a string).</summary>
public interface IBinaryReporter
{
    byte[] Render(LintRun run);
}
