using System.Diagnostics;

namespace TranscriptLint.Tests;

/// <summary>Runs the built <c>transcriptlint</c> as a separate process, the way a user or CI does.</summary>
internal static class CliProcess
{
    public static (int Exit, string Out, string Err) RunIn(string workingDirectory, params string[] args) => RunWithInput(workingDirectory, null, args);

    public static (int Exit, string Out, string Err) RunWithInput(string workingDirectory, byte[]? stdin, params string[] args) =>
        RunWithEnvironment(workingDirectory, stdin, new Dictionary<string, string?>(), args);

    /// <summary>Runs with extra environment variables (a null value removes one), e.g. HOME pointing at a fake home.</summary>
    public static (int Exit, string Out, string Err) RunWithEnvironment(string workingDirectory, byte[]? stdin, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var (exit, stdout, stderr) = RunForBytes(workingDirectory, stdin, environment, args);
        return (exit, System.Text.Encoding.UTF8.GetString(stdout), stderr);
    }

    /// <summary>As <see cref="RunWithEnvironment"/>, with standard output as the bytes the process wrote.</summary>
    public static (int Exit, byte[] Out, string Err) RunForBytes(string workingDirectory, byte[]? stdin, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "transcriptlint.dll");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_NOLOGO"] = "1";
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
        if (stdin is not null)
        {
            p.StandardInput.BaseStream.Write(stdin);
            p.StandardInput.Close();
        }

        var stdout = new MemoryStream();
        var copied = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("transcriptlint did not finish: " + string.Join(' ', args));
        }

        copied.Wait();
        return (p.ExitCode, stdout.ToArray(), stderr.Result);
    }

    public static (int Exit, string Out, string Err) Run(params string[] args) => RunIn(RepoPaths.Root, args);
}
