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
        using var staged = new StagedReplacement(path, expectedHash, expectedLength, expectedWriteTimeUtc) { OpenTemp = openTemp };
        staged.Check();
        if (keepBackup)
        {
            staged.StageBackup();
        }

        staged.StageContent(writeNew);
        return staged.Commit(beforeRename);
    }

    /// <summary>
    /// Writes a staged file to its temp beside the target and fsyncs it; the caller renames it. A temp left behind by a
    /// failure is deleted.
    /// </summary>
    /// <param name="temp">The temp file to create.</param>
    /// <param name="write">Writes the bytes.</param>
    /// <param name="openTemp">Test hook: opens the temp file (default: a new file).</param>
    /// <param name="modeFrom">The file whose Unix mode the temp takes.</param>
    internal static void WriteTemp(string temp, Action<Stream> write, Func<string, Stream>? openTemp, string modeFrom)
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
        }
        catch
        {
            DeleteTemp(temp);
            throw;
        }
    }

    /// <summary>Deletes a temp file if it is there.</summary>
    /// <param name="temp">The temp file.</param>
    internal static void DeleteTemp(string temp)
    {
        if (File.Exists(temp))
        {
            File.Delete(temp);
        }
    }

    /// <summary>The original, copied from the file in pieces (never a second copy of it in memory) and checked as it goes.</summary>
    /// <param name="source">The transcript.</param>
    /// <param name="destination">The backup's temp file.</param>
    /// <param name="path">The path for messages.</param>
    /// <param name="expectedHash">The <see cref="ContentHash"/> of the bytes that were linted.</param>
    /// <param name="expectedLength">Their length.</param>
    internal static void CopyVerified(string source, Stream destination, string path, UInt128 expectedHash, long expectedLength)
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
                throw new TranscriptChangedException($"{path} changed after it was read (its bytes differ); nothing was written. Stop the agent first, then run fix again");
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Throws unless the file on disk is still the one that was linted (size, modification time when given, hash) and
    /// no other process has it open for writing.
    /// </summary>
    /// <param name="full">The transcript's full path (a symlink resolved).</param>
    /// <param name="expectedHash">The <see cref="ContentHash"/> of the bytes that were linted.</param>
    /// <param name="expectedLength">Their length.</param>
    /// <param name="expectedWriteTimeUtc">The file's modification time when it was read, if known.</param>
    internal static void Check(string full, UInt128 expectedHash, long expectedLength, DateTime? expectedWriteTimeUtc)
    {
        EnsureNoWriter(full);
        EnsureUnchanged(full, expectedHash, expectedLength, expectedWriteTimeUtc);
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
