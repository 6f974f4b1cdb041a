using TranscriptLint.Engine.Files;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// One replacement of a transcript, in steps: the backup and the new bytes are written to temp files beside it
/// (<see cref="SidecarNames.NewTemp"/>) and fsynced, each when the caller is ready, and <see cref="Commit"/> checks that
/// the file is still the one that was linted and only then renames them into place. Until then the transcript is
/// untouched, so the temps can be written early (<see cref="WriteAhead"/>: while the fixer's last lint runs) and thrown
/// away when they turn out not to be needed. Whatever is not committed is deleted on <see cref="Dispose"/>.
/// </summary>
internal sealed class StagedReplacement : IDisposable
{
    private readonly string _full;
    private readonly string _dir;
    private readonly string _name;
    private readonly string _displayPath;
    private readonly UInt128 _expectedHash;
    private readonly long _expectedLength;
    private readonly DateTime? _expectedWriteTimeUtc;
    private string? _backupTemp;
    private string? _contentTemp;

    /// <summary>Stages a replacement of <paramref name="path"/> (a symlink is followed: the file it points to is replaced).</summary>
    /// <param name="path">The transcript.</param>
    /// <param name="expectedHash">The <see cref="ContentHash"/> of the bytes the fix was computed from.</param>
    /// <param name="expectedLength">Their length.</param>
    /// <param name="expectedWriteTimeUtc">The file's modification time when it was read, if known.</param>
    public StagedReplacement(string path, UInt128 expectedHash, long expectedLength, DateTime? expectedWriteTimeUtc)
    {
        _displayPath = path;
        _full = FixLock.ResolveTarget(path);
        _dir = Path.GetDirectoryName(_full) ?? ".";
        _name = Path.GetFileName(_full);
        _expectedHash = expectedHash;
        _expectedLength = expectedLength;
        _expectedWriteTimeUtc = expectedWriteTimeUtc;
    }

    /// <summary>How many temp files are staged (the backup, the new bytes).</summary>
    public int StagedFiles => (_backupTemp is null ? 0 : 1) + (_contentTemp is null ? 0 : 1);

    /// <summary>Test hook: opens a temp file for writing (default: a new file).</summary>
    public Func<string, Stream>? OpenTemp { get; init; }

    /// <summary>Throws unless the file is still the one that was linted and nobody has it open for writing.</summary>
    /// <exception cref="TranscriptChangedException">The file changed after it was read.</exception>
    /// <exception cref="TranscriptBusyException">Another process has the file open for writing.</exception>
    public void Check() => SafeFileWriter.Check(_full, _expectedHash, _expectedLength, _expectedWriteTimeUtc);

    /// <summary>Copies the original to the backup's temp, checking as it goes that it is the bytes that were linted (once).</summary>
    /// <exception cref="TranscriptChangedException">The file changed after it was read.</exception>
    public void StageBackup()
    {
        if (_backupTemp is not null)
        {
            return;
        }

        var temp = Path.Combine(_dir, SidecarNames.NewTemp(_name));
        SafeFileWriter.WriteTemp(temp, stream => SafeFileWriter.CopyVerified(_full, stream, _displayPath, _expectedHash, _expectedLength), OpenTemp, modeFrom: _full);
        _backupTemp = temp;
    }

    /// <summary>Writes the new bytes to a temp file, in place of any staged before.</summary>
    /// <param name="write">Writes the new bytes (e.g. <see cref="FixedContent.WriteTo"/>).</param>
    public void StageContent(Action<Stream> write)
    {
        DropContent();
        var temp = Path.Combine(_dir, SidecarNames.NewTemp(_name));
        SafeFileWriter.WriteTemp(temp, write, OpenTemp, modeFrom: _full);
        _contentTemp = temp;
    }

    /// <summary>Deletes the staged new bytes (they are not the fix's result after all); a staged backup is kept.</summary>
    public void DropContent()
    {
        if (_contentTemp is { } temp)
        {
            _contentTemp = null;
            SafeFileWriter.DeleteTemp(temp);
        }
    }

    /// <summary>
    /// Checks the file once more and renames the staged backup (to <see cref="SidecarNames.NextBackup"/>, never over
    /// another) and then the new bytes into place.
    /// </summary>
    /// <param name="beforeRename">Test hook: runs right before the check and the renames.</param>
    /// <returns>The backup's full path, or null when none was staged.</returns>
    /// <exception cref="InvalidOperationException">No new bytes were staged.</exception>
    public string? Commit(Action? beforeRename = null)
    {
        var content = _contentTemp ?? throw new InvalidOperationException("nothing staged to commit");
        beforeRename?.Invoke();
        Check();
        string? backup = null;
        if (_backupTemp is { } backupTemp)
        {
            backup = SidecarNames.NextBackup(_dir, _name);
            File.Move(backupTemp, backup, overwrite: false); // rename(2); a backup is never replaced
            _backupTemp = null;
        }

        File.Move(content, _full, overwrite: true); // rename(2): atomic on the same file system
        _contentTemp = null;
        return backup;
    }

    /// <summary>Deletes whatever was staged and not committed.</summary>
    public void Dispose()
    {
        DropContent();
        if (_backupTemp is { } temp)
        {
            _backupTemp = null;
            SafeFileWriter.DeleteTemp(temp);
        }
    }
}
