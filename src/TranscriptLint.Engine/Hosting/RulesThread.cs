using System.Runtime.ExceptionServices;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// The thread a file's rules run on while the watchdog waits: a deep stack (deep JSON, recursive rules), kept by the
/// calling thread from one file to the next. A thread started per file cost 0.6-0.9 s of an 8-9 s lint of 1,000 files
/// (starting and ending the thread, and the thread-local caches of the parser and the rules made again for each file);
/// a thread the watchdog gave up on is never given another file, and an idle one ends after a few seconds.
/// </summary>
internal sealed class RulesThread
{
    private const int StackSize = 16 * 1024 * 1024; // as much room as the main thread
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(5);

    // One per calling thread: a caller waits for its file before it gives the next, so a thread has one job at a time.
    [ThreadStatic]
    private static RulesThread? t_forCaller;

    private readonly object _gate = new(); // Monitor.Wait/Pulse
    private Job? _next;
    private bool _closed; // ended when idle, or given up on by the watchdog

    private RulesThread(Job first)
    {
        var thread = new Thread(Loop, StackSize)
        {
            IsBackground = true, // an abandoned rule never keeps the process alive
            Name = "transcriptlint rules",
        };
        thread.Start(first);
    }

    /// <summary>Starts <paramref name="work"/> on the caller's rules thread (a new one when it has none, or its ended).</summary>
    /// <param name="work">The file's run.</param>
    /// <returns>The job to wait for.</returns>
    public static Job Start(Func<FileLintResult> work)
    {
        var job = new Job(work);
        if (t_forCaller is not { } thread || !thread.TryGive(job))
        {
            t_forCaller = new RulesThread(job);
        }

        return job;
    }

    /// <summary>The watchdog gave up on the caller's running job: its thread finishes that job's rule alone and then ends.</summary>
    public static void AbandonCurrent()
    {
        if (t_forCaller is { } thread)
        {
            lock (thread._gate)
            {
                thread._closed = true;
            }

            t_forCaller = null;
        }
    }

    private bool TryGive(Job job)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _next = job;
            Monitor.Pulse(_gate);
            return true;
        }
    }

    private void Loop(object? first)
    {
        var job = (Job)first!;
        while (true)
        {
            job.Run();
            lock (_gate)
            {
                while (_next is null && !_closed)
                {
                    if (!Monitor.Wait(_gate, IdleExit) && _next is null)
                    {
                        _closed = true; // a caller that comes back after this starts a new thread
                    }
                }

                if (_closed)
                {
                    return;
                }

                job = _next!;
                _next = null;
            }
        }
    }

    /// <summary>One file's run on a rules thread.</summary>
    internal sealed class Job(Func<FileLintResult> work)
    {
        private readonly ManualResetEventSlim _done = new(initialState: false, spinCount: 0); // the watchdog sleeps: no spinning on the core the other file needs
        private FileLintResult? _result;
        private ExceptionDispatchInfo? _failure;

        /// <summary>Waits for the run to end, at most <paramref name="timeout"/>.</summary>
        /// <param name="timeout">How long to wait this time.</param>
        /// <returns>Whether it ended.</returns>
        public bool Wait(TimeSpan timeout) => _done.Wait(timeout);

        /// <summary>The run's result, or what it threw (once it ended).</summary>
        /// <returns>The result.</returns>
        public FileLintResult Result()
        {
            _failure?.Throw();
            return _result!;
        }

        internal void Run()
        {
            try
            {
                _result = work();
            }
            catch (LintEngine.AbandonedRunException)
            {
                // The watchdog has moved on; nothing to report from here.
            }
            catch (Exception ex)
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                _done.Set();
            }
        }
    }
}
