using TranscriptLint.Engine.Files;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// Replaces a file without ever leaving a partial one: the new bytes go to a temp file in the same folder
/// (<see cref="SidecarNames.NewTemp"/>), which is flushed and fsynced and then renamed over the original (an atomic
/// replace on one file system). The original is kept as a backup (<see cref="SidecarNames.NextBackup"/>: the first
/// is <c>FILE.bak</c>, later runs write <c>FILE.bak.1</c>, <c>FILE.bak.2</c>, …; none is ever overwritten), written
/// the same way, unless asked not to. Before writing and again right before the rename, the file on disk is compared
/// with the bytes that were linted (size, modification time when given, <see cref="ContentHash"/>) and no other
/// process may hold it open for writing (<see cref="OpenWriterProbe"/>); otherwise nothing is replaced. Callers hold a
/// <see cref="FixLock"/>.
/// </summary>
public static class SafeFileWriter
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="newBytes"/>.</summary>
    /// <param name="path">The transcript.</param>
    /// <param name="expectedHash">The <see cref="ContentHash"/> of the bytes the fix was computed from.</param>
    /// <param name="expectedLength">Their length.</param>
    /// <param name="newBytes">The fixed bytes.</param>
    /// <param name="keepBackup">Whether to keep the original as a backup.</param>
    /// <param name="openTemp">Test hook: opens the temp file for writing (default: a new file).</param>
    /// <param name="expectedWriteTimeUtc">The file's modification time when it was read, if known.</param>
    /// <param name="beforeRename">Test hook: runs right before the final checks and the rename.</param>
    /// <returns>The backup's full path, or null when none was kept.</returns>
    /// <exception cref="TranscriptChangedException">The file changed after it was read.</exception>
    /// <exception cref="TranscriptBusyException">Another process has the file open for writing.</exception>
    public static string? Replace(string path, UInt128 expectedHash, long expectedLength, ReadOnlyMemory<byte> newBytes, bool keepBackup, Func<string, Stream>? openTemp = null, DateTime? expectedWriteTimeUtc = null, Action? beforeRename = null) =>
        Replace(path, expectedHash, expectedLength, temp => temp.Write(newBytes.Span), keepBackup, openTemp, expectedWriteTimeUtc, beforeRename);

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="writeNew"/> writes (e.g. <see cref="FixedContent.WriteTo"/>).</summary>
    /// <param name="path">The transcript.</param>
    /// <param name="expectedHash">The <see cref="ContentHash"/> of the bytes the fix was computed from.</param>
    /// <param name="expectedLength">Their length.</param>
    /// <param name="writeNew">Writes the fixed bytes to the temp file.</param>
    /// <param name="keepBackup">Whether to keep the original as a backup.</param>
    /// <param name="openTemp">Test hook: opens the temp file for writing (default: a new file).</param>
    /// <param name="expectedWriteTimeUtc">The file's modification time when it was read, if known.</param>
    /// <param name="beforeRename">Test hook: runs right before the final checks and the rename.</param>
    /// <returns>The backup's full path, or null when none was kept.</returns>
    /// <exception cref="TranscriptChangedException">The file changed after it was read.</exception>
    /// <exception cref="TranscriptBusyException">Another process has the file open for writing.</exception>
    public static string? Replace(string path, UInt128 expectedHash, long expectedLength, Action<Stream> writeNew, bool keepBackup, Func<string, Stream>? openTemp = null, DateTime? expectedWriteTimeUtc = null, Action? beforeRename = null)
    {
        ArgumentNullException.ThrowIfNull(writeNew);
        var full = FixLock.ResolveTarget(path); // replace the file a symlink points to, not the link
        var dir = Path.GetDirectoryName(full) ?? ".";
        var name = Path.GetFileName(full);
        void Check()
        {
            EnsureNoWriter(full);
            EnsureUnchanged(full, expectedHash, expectedLength, expectedWriteTimeUtc);
        }

        Check();
        string? backup = null;
        if (keepBackup)
        {
            // The backup is the original as linted, copied from the file in pieces (never a second copy of it in
            // memory) and checked as it goes: a different length or hash means it changed, and nothing is written.
            backup = SidecarNames.NextBackup(dir, name);
            WriteAtomically(backup, Path.Combine(dir, SidecarNames.NewTemp(name)), temp => CopyVerified(full, temp, path, expectedHash, expectedLength), openTemp, modeFrom: full, overwrite: false);
        }

        WriteAtomically(full, Path.Combine(dir, SidecarNames.NewTemp(name)), writeNew, openTemp, modeFrom: full, overwrite: true, beforeRename: () =>
        {
            beforeRename?.Invoke();
            Check();
        });
        return backup;
    }

    private static void CopyVerified(string source, Stream destination, string path, UInt128 expectedHash, long expectedLength)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        var hash = ContentHash.Start();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long copied = 0;
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
                destination.Write(buffer, 0, read);
                copied += read;
            }

            if (copied != expectedLength || hash.GetCurrentHashAsUInt128() != expectedHash)
            {
                throw new TranscriptChangedException($"{path} changed after it was read; nothing was written");
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteAtomically(string target, string temp, Action<Stream> write, Func<string, Stream>? openTemp, string modeFrom, bool overwrite, Action? beforeRename = null)
    {
        try
        {
            using (var stream = openTemp?.Invoke(temp) ?? new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None))
            {
                write(stream);
                if (stream is FileStream fs)
                {
                    fs.Flush(flushToDisk: true); // fsync
                }
                else
                {
                    stream.Flush();
                }
            }

            if (!OperatingSystem.IsWindows() && File.Exists(modeFrom))
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(modeFrom));
            }

            beforeRename?.Invoke();
            File.Move(temp, target, overwrite); // rename(2): atomic on the same file system
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static void EnsureNoWriter(string path)
    {
        var writers = OpenWriterProbe.Find(path);
        if (writers.Count > 0)
        {
            throw new TranscriptBusyException(FixLock.OpenForWritingMessage(path, writers));
        }
    }

    private static void EnsureUnchanged(string path, UInt128 expectedHash, long expectedLength, DateTime? expectedWriteTimeUtc)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        if (stream.Length != expectedLength)
        {
            throw new TranscriptChangedException($"{path} changed after it was read ({expectedLength} bytes then, {stream.Length} now); nothing was written. Stop the agent first, then run fix again");
        }

        if (expectedWriteTimeUtc is { } then && File.GetLastWriteTimeUtc(path) != then)
        {
            throw new TranscriptChangedException($"{path} changed after it was read (modified at {File.GetLastWriteTimeUtc(path):O}); nothing was written. Stop the agent first, then run fix again");
        }

        if (ContentHash.Of(stream) != expectedHash)
        {
            throw new TranscriptChangedException($"{path} changed after it was read (its bytes differ); nothing was written. Stop the agent first, then run fix again");
        }
    }
}
