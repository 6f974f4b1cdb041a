using System.Security.Cryptography;
using System.Text;

namespace TranscriptLint.Engine.Files;

/// <summary>
/// The names of the files <c>fix</c> puts beside a transcript <c>NAME</c>:
/// <list type="bullet">
/// <item>backups: <c>NAME.bak</c> (the first one, never overwritten), then <c>NAME.bak.1</c>, <c>NAME.bak.2</c>, …;</item>
/// <item>temp files: <c>.NAME.tl-tmp-XXXXXXXXXXXX</c> (12 random hex digits), renamed over the target or deleted;</item>
/// <item>the lock: <c>.NAME.tl-lock</c>, held while one <c>fix</c> works on NAME and deleted after.</item>
/// </list>
/// Every name stays within NAME_MAX (255 bytes): when NAME plus the suffix would not fit, NAME is cut (at a
/// character boundary) and <c>~</c> and 8 hex digits of its SHA-256 are added, so the name stays unique and the
/// same on every run.
/// </summary>
public static class SidecarNames
{
    /// <summary>The longest file name, in UTF-8 bytes, Linux and macOS accept.</summary>
    public const int NameMax = 255;

    /// <summary>What marks a temp file of <c>fix</c>.</summary>
    public const string TempMarker = ".tl-tmp-";

    /// <summary>The lock file's suffix.</summary>
    public const string LockSuffix = ".tl-lock";

    private const int RandomHexDigits = 12;

    /// <summary>The lock file's name for a transcript named <paramref name="fileName"/>.</summary>
    /// <param name="fileName">The transcript's file name (no folder).</param>
    /// <returns>The lock file's name.</returns>
    public static string Lock(string fileName) => "." + Stem(fileName, 1 + LockSuffix.Length) + LockSuffix;

    /// <summary>A fresh temp file name for a transcript named <paramref name="fileName"/>.</summary>
    /// <param name="fileName">The transcript's file name.</param>
    /// <returns>The temp file's name.</returns>
    public static string NewTemp(string fileName) => TempPrefix(fileName) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomHexDigits / 2));

    /// <summary>Whether <paramref name="candidate"/> is a temp file a run of <c>fix</c> on <paramref name="fileName"/> left behind (this version's names and the older <c>.NAME.XXXXXXXXXXXX.tmp</c>).</summary>
    /// <param name="fileName">The transcript's file name.</param>
    /// <param name="candidate">A file name in the same folder.</param>
    /// <returns>True for a temp file of that transcript.</returns>
    public static bool IsTempOf(string fileName, string candidate)
    {
        var prefix = TempPrefix(fileName);
        if (candidate.Length == prefix.Length + RandomHexDigits && candidate.StartsWith(prefix, StringComparison.Ordinal) && IsHex(candidate.AsSpan(prefix.Length)))
        {
            return true;
        }

        // Versions before 0.2 named temps ".NAME.<12 hex>.tmp" and ".NAME.bak.<12 hex>.tmp".
        foreach (var legacy in (ReadOnlySpan<string>)["." + fileName + ".", "." + fileName + ".bak."])
        {
            if (candidate.Length == legacy.Length + RandomHexDigits + 4 && candidate.StartsWith(legacy, StringComparison.Ordinal) &&
                candidate.EndsWith(".tmp", StringComparison.Ordinal) && IsHex(candidate.AsSpan(legacy.Length, RandomHexDigits)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name of backup number <paramref name="number"/>: 0 is <c>NAME.bak</c>, n is <c>NAME.bak.n</c>.</summary>
    /// <param name="fileName">The transcript's file name.</param>
    /// <param name="number">0 for the first backup.</param>
    /// <returns>The backup's name.</returns>
    public static string Backup(string fileName, int number)
    {
        var suffix = number == 0 ? ".bak" : ".bak." + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Stem(fileName, suffix.Length) + suffix;
    }

    /// <summary>The first backup name in <paramref name="directory"/> that is not taken: earlier backups are never overwritten.</summary>
    /// <param name="directory">The transcript's folder.</param>
    /// <param name="fileName">The transcript's file name.</param>
    /// <returns>The full path of the backup to write.</returns>
    public static string NextBackup(string directory, string fileName)
    {
        for (var n = 0; ; n++)
        {
            var candidate = Path.Combine(directory, Backup(fileName, n));
            if (!File.Exists(candidate) && !Directory.Exists(candidate) && new FileInfo(candidate).LinkTarget is null)
            {
                return candidate;
            }
        }
    }

    private static string TempPrefix(string fileName) => "." + Stem(fileName, 1 + TempMarker.Length + RandomHexDigits) + TempMarker;

    /// <summary><paramref name="fileName"/> itself when it and <paramref name="reserveBytes"/> more fit NAME_MAX; else a cut name with a hash.</summary>
    internal static string Stem(string fileName, int reserveBytes)
    {
        if (Encoding.UTF8.GetByteCount(fileName) + reserveBytes <= NameMax)
        {
            return fileName;
        }

        var hash = "~" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fileName)))[..8];
        var budget = NameMax - reserveBytes - hash.Length;
        var cut = 0;
        var bytes = 0;
        foreach (var rune in fileName.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            cut += rune.Utf16SequenceLength;
        }

        return fileName[..cut] + hash;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
