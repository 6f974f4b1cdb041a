using System.IO.Hashing;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// The XxHash128 of a transcript's bytes: how the fixer proves the file it replaces is still the one it linted, and
/// that the bytes it copies around its edits are those bytes. Only "are these the same bytes?" is asked, never what an
/// adversary could forge (an agent appending a line is what it guards against), so a non-cryptographic hash does: a
/// fix checks the whole file four times, and SHA-256 cost 0.1 s per 100 MB each time, XxHash128 a tenth of that.
/// SHA-256 stays where a report records the file (SARIF's artifact hash, <c>fix --from-sarif</c>).
/// </summary>
public static class ContentHash
{
    /// <summary>The hash of some bytes.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The hash.</returns>
    public static UInt128 Of(ReadOnlySpan<byte> bytes) => XxHash128.HashToUInt128(bytes);

    /// <summary>The hash of a stream's bytes from its position to its end.</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>The hash.</returns>
    public static UInt128 Of(Stream stream)
    {
        var hash = new XxHash128();
        hash.Append(stream);
        return hash.GetCurrentHashAsUInt128();
    }

    /// <summary>A hash built chunk by chunk, in order.</summary>
    /// <returns>An empty hash.</returns>
    internal static XxHash128 Start() => new();
}
