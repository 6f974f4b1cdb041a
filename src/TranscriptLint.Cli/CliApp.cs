using System.CommandLine;
using TranscriptLint.Cli.Commands;

namespace TranscriptLint.Cli;

/// <summary>Builds the command tree and runs it; usage errors exit with 2, never a stack trace.</summary>
public static class CliApp
{
    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "TranscriptLint: lint recorded AI agent sessions (Claude Code JSONL and more) for the breakages that make a resume fail with HTTP 400.\n\n" +
            "Exit codes of lint: 0 no finding at or above --fail-level; 1 findings; 2 usage error (unknown rule id, no file to lint) or unreadable input; " +
            "3 a plugin failed to load or a rule crashed (--allow-rule-failures tolerates it). " +
            "Each command's --help gives its own. Docs: README.md and docs/rules/.");
        root.Subcommands.Add(LintCommand.Create(stdout, stderr));
        root.Subcommands.Add(RulesCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExplainCommand.Create(stdout, stderr));
        root.Subcommands.Add(FixCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExplainErrorCommand.Create(stdout, stderr));
        root.Subcommands.Add(BenchmarkCommand.Create(stdout));
        root.Subcommands.Add(MergeCommand.Create(stdout, stderr));
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Build(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !args.Contains("--help") && !args.Contains("-h"))
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"transcriptlint: error: {error.Message}");
            }

            stderr.WriteLine("Run 'transcriptlint --help' for usage.");
            return ExitCodes.UsageOrInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"transcriptlint: error: {ex.Message}");
            return ExitCodes.UsageOrInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"transcriptlint: error: {ex.Message}");
            return ExitCodes.UsageOrInput;
        }
    }
}

/// <summary>A mistake in how the command was called; printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
