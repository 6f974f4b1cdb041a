using Spectre.Console;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// What the process is attached to: which of its streams are terminals, and the environment. Program passes the
/// real one; in-process callers (tests, library use) get <see cref="None"/>, so nothing is ever coloured there.
/// </summary>
/// <param name="StdoutIsTerminal">Standard output is a terminal (not a file or pipe).</param>
/// <param name="StderrIsTerminal">Standard error is a terminal.</param>
/// <param name="StdinIsTerminal">Standard input is a terminal (someone can answer a prompt).</param>
/// <param name="Environment">Reads an environment variable.</param>
/// <param name="Width">Columns of the terminal (for the progress line); 100 when unknown.</param>
public sealed record TerminalInfo(bool StdoutIsTerminal, bool StderrIsTerminal, bool StdinIsTerminal, Func<string, string?> Environment, int Width = 100)
{
    /// <summary>No terminal anywhere: plain output, no progress, no prompts.</summary>
    public static TerminalInfo None { get; } = new(false, false, false, System.Environment.GetEnvironmentVariable);

    /// <summary>The process's own console.</summary>
    public static TerminalInfo FromConsole() =>
        new(!Console.IsOutputRedirected, !Console.IsErrorRedirected, !Console.IsInputRedirected, System.Environment.GetEnvironmentVariable, ConsoleWidth());

    /// <summary>NO_COLOR set to anything non-empty (https://no-color.org).</summary>
    public bool NoColor => !string.IsNullOrEmpty(Environment("NO_COLOR"));

    /// <summary>A CI runner: progress lines only clutter its log.</summary>
    public bool IsCi => !string.IsNullOrEmpty(Environment("CI")) || !string.IsNullOrEmpty(Environment("GITHUB_ACTIONS")) || !string.IsNullOrEmpty(Environment("TF_BUILD"));

    /// <summary>TERM=dumb: a terminal that understands no escape codes.</summary>
    public bool IsDumb => string.Equals(Environment("TERM"), "dumb", StringComparison.Ordinal);

    /// <summary>Whether text for standard output (or standard error) is coloured under <paramref name="mode"/>.</summary>
    public bool Colors(ColorMode mode, bool forStderr = false) => mode switch
    {
        ColorMode.Always => true,
        ColorMode.Never => false,
        _ => (forStderr ? StderrIsTerminal : StdoutIsTerminal) && !NoColor && !IsDumb,
    };

    private static int ConsoleWidth()
    {
        try
        {
            return Console.IsErrorRedirected || Console.WindowWidth <= 0 ? 100 : Console.WindowWidth;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or PlatformNotSupportedException)
        {
            return 100;
        }
    }
}

/// <summary><c>--color auto|always|never</c>.</summary>
public enum ColorMode
{
    Auto,
    Always,
    Never,
}

/// <summary>
/// Styles text with Spectre.Console's ANSI writer when colour is on, and returns it unchanged when off, so plain
/// output is byte-for-byte what it was before colour existed.
/// </summary>
public sealed class Painter
{
    private static readonly AnsiWriterSettings Ansi = new() { Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Standard };

    /// <summary>A painter that never styles.</summary>
    public static Painter Plain { get; } = new(false);

    public Painter(bool enabled) => Enabled = enabled;

    public bool Enabled { get; }

    /// <summary>The text in <paramref name="style"/> (Spectre style syntax: "red bold", "dim", "green").</summary>
    public string Paint(string text, string style)
    {
        if (!Enabled || text.Length == 0)
        {
            return text;
        }

        var buffer = new StringWriter();
        var writer = new AnsiWriter(buffer, AnsiCapabilities.Create(buffer, Ansi));
        writer.Write(text, Style.Parse(style), null!);
        return buffer.ToString();
    }

    public string Error(string text) => Paint(text, "red bold");

    public string Warning(string text) => Paint(text, "yellow bold");

    public string Note(string text) => Paint(text, "cyan");

    public string Dim(string text) => Paint(text, "dim");

    public string Bold(string text) => Paint(text, "bold");

    public string Good(string text) => Paint(text, "green");

    /// <summary>The severity word in its colour.</summary>
    public string Severity(string name) => name switch
    {
        "error" => Error(name),
        "warning" => Warning(name),
        "note" => Note(name),
        _ => name,
    };
}
