namespace TranscriptLint.Tests;

/// <summary>What transcriptlint prints is UTF-8 whatever the locale's charset: JSON and SARIF must be, and a path or a quoted text with non-ASCII characters must reach a log intact.</summary>
public sealed class OutputEncodingTests
{
    [Fact]
    public void A_latin1_locale_still_gets_utf8_output()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the console's code page is the user's there (setting it would outlive the process)
        }

        var dir = Directory.CreateTempSubdirectory("tl-encoding-").FullName;
        var transcript = Path.Combine(dir, "sesión-über.jsonl");
        File.Copy(Path.Combine(RepoPaths.Fixtures, "samples", "b-crash-mid-tool.jsonl"), transcript);
        var latin1 = new Dictionary<string, string?> { ["LANG"] = "de_DE.ISO-8859-1", ["LC_ALL"] = "de_DE.ISO-8859-1" };

        var (exit, stdout, _) = CliProcess.RunForBytes(dir, null, latin1, "lint", transcript);

        exit.ShouldBe(1);
        var text = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(stdout); // throws on Latin-1 bytes
        text.ShouldContain("sesión-über.jsonl");
        stdout.AsSpan().StartsWith(System.Text.Encoding.UTF8.Preamble).ShouldBeFalse("no byte-order mark before the first finding");
        Directory.Delete(dir, recursive: true);
    }
}
