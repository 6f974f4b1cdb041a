using System.Runtime.InteropServices;

namespace TranscriptLint.Engine.Files;

/// <summary>A second name for an existing file (<c>link(2)</c>), where the system and the file system have them.</summary>
internal static class HardLink
{
    private static bool _shimMissing;

    /// <summary>Gives <paramref name="existing"/> the name <paramref name="newName"/>, which must not exist yet.</summary>
    /// <param name="existing">The file.</param>
    /// <param name="newName">Its second name, in the same file system.</param>
    /// <returns>False when the name was not made: no hard links here (Windows, FAT, some network shares), the name is
    /// taken, or the system refused.</returns>
    public static bool TryCreate(string existing, string newName)
    {
        if (OperatingSystem.IsWindows() || _shimMissing)
        {
            return false;
        }

        try
        {
            return Link(existing, newName) == 0;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _shimMissing = true;
            return false;
        }
    }

    // The runtime's own shim over link(2), as FileKinds uses its stat.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string source, [MarshalAs(UnmanagedType.LPUTF8Str)] string linkTarget);
}
