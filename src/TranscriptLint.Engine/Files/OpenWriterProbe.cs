using System.Globalization;

namespace TranscriptLint.Engine.Files;

/// <summary>Another process that holds a file open for writing.</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="Command">Its name and command line, shortened.</param>
public sealed record OpenWriter(int Pid, string Command)
{
    /// <inheritdoc/>
    public override string ToString() => $"pid {Pid} ({Command})";
}

/// <summary>
/// Finds the processes that hold a file open for writing (Linux: every <c>/proc/PID/fd/N</c> link that points
/// at the file, whose <c>/proc/PID/fdinfo/N</c> flags say O_WRONLY, O_RDWR or O_APPEND). An agent that keeps its
/// session file open would go on writing into the old, unlinked file after <c>fix</c> renamed the new one into
/// place, and that line would be lost; so <c>fix</c> refuses while such a process exists. Processes of other users
/// cannot be inspected and are not seen. Elsewhere than Linux the probe finds nothing.
/// </summary>
public static class OpenWriterProbe
{
    private const int AccessModeMask = 3; // O_RDONLY 0, O_WRONLY 1, O_RDWR 2
    private const int Append = 0x400;     // O_APPEND (octal 02000)

    /// <summary>The other processes that hold <paramref name="path"/> open for writing.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The writers, by pid; empty when none or when the platform cannot tell.</returns>
    public static IReadOnlyList<OpenWriter> Find(string path)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self/fd"))
        {
            return [];
        }

        var target = CanonicalPath(path);
        if (target is null)
        {
            return [];
        }

        var self = Environment.ProcessId;
        var writers = new List<OpenWriter>();
        foreach (var procDir in SafeEnumerate("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(procDir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            foreach (var fdLink in SafeEnumerate(Path.Combine(procDir, "fd")))
            {
                string? linked;
                try
                {
                    linked = new FileInfo(fdLink).LinkTarget;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue; // the process or the descriptor went away
                }

                if (linked != target || !IsOpenForWriting(Path.Combine(procDir, "fdinfo", Path.GetFileName(fdLink))))
                {
                    continue;
                }

                writers.Add(new OpenWriter(pid, Describe(procDir)));
                break;
            }
        }

        return writers;
    }

    /// <summary>The path the kernel reports for <paramref name="path"/> (symbolic links and <c>..</c> resolved), as <c>/proc/PID/fd</c> links show it.</summary>
    private static string? CanonicalPath(string path)
    {
        try
        {
            // Opening with no access reads no byte; the link in /proc/self/fd is the kernel's own spelling of the path.
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new FileInfo("/proc/self/fd/" + handle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture)).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsOpenForWriting(string fdInfo)
    {
        try
        {
            foreach (var line in File.ReadLines(fdInfo))
            {
                if (line.StartsWith("flags:", StringComparison.Ordinal))
                {
                    var flags = Convert.ToInt32(line["flags:".Length..].Trim(), 8);
                    return (flags & AccessModeMask) != 0 || (flags & Append) != 0;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return false;
        }

        return false;
    }

    private static string Describe(string procDir)
    {
        string Read(string name)
        {
            try
            {
                return File.ReadAllText(Path.Combine(procDir, name)).Replace('\0', ' ').Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return "";
            }
        }

        var comm = Read("comm");
        var cmdline = Read("cmdline");
        if (cmdline.Length > 120)
        {
            cmdline = cmdline[..117] + "...";
        }

        return cmdline.Length == 0 ? comm : comm.Length == 0 ? cmdline : $"{comm}: {cmdline}";
    }

    private static IEnumerable<string> SafeEnumerate(string directory)
    {
        try
        {
            return Directory.GetFileSystemEntries(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
