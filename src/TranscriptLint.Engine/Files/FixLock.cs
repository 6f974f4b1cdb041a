using System.Globalization;
using System.Text;

namespace TranscriptLint.Engine.Files;

/// <summary>The transcript is in use: another <c>fix</c> holds its lock, or a process has it open for writing.</summary>
/// <param name="message">One line naming the file, who holds it, and what to do.</param>
public sealed class TranscriptBusyException(string message) : IOException(message);

/// <summary>
/// One <c>fix</c> at a time per transcript, between processes: an exclusive lock on <c>.NAME.tl-lock</c> beside
/// it (FileShare.None, which .NET implements with flock(LOCK_EX) on Unix). Taking it also refuses when another
/// process has the transcript open for writing (<see cref="OpenWriterProbe"/>) and removes the temp files an
/// interrupted run left (safe only now: no other <c>fix</c> can be writing them). Disposing deletes the lock file.
/// </summary>
public sealed class FixLock : IDisposable
{
    private readonly FileStream _stream;

    private FixLock(string transcript, string lockPath, FileStream stream, IReadOnlyList<string> removed)
    {
        Transcript = transcript;
        LockPath = lockPath;
        _stream = stream;
        RemovedTempFiles = removed;
    }

    /// <summary>The transcript (symbolic links resolved).</summary>
    public string Transcript { get; }

    /// <summary>The lock file.</summary>
    public string LockPath { get; }

    /// <summary>Temp files of an interrupted run that taking the lock removed (full paths).</summary>
    public IReadOnlyList<string> RemovedTempFiles { get; }

    /// <summary>Takes the lock for <paramref name="path"/>.</summary>
    /// <param name="path">The transcript.</param>
    /// <param name="displayPath">The path shown in messages.</param>
    /// <returns>The held lock.</returns>
    /// <exception cref="TranscriptBusyException">Another fix holds it, or a process has the transcript open for writing.</exception>
    /// <exception cref="IOException">The lock file cannot be created (e.g. a read-only folder).</exception>
    public static FixLock Acquire(string path, string? displayPath = null)
    {
        var shown = displayPath ?? path;
        var transcript = ResolveTarget(path);
        var dir = Path.GetDirectoryName(transcript) ?? ".";
        var lockPath = Path.Combine(dir, SidecarNames.Lock(Path.GetFileName(transcript)));
        FileStream? stream = null;
        for (var attempt = 0; stream is null; attempt++)
        {
            try
            {
                stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException) && File.Exists(lockPath))
            {
                var holders = OpenWriterProbe.Find(lockPath);
                var who = holders.Count > 0 ? $" by {string.Join(", ", holders)}" : "";
                throw new TranscriptBusyException($"{shown} is being fixed by another transcriptlint (lock {Path.GetFileName(lockPath)} held{who}); wait for it to finish, then run fix again");
            }

            // The holder deletes the lock file before it lets go; if we opened the old file just before that, we
            // now hold a lock on an unlinked file that nobody else sees: open the path again.
            if (OperatingSystem.IsLinux() && IsUnlinked(stream) && attempt < 5)
            {
                stream.Dispose();
                stream = null;
            }
        }

        try
        {
            stream.SetLength(0);
            stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush();

            var writers = OpenWriterProbe.Find(transcript);
            if (writers.Count > 0)
            {
                throw new TranscriptBusyException(OpenForWritingMessage(shown, writers));
            }

            return new FixLock(transcript, lockPath, stream, RemoveStaleTemps(transcript));
        }
        catch
        {
            Release(lockPath, stream);
            throw;
        }
    }

    /// <summary>The refusal for a transcript another process has open for writing.</summary>
    /// <param name="shown">The path shown.</param>
    /// <param name="writers">The processes.</param>
    /// <returns>One line.</returns>
    public static string OpenForWritingMessage(string shown, IReadOnlyList<OpenWriter> writers) =>
        $"{shown} is open for writing by {string.Join(", ", writers)}; stop the agent (quit the session) first, then run fix again; nothing was written";

    /// <summary>The file a path names: a symbolic link's final target, else the path itself (full).</summary>
    /// <param name="path">The path.</param>
    /// <returns>The full path of the file to replace.</returns>
    public static string ResolveTarget(string path)
    {
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : full;
    }

    /// <summary>Deletes the temp files an interrupted run on <paramref name="transcript"/> left in its folder.</summary>
    /// <param name="transcript">The transcript's full path.</param>
    /// <returns>The files removed.</returns>
    internal static IReadOnlyList<string> RemoveStaleTemps(string transcript)
    {
        var dir = Path.GetDirectoryName(transcript) ?? ".";
        var name = Path.GetFileName(transcript);
        var removed = new List<string>();
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(dir, ".*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return removed;
        }

        foreach (var candidate in candidates.Order(StringComparer.Ordinal))
        {
            if (SidecarNames.IsTempOf(name, Path.GetFileName(candidate)))
            {
                try
                {
                    File.Delete(candidate);
                    removed.Add(candidate);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Left for a later run; it is never mistaken for the transcript.
                }
            }
        }

        return removed;
    }

    /// <inheritdoc/>
    public void Dispose() => Release(LockPath, _stream);

    private static void Release(string lockPath, FileStream stream)
    {
        // Delete while still holding it, so a waiting run never takes a lock on a file that is about to vanish unseen.
        try
        {
            File.Delete(lockPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A lock file left behind is harmless: the next run opens and locks it.
        }

        stream.Dispose();
    }

    private static bool IsUnlinked(FileStream stream)
    {
        try
        {
            var fd = stream.SafeFileHandle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture);
            return new FileInfo("/proc/self/fd/" + fd).LinkTarget?.EndsWith(" (deleted)", StringComparison.Ordinal) ?? false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
