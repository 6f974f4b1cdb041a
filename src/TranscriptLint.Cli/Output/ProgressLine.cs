using System.Diagnostics;
using Spectre.Console;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// One self-overwriting status line on standard error ("linting 340/1,200 files…") while a long run works. It
/// appears only when standard error is a terminal, not in CI, and only once the run has lasted
/// <see cref="DefaultDelay"/>, so short runs and redirected output never see it. Lines written to standard output
/// go through <see cref="WriteLine"/>, which takes the status line away first, so the two never mix on one screen.
/// </summary>
public sealed class ProgressLine : IDisposable
{
    /// <summary>How long a run lasts before the line appears.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(400);

    private static readonly TimeSpan Throttle = TimeSpan.FromMilliseconds(100);

    private readonly object _gate = new();
    private readonly TextWriter _stderr;
    private readonly AnsiWriter? _ansi;
    private readonly int _width;
    private readonly TimeSpan _delay;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDraw;
    private bool _shown;

    private ProgressLine(TextWriter stderr, bool enabled, int width, TimeSpan delay)
    {
        _stderr = stderr;
        _width = Math.Max(20, width);
        _delay = delay;
        if (enabled)
        {
            _ansi = Ansi(stderr);
        }
    }

    // A method of its own: naming Spectre's types loads its library, which a run that never draws (redirected, CI,
    // --quiet) does without.
    private static AnsiWriter Ansi(TextWriter stderr) =>
        new(stderr, AnsiCapabilities.Create(stderr, new AnsiWriterSettings { Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Standard }));

    /// <summary>A progress line for this terminal, or one that draws nothing.</summary>
    /// <param name="stderr">Standard error.</param>
    /// <param name="terminal">What the process is attached to.</param>
    /// <param name="quiet">--quiet: never draw.</param>
    public static ProgressLine For(TextWriter stderr, TerminalInfo terminal, bool quiet)
    {
        var enabled = terminal.StderrIsTerminal && !terminal.IsCi && !terminal.IsDumb && !quiet;
        // Tests of the terminal behaviour set a zero delay so they need not build a slow run.
        var delay = int.TryParse(terminal.Environment("TRANSCRIPTLINT_PROGRESS_DELAY_MS"), out var ms) && ms >= 0 ? TimeSpan.FromMilliseconds(ms) : DefaultDelay;
        return new ProgressLine(stderr, enabled, terminal.Width, delay);
    }

    /// <summary>A progress line that never draws.</summary>
    public static ProgressLine Off(TextWriter stderr) => new(stderr, false, 100, DefaultDelay);

    /// <summary>Whether the line can ever be drawn.</summary>
    public bool Enabled => _ansi is not null;

    /// <summary>Shows <paramref name="status"/> (throttled; the first time only after the delay).</summary>
    public void Report(string status)
    {
        if (_ansi is null)
        {
            return;
        }

        lock (_gate)
        {
            var now = _clock.Elapsed;
            if (now < _delay || (_lastDraw is { } last && now - last < Throttle))
            {
                return;
            }

            _lastDraw = now;
            var text = status.Length >= _width ? status[..(_width - 2)] + "…" : status;
            _ansi.CursorHorizontalAbsolute(1);
            _ansi.EraseInLine(2);
            _ansi.Write(text, Style.Parse("dim"), null!);
            _ansi.ResetStyle();
            _stderr.Flush();
            _shown = true;
        }
    }

    /// <summary>Writes a line to <paramref name="output"/> with the status line out of the way.</summary>
    public void WriteLine(TextWriter output, string line)
    {
        lock (_gate)
        {
            ClearLocked();
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>Takes the status line away (before the final report, or a prompt).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            ClearLocked();
        }
    }

    public void Dispose() => Clear();

    private void ClearLocked()
    {
        if (_shown && _ansi is not null)
        {
            _ansi.CursorHorizontalAbsolute(1);
            _ansi.EraseInLine(2);
            _stderr.Flush();
            _shown = false;
            _lastDraw = null;
        }
    }
}
