using System.Diagnostics;

namespace TranscriptLint.Tests;

/// <summary>
/// Runs the built <c>transcriptlint</c> on a pseudo-terminal (util-linux <c>script</c>), the way a person meets it:
/// standard input, output and error are all the terminal. What the program writes comes back as one stream, with
/// the terminal's CR LF line ends turned back into LF.
/// </summary>
internal static class Pty
{
    public static bool Available => OperatingSystem.IsLinux() && File.Exists("/usr/bin/script");

    /// <param name="workingDirectory">Where to run.</param>
    /// <param name="environment">Extra variables (null removes one); NO_COLOR, CI and GITHUB_ACTIONS are removed unless given.</param>
    /// <param name="typed">What the person types (each line is read by the program when it asks), or null.</param>
    /// <param name="args">The command line after <c>transcriptlint</c>.</param>
    public static (int Exit, string Output) Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string? typed, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "transcriptlint.dll");
        var command = string.Join(' ', new[] { "dotnet", dll }.Concat(args).Select(Quote));
        var psi = new ProcessStartInfo("script")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-qec");
        psi.ArgumentList.Add(command);
        psi.ArgumentList.Add("/dev/null");
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["TERM"] = "xterm-256color";
        psi.Environment["TRANSCRIPTLINT_PROGRESS_DELAY_MS"] = "600000"; // no progress line unless a test asks for one
        foreach (var name in new[] { "NO_COLOR", "CI", "GITHUB_ACTIONS", "TF_BUILD" })
        {
            psi.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }

        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (typed is not null)
        {
            // The terminal buffers what is typed until the program reads a line; stdin stays open so that script
            // does not hang up the terminal before the program has read it.
            p.StandardInput.Write(typed.Replace("\n", "\r", StringComparison.Ordinal));
            p.StandardInput.Flush();
        }

        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("transcriptlint on a terminal did not finish: " + command);
        }

        p.StandardInput.Close();
        return (p.ExitCode, (output.Result + error.Result).Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    /// <summary>The text without ANSI escape sequences.</summary>
    public static string Plain(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]", "");

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
