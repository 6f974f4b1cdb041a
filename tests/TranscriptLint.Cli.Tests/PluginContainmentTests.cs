using System.Text.Json;
using TranscriptLint.Cli;
using static TranscriptLint.Tests.PluginCompiler;

namespace TranscriptLint.Tests;

/// <summary>Plugins that hang, sleep, print, exit or throw cannot take a run down (issue 9, item 6).</summary>
public sealed class PluginContainmentTests : IDisposable
{
    private const string ReportUsers = "if (ctx.Entry.Kind == EntryKind.User) ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(ctx.Entry), null, ctx.Entry.Uuid));";

    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string Plugin(string name, params string[] rules)
    {
        CompilePlugin(_temp.Combine("plugins"), name, Source(rules));
        return _temp.Combine("plugins");
    }

    private string Crash() => _temp.Write("sessions/b-crash-mid-tool.jsonl", File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "claude-code", "common", "b-crash-mid-tool.jsonl")));

    [Fact]
    public void A_sleeping_rule_is_stopped_after_its_budget_and_the_file_is_linted_without_it()
    {
        var plugins = Plugin("Sleepy.Rules",
            Rule("SleepingRule", "SLP1001", "System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);"),
            Rule("SteadyRule", "SLP1002", ReportUsers));
        var transcript = Crash();

        // The budget holds for every rule, the built-in ones too: 1 s, not less, so that a loaded machine (the test
        // projects run side by side) cannot stop one of them as well (a full run once failed here and in the next test).
        var (exit, output, error) = Run("lint", transcript, "--plugins", plugins, "--rule-timeout", "1", "--format", "json");
        var (_, without, _) = Run("lint", transcript, "--plugins", plugins, "--ignore", "SLP1001", "--format", "json");

        exit.ShouldBe(3, "a rule stopped for its budget makes the run incomplete (exit 3 unless --allow-rule-failures)");
        error.ShouldContain("transcriptlint: error: Rule SLP1001 (SleepingRule from Sleepy.Rules) ran for more than 1 s on ");
        error.ShouldContain("and was stopped; the file was linted again without it");
        Files(output).ShouldBe(Files(without), "the findings are those of a run without the stopped rule");
        Files(output).ShouldContain("\"ruleId\":\"SLP1002\"");
        Files(output).ShouldContain("\"ruleId\":\"TL3001\"");
    }

    [Fact]
    public void A_rule_over_budget_during_fix_is_stopped_and_the_fix_is_still_written()
    {
        var plugins = Plugin("Sleepy.Rules", Rule("SleepingRule", "SLP2001", "System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);"));
        var transcript = Crash();

        var (exit, output, error) = Run("fix", transcript, "--plugins", plugins, "--rule-timeout", "1"); // see above

        exit.ShouldBe(0, error);
        output.ShouldContain("fixed TL3001");
        error.Split('\n').Count(l => l.Contains("SLP2001 (SleepingRule from Sleepy.Rules) ran for more than 1 s", StringComparison.Ordinal)).ShouldBe(1, "stopped once, off for the later passes");
        File.ReadAllBytes(transcript).ShouldBe(File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "claude-code", "common", "b-crash-mid-tool.fixed.jsonl")));
    }

    [Fact]
    public void A_looping_rule_does_not_hang_the_process_and_the_budget_comes_from_the_config()
    {
        // A separate process: the abandoned thread spins until that process exits.
        var plugins = Plugin("Loopy.Rules", Rule("LoopingRule", "LOP1001", "while (ctx.Entry.Uuid != \"never\") { }"));
        _temp.Write("sessions/.transcriptlint.json", "{ \"ruleTimeoutSeconds\": 0.5 }");
        var transcript = Crash();

        var (exit, output, error) = CliProcess.RunIn(_temp.Path, "lint", transcript, "--plugins", plugins, "--format", "sarif");

        exit.ShouldBe(3, "a rule stopped for its budget makes the run incomplete");
        error.ShouldContain("Rule LOP1001 (LoopingRule from Loopy.Rules) ran for more than 0.5 s");
        using var sarif = JsonDocument.Parse(output);
        var invocation = sarif.RootElement.GetProperty("runs")[0].GetProperty("invocations")[0];
        invocation.GetProperty("toolExecutionNotifications").EnumerateArray()
            .ShouldContain(n => n.GetProperty("message").GetProperty("text").GetString()!.Contains("ran for more than 0.5 s", StringComparison.Ordinal));
        output.ShouldContain("\"ruleId\": \"TL3001\"");
    }

    [Fact]
    public void Console_output_of_a_rule_is_captured_and_never_reaches_stdout()
    {
        var plugins = Plugin("Chatty.Rules", Rule("ChattyRule", "CHT1001",
            "Console.WriteLine(\"debug: saw \" + ctx.Entry.Uuid); Console.Error.WriteLine(\"oops\"); Console.Out.Write('x');" +
            "var t = new System.Threading.Thread(() => Console.WriteLine(\"from a plugin thread\")); t.Start(); t.Join();"));
        var transcript = Crash();

        foreach (var format in new[] { "json", "sarif" })
        {
            var (exit, output, error) = CliProcess.RunIn(_temp.Path, "lint", transcript, "--plugins", plugins, "--format", format);
            exit.ShouldBe(1);
            output.Split('\n').ShouldNotContain(l => l.StartsWith("debug: saw", StringComparison.Ordinal) || l.StartsWith("from a plugin thread", StringComparison.Ordinal));
            JsonDocument.Parse(output).Dispose(); // still valid JSON / SARIF
            error.ShouldContain("Rule CHT1001 (ChattyRule from Chatty.Rules) wrote ");
            error.ShouldContain("character(s) to the console while linting ");
            error.ShouldContain("captured, not printed: \"debug: saw ");
            error.ShouldNotContain("\noops");
            error.ShouldContain("character(s) to the console outside a rule action (not shown on stdout): \"from a plugin thread\"");
        }

        var inProcess = Run("lint", transcript, "--plugins", plugins, "--format", "json");
        inProcess.Out.Split('\n').ShouldNotContain(l => l.StartsWith("debug: saw", StringComparison.Ordinal));
        JsonDocument.Parse(inProcess.Out).Dispose();
    }

    [Fact]
    public void Environment_exit_in_a_rule_is_not_silent()
    {
        var plugins = Plugin("Quitter.Rules", Rule("QuittingRule", "QUT1001", "Environment.Exit(3);"));
        var transcript = Crash();

        var (exit, _, error) = CliProcess.RunIn(_temp.Path, "lint", transcript, "--plugins", plugins);

        exit.ShouldBe(3, "the plugin's exit code; documented in docs/plugins.md");
        error.ShouldContain("transcriptlint: error: the process was ended before transcriptlint finished (exit code 3)");
        error.ShouldContain("while rule QUT1001 (QuittingRule from Quitter.Rules) on ");
        error.ShouldContain(" was running; the output is incomplete");
    }

    [Fact]
    public void A_rule_that_throws_during_fix_is_reported_as_lint_reports_it()
    {
        var plugins = Plugin("Flaky.Rules", Rule("ThrowingRule", "FLK3001", "throw new InvalidOperationException(\"boom in fix\");"));
        var transcript = Crash();

        var (exit, output, error) = Run("fix", transcript, "--plugins", plugins);

        exit.ShouldBe(0);
        output.ShouldContain("fixed TL3001");
        var lines = error.Split('\n').Where(l => l.StartsWith("transcriptlint: error: Rule FLK3001 (ThrowingRule from Flaky.Rules) threw InvalidOperationException", StringComparison.Ordinal)).ToList();
        lines.Count.ShouldBe(1, "reported once, not once per pass");
        lines[0].ShouldContain("boom in fix");
    }

    private static string Files(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("files").GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
    }
}
