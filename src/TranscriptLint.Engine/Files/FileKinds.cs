using System.Runtime.InteropServices;

namespace TranscriptLint.Engine.Files;

/// <summary>What a path is, as stat(2) says; only <see cref="Regular"/> files are ever opened for reading.</summary>
public enum FileKind
{
    /// <summary>Nothing there (or it cannot be stat'ed).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A named pipe: opening it for reading blocks until a writer comes.</summary>
    Fifo,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>A character device (/dev/zero never ends).</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,
}

/// <summary>A path that is not a regular file (FIFO, socket, device) and was not opened.</summary>
/// <param name="message">One line naming the path and what it is.</param>
public sealed class NotARegularFileException(string message) : IOException(message);

/// <summary>
/// Tells FIFOs, sockets and devices from regular files without opening them (open(2) on a FIFO blocks forever).
/// .NET exposes no file type beyond "directory", so this asks the runtime's own stat shim (libSystem.Native,
/// the one <see cref="FileInfo"/> uses): its FileStatus starts with Flags and the raw st_mode on every Unix.
/// Symbolic links are followed, so a link to a FIFO is a FIFO.
/// </summary>
public static class FileKinds
{
    private const int TypeMask = 0xF000;

    private static bool _shimMissing;

    /// <summary>The kind of <paramref name="path"/>, following symbolic links.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The kind; <see cref="FileKind.Missing"/> when it cannot be stat'ed.</returns>
    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsWindows() || _shimMissing)
        {
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        }

        var status = new byte[256]; // FileStatus is about 120 bytes; room to spare whatever its tail holds
        try
        {
            if (Stat(path, status) != 0)
            {
                return FileKind.Missing;
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _shimMissing = true;
            return Of(path);
        }

        return (BitConverter.ToInt32(status, 4) & TypeMask) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Missing,
        };
    }

    /// <summary>How a kind is named in messages, e.g. "a FIFO (named pipe)".</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The phrase.</returns>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Directory => "a folder",
        FileKind.Missing => "missing",
        _ => "a regular file",
    };

    /// <summary>Whether the path is a FIFO, socket or device: something never to open for reading.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>True for special files.</returns>
    public static bool IsSpecial(FileKind kind) => kind is FileKind.Fifo or FileKind.Socket or FileKind.CharacterDevice or FileKind.BlockDevice;

    /// <summary>Throws <see cref="NotARegularFileException"/> when <paramref name="path"/> is a FIFO, socket or device.</summary>
    /// <param name="path">The path.</param>
    /// <param name="displayPath">The path shown in the message.</param>
    public static void EnsureNotSpecial(string path, string? displayPath = null)
    {
        var kind = Of(path);
        if (IsSpecial(kind))
        {
            throw new NotARegularFileException($"{displayPath ?? path} is {Describe(kind)}, not a regular file; skipped without opening it");
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);
}
