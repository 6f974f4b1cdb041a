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
        using var staged = new StagedReplacement(path, expectedHash, expectedLength, keepBackup, expectedWriteTimeUtc) { OpenTemp = openTemp };
        staged.Check();
        staged.StageResult(writeNew);
        return staged.Commit(beforeRename);
    }
}
