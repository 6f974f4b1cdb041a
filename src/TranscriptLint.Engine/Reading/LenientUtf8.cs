using System.Text;
using System.Text.Unicode;

namespace TranscriptLint.Engine.Reading;

/// <summary>
/// UTF-8 as a lenient reader reads it: each invalid sequence as one U+FFFD, as the Unicode standard recommends and
/// Node, Rust's <c>from_utf8_lossy</c> and .NET decode. How the linter parses a line or document that is not valid
/// UTF-8, and what the repairs of such bytes (TL1002, a restored document) write.
/// </summary>
public static class LenientUtf8
{
    /// <summary>The bytes with each invalid sequence replaced by U+FFFD (a copy, also of valid bytes).</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>Valid UTF-8.</returns>
    public static byte[] Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes));

    /// <summary>Whether <paramref name="after"/> is <paramref name="before"/>, which is not valid UTF-8, with each invalid sequence read as U+FFFD and nothing else changed.</summary>
    /// <param name="before">The bytes as they were.</param>
    /// <param name="after">The bytes as they are now.</param>
    /// <returns>True for exactly that repair.</returns>
    public static bool IsRepairOf(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after) =>
        !Utf8.IsValid(before) && after.SequenceEqual(Decode(before));
}
