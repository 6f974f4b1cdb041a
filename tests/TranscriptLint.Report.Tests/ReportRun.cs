using System.Text;
using System.Text.Json;
using TranscriptLint.Cli;

namespace TranscriptLint.Tests;

/// <summary>Runs <c>transcriptlint report</c> in process and reads back the page and its data.</summary>
internal sealed class ReportRun
{
    private const string DataStart = "<script type=\"application/json\" id=\"tl-data\">";

    private ReportRun(int exit, string stderr, byte[] bytes, string path)
    {
        Exit = exit;
        Stderr = stderr;
        Bytes = bytes;
        Path = path;
        Html = Encoding.UTF8.GetString(bytes);
        var start = Html.IndexOf(DataStart, StringComparison.Ordinal) + DataStart.Length;
        var end = Html.IndexOf("</script>", start, StringComparison.Ordinal);
        DataJson = Html[start..end];
        Data = JsonDocument.Parse(DataJson).RootElement;
    }

    public int Exit { get; }

    public string Stderr { get; }

    public byte[] Bytes { get; }

    /// <summary>Where the report was written.</summary>
    public string Path { get; }

    public string Html { get; }

    /// <summary>The text of the data element, exactly as in the page.</summary>
    public string DataJson { get; }

    public JsonElement Data { get; }

    public JsonElement File(string pathEnd) => Data.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString()!.EndsWith(pathEnd, StringComparison.Ordinal));

    public static ReportRun Of(string outputDirectory, params string[] args)
    {
        Directory.CreateDirectory(outputDirectory);
        var output = System.IO.Path.Combine(outputDirectory, "report.html");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(["report", .. args, "-o", output], stdout, stderr);
        if (!System.IO.File.Exists(output))
        {
            throw new InvalidOperationException($"no report written (exit {exit}): {stderr}");
        }

        return new ReportRun(exit, stderr.ToString(), System.IO.File.ReadAllBytes(output), output);
    }
}

/// <summary>A temporary folder, deleted afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("tl-report-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a browser may still hold its profile folder for a moment
        }
    }
}
