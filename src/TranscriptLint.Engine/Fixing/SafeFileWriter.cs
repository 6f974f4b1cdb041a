using System.Security.Cryptography;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// Replaces a file without ever leaving a partial one: the new bytes go to a temp file in the same folder,
/// which is flushed and fsynced and then renamed over the original (an atomic replace on one file system).
/// The original is kept as <c>FILE.bak</c> (written the same way) unless asked not to. Before writing and
/// again right before the rename, the file on disk is hashed and compared with the bytes that were linted;
/// when it changed (an agent still appending), nothing is replaced.
/// </summary>
public static class SafeFileWriter
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="newBytes"/>.</summary>
    /// <param name="path">The transcript.</param>
    /// <param name="expectedSha256">SHA-256 (hex) of the bytes the fix was computed from.</param>
    /// <param name="expectedLength">Their length.</param>
    /// <param name="newBytes">The fixed bytes.</param>
    /// <param name="keepBackup">Whether to keep the original as <c>path.bak</c>.</param>
    /// <param name="openTemp">Test hook: opens the temp file for writing (default: a new file).</param>
    public static void Replace(string path, string expectedSha256, long expectedLength, ReadOnlySpan<byte> newBytes, bool keepBackup, Func<string, Stream>? openTemp = null)
    {
        var full = Path.GetFullPath(path);
        if (new FileInfo(full).LinkTarget is not null && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target)
        {
            full = target.FullName; // replace the file a symlink points to, not the link
        }

        var dir = Path.GetDirectoryName(full) ?? ".";
        EnsureUnchanged(full, expectedSha256, expectedLength);

        if (keepBackup)
        {
            // The backup is the original as linted; written atomically too so a crash never leaves half of it.
            var original = File.ReadAllBytes(full);
            WriteAtomically(full + ".bak", dir, original, openTemp, modeFrom: full);
        }

        WriteAtomically(full, dir, newBytes, openTemp, modeFrom: full, beforeRename: () => EnsureUnchanged(full, expectedSha256, expectedLength));
    }

    private static void WriteAtomically(string target, string dir, ReadOnlySpan<byte> bytes, Func<string, Stream>? openTemp, string modeFrom, Action? beforeRename = null)
    {
        var temp = Path.Combine(dir, "." + Path.GetFileName(target) + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".tmp");
        try
        {
            using (var stream = openTemp?.Invoke(temp) ?? new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None))
            {
                stream.Write(bytes);
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
            File.Move(temp, target, overwrite: true); // rename(2): atomic on the same file system
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static void EnsureUnchanged(string path, string expectedSha256, long expectedLength)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        if (stream.Length != expectedLength)
        {
            throw new TranscriptChangedException($"{path} changed after it was read ({expectedLength} bytes then, {stream.Length} now); nothing was written");
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(sha, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new TranscriptChangedException($"{path} changed after it was read (sha-256 differs); nothing was written");
        }
    }
}
