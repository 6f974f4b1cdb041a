using System.Diagnostics;

namespace TranscriptLint.Tests;

/// <summary>
/// Headless Chromium (the Debian package, /usr/bin/chromium; .ci/install-tools installs it) opening a report from
/// file://, with a fresh profile and no network services.
/// </summary>
internal static class Chromium
{
    public static string? Binary { get; } = Find();

    /// <summary>The page's DOM after its scripts ran, and what the browser logged.</summary>
    public static (string Dom, string Log) DumpDom(string html, TimeSpan timeout)
    {
        var (stdout, stderr) = Run(timeout, "--dump-dom", new Uri(html).AbsoluteUri);
        return (stdout, stderr);
    }

    /// <summary>Takes a screenshot of the page (its top <paramref name="height"/> pixels, 1280 wide).</summary>
    public static string Screenshot(string html, string png, int height, TimeSpan timeout)
    {
        var (_, stderr) = Run(timeout, $"--screenshot={png}", $"--window-size=1280,{height}", "--hide-scrollbars", new Uri(html).AbsoluteUri);
        return stderr;
    }

    private static (string Out, string Err) Run(TimeSpan timeout, params string[] args)
    {
        var binary = Binary ?? throw new InvalidOperationException(ChromiumFactAttribute.Missing);
        var profile = Directory.CreateTempSubdirectory("tl-chromium-");
        try
        {
            var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
                $"--user-data-dir={profile.FullName}", .. args])
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within {timeout.TotalSeconds:0} s: {string.Join(' ', args)}");
            }

            p.WaitForExit();
            return (stdout.Result, stderr.Result);
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // a crashpad helper may still hold a file for a moment
            }
        }
    }

    private static string? Find()
    {
        foreach (var candidate in (string[])["/usr/bin/chromium", "/usr/bin/chromium-browser"])
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>
/// A fact that needs headless Chromium: skipped with the reason when it is not installed, except in CI (CI=true),
/// where a missing browser fails the test instead of hiding it.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Missing = "headless Chromium not found at /usr/bin/chromium: run .ci/install-tools (as root: apt-get install -y chromium)";

    public ChromiumFactAttribute()
    {
        if (Chromium.Binary is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = Missing;
        }
    }
}
