using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>--shard K/N</c>: shard K of N takes the files whose path (relative to the source root, so every runner agrees
/// whatever its checkout folder) hashes to K-1 modulo N. Every file lands in exactly one shard.
/// </summary>
internal readonly record struct Shard(int Index, int Count)
{
    public static Shard Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && int.TryParse(text[..slash], out var k) && int.TryParse(text[(slash + 1)..], out var n) && n >= 1 && k >= 1 && k <= n)
        {
            return new Shard(k, n);
        }

        throw new UsageException($"--shard: expected K/N with 1 <= K <= N (e.g. 2/4), got '{text}'");
    }

    /// <summary>Whether a file (its path relative to the source root, with '/') belongs to this shard.</summary>
    public bool Holds(string relativePath) =>
        BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(relativePath))) % (ulong)Count == (ulong)(Index - 1);

    public override string ToString() => $"{Index}/{Count}";
}
