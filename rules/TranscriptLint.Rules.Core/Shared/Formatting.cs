using System.Globalization;

namespace TranscriptLint.Rules.Core;

/// <summary>How finding messages write quantities.</summary>
internal static class Formatting
{
    /// <summary>A byte count as KB or MB with one decimal (TL6001, TL6002).</summary>
    public static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB";
}
