using System.Text;

namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// Keeps rule code off the real standard output and error. Once installed, <see cref="Console.Out"/> and
/// <see cref="Console.Error"/> are routers: a write made while a rule action runs on this thread goes to that rule's
/// capture (reported as a notification after the file); any other write goes through to the original writer, or,
/// for the CLI (<see cref="Install"/> with <c>captureEverythingElse</c>), into a buffer it reports at the end (a
/// plugin's own thread, a static constructor). The CLI writes its own output to the writers it took before
/// installing, so JSON and SARIF on stdout stay valid whatever a plugin prints.
/// </summary>
public static class PluginConsole
{
    private const int KeptChars = 2000;

    private static readonly Lock Gate = new();
    private static readonly StringBuilder Unattributed = new();
    private static bool _installed;
    private static bool _captureEverythingElse;
    private static long _unattributedChars;

    [ThreadStatic]
    private static Capture? t_capture;

    /// <summary>Installs the routers (once; later calls do nothing).</summary>
    /// <param name="captureEverythingElse">Also capture writes made outside a rule action instead of passing them through.</param>
    public static void Install(bool captureEverythingElse = false)
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            _installed = true;
            _captureEverythingElse = captureEverythingElse;
            Console.SetOut(new Router(Console.Out));
            Console.SetError(new Router(Console.Error));
        }
    }

    /// <summary>What was written outside any rule action when capturing everything (cleared): a one-line summary, or null.</summary>
    /// <returns>The summary, or null when nothing was written.</returns>
    public static string? TakeUnattributed()
    {
        lock (Gate)
        {
            if (_unattributedChars == 0)
            {
                return null;
            }

            var summary = $"plugin code wrote {_unattributedChars} character(s) to the console outside a rule action (not shown on stdout): {Capture.FirstLine(Unattributed.ToString())}";
            Unattributed.Clear();
            _unattributedChars = 0;
            return summary;
        }
    }

    /// <summary>Routes this thread's console writes into <paramref name="capture"/> until the returned scope ends.</summary>
    internal static Scope Enter(Capture capture)
    {
        var previous = t_capture;
        t_capture = capture;
        return new Scope(previous);
    }

    /// <summary>Restores the previous capture of the thread.</summary>
    internal readonly struct Scope(Capture? previous) : IDisposable
    {
        public void Dispose() => t_capture = previous;
    }

    /// <summary>One run's console output, attributed to the rule action running on the writing thread.</summary>
    internal sealed class Capture
    {
        private readonly Dictionary<object, (StringBuilder Text, long Chars)> _byRule = new(ReferenceEqualityComparer.Instance);

        /// <summary>Who is running now (a rule's actions), read at write time.</summary>
        public Func<object?> Current { get; init; } = () => null;

        public void Append(string text)
        {
            var key = Current() ?? this;
            lock (_byRule)
            {
                if (!_byRule.TryGetValue(key, out var entry))
                {
                    entry = (new StringBuilder(), 0);
                }

                if (entry.Text.Length < KeptChars)
                {
                    entry.Text.Append(text.AsSpan(0, Math.Min(text.Length, KeptChars - entry.Text.Length)));
                }

                _byRule[key] = (entry.Text, entry.Chars + text.Length);
            }
        }

        /// <summary>Each writer (a rule's actions, or this capture for writes outside any action) with its character count and first line.</summary>
        public List<(object Key, long Chars, string FirstLine)> Drain()
        {
            lock (_byRule)
            {
                var list = _byRule.Select(kv => (kv.Key, kv.Value.Chars, FirstLine(kv.Value.Text.ToString()))).ToList();
                _byRule.Clear();
                return list;
            }
        }

        public static string FirstLine(string text)
        {
            var line = text.TrimStart().Split('\n')[0].TrimEnd('\r');
            return "\"" + (line.Length > 120 ? line[..117] + "..." : line) + "\"";
        }
    }

    private sealed class Router(TextWriter original) : TextWriter
    {
        public override Encoding Encoding => original.Encoding;

        public override IFormatProvider FormatProvider => original.FormatProvider;

        public override void Write(char value) => Route(value.ToString());

        public override void Write(string? value) => Route(value);

        public override void Write(char[] buffer, int index, int count) => Route(new string(buffer, index, count));

        public override void Write(ReadOnlySpan<char> buffer) => Route(new string(buffer));

        public override void WriteLine() => Route(new string(CoreNewLine));

        public override void WriteLine(string? value) => Route(value + new string(CoreNewLine));

        public override void Flush()
        {
            if (t_capture is null && !_captureEverythingElse)
            {
                original.Flush();
            }
        }

        private void Route(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            if (t_capture is { } capture)
            {
                capture.Append(text);
            }
            else if (_captureEverythingElse)
            {
                lock (Gate)
                {
                    if (Unattributed.Length < KeptChars)
                    {
                        Unattributed.Append(text.AsSpan(0, Math.Min(text.Length, KeptChars - Unattributed.Length)));
                    }

                    _unattributedChars += text.Length;
                }
            }
            else
            {
                original.Write(text);
            }
        }
    }
}
