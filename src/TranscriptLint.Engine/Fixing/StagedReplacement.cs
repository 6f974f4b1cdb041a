using TranscriptLint.Engine.Files;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// One replacement of a transcript, in steps: the new bytes (and, where the file system has no hard links, a copy of
/// the original as the backup) are written to temp files beside it (<see cref="SidecarNames.NewTemp"/>) and fsynced,
/// each when the caller is ready, and <see cref="Commit"/> checks that the file is still the one that was linted and
/// only then renames them into place. Where it can, the commit keeps the backup by giving the checked original a second
/// name (a hard link) right before the new bytes take its first: the original itself, with nothing copied. Until the
/// commit the transcript is untouched, so the temps can be written early (<see cref="WriteAhead"/>: while the fixer's
/// last lint runs) and thrown away when they turn out not to be needed. Whatever is not committed is deleted on
/// <see cref="Dispose"/>.
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
    private readonly bool _keepBackup;
    private string? _backupTemp;
    private string? _contentTemp;
    private bool? _linksBackup; // whether the commit keeps the backup as a hard link; decided at the first staging

    /// <summary>Stages a replacement of <paramref name="path"/> (a symlink is followed: the file it points to is replaced).</summary>
    /// <param name="path">The transcript.</param>
    /// <param name="expectedHash">The <see cref="ContentHash"/> of the bytes the fix was computed from.</param>
    /// <param name="expectedLength">Their length.</param>
    /// <param name="keepBackup">Whether to keep the original as a backup.</param>
    /// <param name="expectedWriteTimeUtc">The file's modification time when it was read, if known.</param>
    public StagedReplacement(string path, UInt128 expectedHash, long expectedLength, bool keepBackup, DateTime? expectedWriteTimeUtc)
    {
        _displayPath = path;
        _full = FixLock.ResolveTarget(path);
        _dir = Path.GetDirectoryName(_full) ?? ".";
        _name = Path.GetFileName(_full);
        _expectedHash = expectedHash;
        _expectedLength = expectedLength;
        _expectedWriteTimeUtc = expectedWriteTimeUtc;
        _keepBackup = keepBackup;
    }

    /// <summary>How many temp files are staged (the backup, the new bytes).</summary>
    public int StagedFiles => (_backupTemp is null ? 0 : 1) + (_contentTemp is null ? 0 : 1);

    /// <summary>Test hook: opens a temp file for writing (default: a new file).</summary>
    public Func<string, Stream>? OpenTemp { get; init; }

    /// <summary>Test hook: gives a file a second name, false when it cannot (default: <see cref="HardLink.TryCreate"/>).</summary>
    public Func<string, string, bool>? Link { get; init; }

    /// <summary>Throws unless the file is still the one that was linted and nobody has it open for writing.</summary>
    /// <exception cref="TranscriptChangedException">The file changed after it was read.</exception>
    /// <exception cref="TranscriptBusyException">Another process has the file open for writing.</exception>
    public void Check()
    {
        EnsureNoWriter(_full);
        EnsureUnchanged(_full, _expectedHash, _expectedLength, _expectedWriteTimeUtc);
    }

    /// <summary>
    /// Writes a result to a temp file, in place of any staged before, after the backup when one is kept (copied once,
    /// checking as it goes that the original is the bytes that were linted).
    /// </summary>
    /// <param name="write">Writes the new bytes (e.g. <see cref="FixedContent.WriteTo"/>).</param>
    /// <exception cref="TranscriptChangedException">The file changed after it was read.</exception>
    public void StageResult(Action<Stream> write)
    {
        if (_keepBackup && _backupTemp is null && !LinksBackup())
        {
            _backupTemp = CopyBackupToTemp();
        }

        DropContent();
        var temp = Path.Combine(_dir, SidecarNames.NewTemp(_name));
        WriteTemp(temp, write, OpenTemp, modeFrom: _full);
        _contentTemp = temp;
    }

    /// <summary>Deletes the staged new bytes (they are not the fix's result after all); a staged backup is kept.</summary>
    public void DropContent()
    {
        if (_contentTemp is { } temp)
        {
            _contentTemp = null;
            DeleteTemp(temp);
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
        else if (_keepBackup)
        {
            backup = LinkOrCopyBackup();
        }

        File.Move(content, _full, overwrite: true); // rename(2): atomic on the same file system
        _contentTemp = null;
        return backup;
    }

    // Whether the backup will be the original under a second name, made at the commit (probed once, beside the file):
    // nothing to copy, fsync or read again, and a line an agent appends between the last check and the rename lands in
    // the backup instead of in a file no name points to.
    private bool LinksBackup()
    {
        if (_linksBackup is null)
        {
            var probe = Path.Combine(_dir, SidecarNames.NewTemp(_name));
            _linksBackup = LinkFile(_full, probe);
            if (_linksBackup == true)
            {
                File.Delete(probe); // removes the name only; the file keeps its own
            }
        }

        return _linksBackup.Value;
    }

    // The backup at the commit, right after the check: the checked original under a second name; a copy, checked as it
    // goes, should the link be refused after the probe allowed one (a quota, a name taken meanwhile).
    private string LinkOrCopyBackup()
    {
        var backup = SidecarNames.NextBackup(_dir, _name);
        if (LinkFile(_full, backup))
        {
            return backup;
        }

        var temp = CopyBackupToTemp();
        try
        {
            File.Move(temp, backup, overwrite: false);
        }
        catch
        {
            DeleteTemp(temp);
            throw;
        }

        return backup;
    }

    private bool LinkFile(string existing, string newName) => Link?.Invoke(existing, newName) ?? HardLink.TryCreate(existing, newName);

    // The original, copied to a temp beside it and checked against the hash as it is copied; the temp's path.
    private string CopyBackupToTemp()
    {
        var temp = Path.Combine(_dir, SidecarNames.NewTemp(_name));
        WriteTemp(temp, stream => CopyVerified(_full, stream, _displayPath, _expectedHash, _expectedLength), OpenTemp, modeFrom: _full);
        return temp;
    }

    /// <summary>Deletes whatever was staged and not committed.</summary>
    public void Dispose()
    {
        DropContent();
        if (_backupTemp is { } temp)
        {
            _backupTemp = null;
            DeleteTemp(temp);
        }
    }

    /// <summary>
    /// Writes a staged file to its temp beside the target and fsyncs it; <see cref="Commit"/> renames it. A temp left
    /// behind by a failure is deleted.
    /// </summary>
    /// <param name="temp">The temp file to create.</param>
    /// <param name="write">Writes the bytes.</param>
    /// <param name="openTemp">Test hook: opens the temp file (default: a new file).</param>
    /// <param name="modeFrom">The file whose Unix mode the temp takes.</param>
    private static void WriteTemp(string temp, Action<Stream> write, Func<string, Stream>? openTemp, string modeFrom)
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
    private static void DeleteTemp(string temp)
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
                throw new TranscriptChangedException($"{path} changed after it was read (its bytes differ); nothing was written. Stop the agent first, then run fix again");
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
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
