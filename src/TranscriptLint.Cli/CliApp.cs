using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using TranscriptLint.Cli.Commands;
using TranscriptLint.Cli.Output;

namespace TranscriptLint.Cli;

/// <summary>Builds the command tree and runs it; usage errors exit with 2, never a stack trace.</summary>
public static partial class CliApp
{
    private const string RootDescription =
        "TranscriptLint: find and repair recorded AI agent sessions (Claude Code, Codex, Gemini CLI, Copilot CLI, Amplifier) " +
        "that fail to resume with HTTP 400.\n\n" +
        "Session broken? transcriptlint doctor finds it and prints the command that fixes it.\n" +
        "Exit codes: 0 clean, 1 findings, 2 usage error or unreadable input, 3 a plugin or rule failed; each command's --help has its own.";

    public static RootCommand Build(TextWriter stdout, TextWriter stderr) => Build(stdout, stderr, TerminalInfo.None);

    public static RootCommand Build(TextWriter stdout, TextWriter stderr, TerminalInfo terminal)
    {
        var root = new RootCommand(RootDescription);
        root.Options.Add(GlobalOptions.Color);
        root.Options.Add(GlobalOptions.Quiet);
        root.Subcommands.Add(DoctorCommand.Create(stdout, stderr, terminal));
        root.Subcommands.Add(LintCommand.Create(stdout, stderr, terminal));
        root.Subcommands.Add(ReportCommand.Create(stdout, stderr, terminal));
        root.Subcommands.Add(FixCommand.Create(stdout, stderr, terminal: terminal));
        root.Subcommands.Add(ExplainErrorCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExplainCommand.Create(stdout, stderr));
        root.Subcommands.Add(RulesCommand.Create(stdout, stderr));
        root.Subcommands.Add(SchemaCommand.Create(stdout, stderr));
        root.Subcommands.Add(PluginCommand.Create(stdout, stderr));
        root.Subcommands.Add(MergeCommand.Create(stdout, stderr));
        root.Subcommands.Add(BenchmarkCommand.Create(stdout, stderr));

        // The command list of the root help shows one line per command; each command's own --help adds its details.
        var details = new Dictionary<Command, string>
        {
            [root.Subcommands.First(c => c.Name == "doctor")] = DoctorCommand.Details,
            [root.Subcommands.First(c => c.Name == "lint")] = LintCommand.Details,
            [root.Subcommands.First(c => c.Name == "report")] = ReportCommand.Details,
            [root.Subcommands.First(c => c.Name == "fix")] = FixCommand.Details,
            [root.Subcommands.First(c => c.Name == "plugin")] = PluginCommand.Details,
            [root.Subcommands.First(c => c.Name == "plugin").Subcommands.First(c => c.Name == "add")] = PluginCommand.Details,
        };
        var help = root.Options.OfType<HelpOption>().First();
        if (help.Action is HelpAction standard)
        {
            help.Action = new DetailedHelp(standard, details);
        }

        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, TerminalInfo.None);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TerminalInfo terminal)
    {
        // `fix --diff=unified`: an option with an optional value would swallow the path after `--diff`.
        args = [.. args.SelectMany(a => a.StartsWith("--diff=", StringComparison.Ordinal) ? new[] { "--diff", "--diff-format", a["--diff=".Length..] } : [a])];
        var root = Build(stdout, stderr, terminal);
        var wantsHelp = args.Contains("--help") || args.Contains("-h") || args.Contains("-?");
        if (args.Length > 0 && !args[0].StartsWith('-') && root.Subcommands.All(c => c.Name != args[0]))
        {
            // One line, not System.CommandLine's two ("unrecognized argument" and "required command").
            var suggestion = Suggest.Closest(args[0], root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            stderr.WriteLine($"transcriptlint: error: unknown command '{args[0]}'{Suggest.DidYouMean(suggestion)}");
            stderr.WriteLine("Run 'transcriptlint --help' for the commands.");
            return ExitCodes.UsageOrInput;
        }

        var parse = root.Parse(args);
        if (!wantsHelp && UnknownOptions(parse) is { Count: > 0 } unknown)
        {
            var command = parse.CommandResult.Command;
            var known = OptionNames(command, root);
            foreach (var token in unknown)
            {
                var name = token.Split('=', 2)[0];
                stderr.WriteLine($"transcriptlint: error: unknown option '{name}' for '{CommandPath(command)}'{Suggest.DidYouMean(Suggest.Closest(name, known))}");
            }

            stderr.WriteLine($"Run '{CommandPath(command)} --help' for its options.");
            return ExitCodes.UsageOrInput;
        }

        if (parse.Errors.Count > 0 && !wantsHelp)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"transcriptlint: error: {error.Message}");
            }

            stderr.WriteLine($"Run '{CommandPath(parse.CommandResult.Command)} --help' for usage.");
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

    // Tokens that look like an option but are none of the command's: unmatched ones, and those a path argument
    // swallowed (`lint --bogus x.jsonl` would otherwise say "no such file: --bogus"). A file of that name is a path.
    private static List<string> UnknownOptions(ParseResult parse)
    {
        var list = new List<string>();
        foreach (var token in parse.UnmatchedTokens.Concat(parse.Tokens.Where(t => t.Type == TokenType.Argument).Select(t => t.Value)))
        {
            if (IsOptionLike(token) && !File.Exists(token) && !Directory.Exists(token) && !list.Contains(token))
            {
                if (parse.Tokens.Any(t => t.Type == TokenType.Argument && t.Value == token) && IsOptionValue(parse, token))
                {
                    continue;
                }

                list.Add(token);
            }
        }

        return list;
    }

    // `--select -x` style values belong to the option before them; only bare arguments are checked.
    private static bool IsOptionValue(ParseResult parse, string token)
    {
        var tokens = parse.Tokens;
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].Value == token && tokens[i].Type == TokenType.Argument && tokens[i - 1].Type == TokenType.Option)
            {
                return true;
            }
        }

        return false;
    }

    private static IReadOnlyList<string> OptionNames(Command command, RootCommand root) =>
        [.. command.Options.Concat(root.Options.Where(o => o.Recursive)).Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct()];

    private static string CommandPath(Command command) => command is RootCommand ? "transcriptlint" : $"transcriptlint {command.Name}";

    // What `^--?[A-Za-z][A-Za-z0-9-]*(=[^\n]*)?$` matches, by hand: every run checks its arguments, and the first regex of
    // a process costs about 10 ms of start-up (most runs use none).
    internal static bool IsOptionLike(string token)
    {
        var name = token.StartsWith("--", StringComparison.Ordinal) ? 2 : token.StartsWith('-') ? 1 : 0;
        if (name == 0 || name == token.Length || !char.IsAsciiLetter(token[name]))
        {
            return false;
        }

        var end = token.IndexOf('=', name);
        var nameEnd = end < 0 ? token.Length : end;
        for (var i = name + 1; i < nameEnd; i++)
        {
            if (!char.IsAsciiLetterOrDigit(token[i]) && token[i] != '-')
            {
                return false;
            }
        }

        return end < 0 || !token.AsSpan(end).Contains('\n');
    }

    /// <summary>The standard help, then the command's details (exit codes, what it does step by step).</summary>
    private sealed class DetailedHelp(HelpAction standard, IReadOnlyDictionary<Command, string> details) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = standard.Invoke(parseResult);
            if (details.TryGetValue(parseResult.CommandResult.Command, out var text))
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Details:");
                foreach (var paragraph in text.Split('\n'))
                {
                    output.WriteLine(paragraph.Length == 0 ? "" : "  " + paragraph);
                }

                output.WriteLine();
            }

            return code;
        }
    }
}

/// <summary>Options every command takes: <c>--color</c> and <c>--quiet</c>.</summary>
public static class GlobalOptions
{
    public static readonly string[] ColorModes = ["auto", "always", "never"];

    public static Option<string> Color { get; } = Suggest.OneOf(new Option<string>("--color")
    {
        Description = "Colour on a terminal: auto (default; off when NO_COLOR is set or output is redirected), always or never. Machine formats (json, sarif, …) are never coloured.",
        HelpName = "WHEN",
        DefaultValueFactory = _ => "auto",
        Recursive = true,
    }, ColorModes);

    public static Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print only the findings (or, for fix, what changed): no summary, no progress line.",
        Recursive = true,
    };

    public static ColorMode ColorOf(ParseResult parse) => parse.GetValue(Color) switch
    {
        "always" => ColorMode.Always,
        "never" => ColorMode.Never,
        _ => ColorMode.Auto,
    };
}

/// <summary>A mistake in how the command was called; printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
