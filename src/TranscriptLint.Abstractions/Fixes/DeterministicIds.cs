using System.Security.Cryptography;
using System.Text;

namespace TranscriptLint.Fixes;

/// <summary>
/// Name-based (RFC 9562 version 5) UUIDs for entries a fix creates, so the same input always gives the
/// same output bytes and a rule can refer to an entry another edit of the same fix inserts.
/// </summary>
public static class DeterministicIds
{
    // A fixed namespace for TranscriptLint-made ids (itself a v5 UUID of "transcriptlint.dev").
    private static readonly Guid Namespace = new("6f1d8a52-3c0e-5b8f-9a55-1c2e7d4b9f10");

    /// <summary>The uuid of the synthetic result that answers <paramref name="toolCallId"/>.</summary>
    /// <param name="toolCallId">The tool call id.</param>
    /// <returns>A lower-case UUID string.</returns>
    public static string ForToolResult(string toolCallId) => NameBased("tool-result:" + toolCallId);

    /// <summary>A version 5 UUID of <paramref name="name"/> in TranscriptLint's namespace.</summary>
    /// <param name="name">Any stable name.</param>
    /// <returns>A lower-case UUID string.</returns>
    public static string NameBased(string name)
    {
        Span<byte> ns = stackalloc byte[16];
        Namespace.TryWriteBytes(ns, bigEndian: true, out _);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        ns.CopyTo(input);
        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }
}
