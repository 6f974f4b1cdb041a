using System.Runtime.ExceptionServices;
using TranscriptLint.Engine.Files;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// Writes a fix's result to its temp file (and the backup to its own, where it cannot be a hard link made at the commit)
/// on a second thread while the fixer lints that result, instead of after: the lint decides whether the result is
/// final, and writing and fsyncing a 100 MB file takes about a third as long as that lint. <see cref="Commit"/> then only checks the file and renames, as
/// <see cref="SafeFileWriter"/> does; a result that was not final (another pass followed) is written again, and
/// whatever is not committed is deleted. The transcript itself is never touched before the commit.
/// </summary>
public sealed class WriteAhead : IDisposable
{
    private readonly StagedReplacement _staged;
    private Task _work = Task.CompletedTask;
    private FixedContent? _staging; // the content the last Stage wrote (or is writing)
    private ExceptionDispatchInfo? _failure;

    /// <summary>Prepares to replace <paramref name="path"/>; nothing is written until <see cref="Stage"/>.</summary>
    /// <param name="path">The transcript.</param>
    /// <param name="expectedHash">The <see cref="ContentHash"/> of the bytes the fix starts from.</param>
    /// <param name="expectedLength">Their length.</param>
    /// <param name="keepBackup">Whether to keep the original as a backup.</param>
    /// <param name="expectedWriteTimeUtc">The file's modification time when it was read, if known.</param>
    public WriteAhead(string path, UInt128 expectedHash, long expectedLength, bool keepBackup, DateTime? expectedWriteTimeUtc = null)
        : this(path, expectedHash, expectedLength, keepBackup, expectedWriteTimeUtc, openTemp: null)
    {
    }

    /// <summary>For tests: as the public constructor, with hooks that open the temp files and make hard links.</summary>
    internal WriteAhead(string path, UInt128 expectedHash, long expectedLength, bool keepBackup, DateTime? expectedWriteTimeUtc, Func<string, Stream>? openTemp, Func<string, string, bool>? link = null)
    {
        _staged = new StagedReplacement(path, expectedHash, expectedLength, keepBackup, expectedWriteTimeUtc) { OpenTemp = openTemp, Link = link };
    }

    /// <summary>
    /// Starts writing a pass's result (after the backup, the first time) on a second thread; the fixer calls this before
    /// it lints the result. A result staged before is replaced. While an earlier pass's result is still being written (a
    /// slow disk, a quick lint), nothing is started and the fix does not wait: the commit writes the result then.
    /// </summary>
    /// <param name="content">The pass's result.</param>
    public void Stage(FixedContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!_work.IsCompleted)
        {
            _staging = null; // what is being written is not this result
            return;
        }

        Settle(); // one writer at a time: the temps belong to one staging
        if (_failure is not null)
        {
            return; // reported at the commit
        }

        _staging = content;
        _work = Task.Factory.StartNew(
            () => _staged.StageResult(content.WriteTo),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Replaces the transcript with <paramref name="content"/>: waits for its staging (or writes it now when the last
    /// one staged was another), checks the file once more, and renames the backup and the new bytes into place.
    /// </summary>
    /// <param name="content">The fix's result.</param>
    /// <returns>The backup's full path, or null when none was kept.</returns>
    /// <exception cref="TranscriptChangedException">The file changed after it was read.</exception>
    /// <exception cref="TranscriptBusyException">Another process has the file open for writing.</exception>
    public string? Commit(FixedContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Settle();
        if (_failure is not null)
        {
            _staged.Check(); // a file that changed, or an agent that has it open, is named as the checks name it
            _failure.Throw();
        }

        if (!ReferenceEquals(content, _staging))
        {
            _staged.StageResult(content.WriteTo);
            _staging = content;
        }

        return _staged.Commit();
    }

    /// <summary>For tests: waits for the staging in flight and says how many temp files it left ready (backup, result).</summary>
    internal int StagedFiles
    {
        get
        {
            Settle();
            return _staged.StagedFiles;
        }
    }

    /// <summary>Waits for a staging still running and deletes whatever was not committed.</summary>
    public void Dispose()
    {
        Settle();
        _staged.Dispose();
    }

    // Waits for the staging in flight; a failure (the file changed, a full disk) is kept for the commit to report.
    private void Settle()
    {
        try
        {
            _work.Wait();
        }
        catch (AggregateException ex)
        {
            _failure ??= ExceptionDispatchInfo.Capture(ex.InnerException ?? ex);
            _staged.DropContent();
            _staging = null;
        }

        _work = Task.CompletedTask;
    }
}
