using TranscriptLint.Cli;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Hosting;

// The CLI writes to the real stdout/stderr it takes here; from now on Console.Out/Error belong to plugins and are
// captured, so nothing a rule prints can corrupt JSON or SARIF on stdout.
// Output is UTF-8 whatever the locale says: JSON and SARIF must be, and transcripts are. Set before the first use, it
// also spares the start-up the locale's charset lookup (about 10 ms of a cold run). Not on Windows, where setting it
// changes the code page of the user's console beyond this process.
if (!OperatingSystem.IsWindows())
{
    Console.OutputEncoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}

var stdout = Console.Out;
var stderr = Console.Error;
PluginConsole.Install(captureEverythingElse: true);

// A plugin may call Environment.Exit: the process ends with its exit code and no report. At least say so.
var finished = false;
AppDomain.CurrentDomain.ProcessExit += (_, _) =>
{
    if (!finished)
    {
        var rule = LintEngine.DescribeLastRule();
        stderr.WriteLine($"transcriptlint: error: the process was ended before transcriptlint finished (exit code {Environment.ExitCode}), " +
            (rule ?? "by plugin code") + "; the output is incomplete. See docs/plugins.md, 'What a plugin can still break'.");
        stderr.Flush();
    }
};

var code = CliApp.Run(args, stdout, stderr, TerminalInfo.FromConsole());
if (PluginConsole.TakeUnattributed() is { } unattributed)
{
    stderr.WriteLine($"transcriptlint: warning: {unattributed}");
}

// `transcriptlint benchmark` runs lint in a child process to measure one file's peak memory the way a user meets it.
if (Environment.GetEnvironmentVariable(TranscriptLint.Cli.Commands.BenchmarkCommand.ReportResourcesVariable) == "1")
{
    using var self = System.Diagnostics.Process.GetCurrentProcess();
    stderr.WriteLine(TranscriptLint.Cli.Commands.BenchmarkCommand.FormatResources(self.PeakWorkingSet64, TranscriptLint.Cli.Output.RuntimeCosts.Now()));
}

finished = true;
return code;
