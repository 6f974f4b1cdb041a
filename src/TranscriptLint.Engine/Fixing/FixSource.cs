using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using TranscriptLint.Engine.Files;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// The bytes a fix starts from: an array in memory, or a file read by offset when a pass needs them, so that fixing a
/// big file does not hold it (the lints stream it, the writer copies it). A file source keeps the length and
/// <see cref="ContentHash"/> it read when opened; the writer proves it copied exactly those bytes
/// (<see cref="FixedContent.WriteTo"/>).
/// </summary>
public abstract class FixSource : IDisposable
{
    /// <summary>The length in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>The <see cref="ContentHash"/> of the bytes, taken when the source was made.</summary>
    public abstract UInt128 Hash { get; }

    /// <summary>SHA-256 of the bytes, lower-case hex, computed on first use (only a report's recorded hash asks for it).</summary>
    public string Sha256 => _sha256 ??= ComputeSha256();

    private string? _sha256;

    /// <summary>The bytes, when they are in memory; null for a file read on demand.</summary>
    public virtual ReadOnlyMemory<byte>? Memory => null;

    /// <summary>
    /// Waits until the bytes were read once (a file source reads them to hash them when opened, on another thread), so
    /// that an I/O error surfaces here rather than at the first use of <see cref="Hash"/> or <see cref="Length"/>.
    /// </summary>
    public virtual void WaitUntilRead()
    {
    }

    /// <summary>Whether <see cref="FixedContent.WriteTo"/> must check, as it copies, that these are still the bytes hashed at the start.</summary>
    internal virtual bool VerifyOnWrite => false;

    /// <summary>Bytes held in memory (which must not change afterwards).</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The source.</returns>
    public static FixSource Of(byte[] bytes) => new InMemory(bytes);

    /// <summary>
    /// Opens a file to be fixed without reading it into memory: one pass now hashes it (<see cref="ContentHash"/>) and
    /// takes its length (bytes appended later are not part of it; the writer's checks see them and refuse).
    /// </summary>
    /// <param name="path">The transcript.</param>
    /// <returns>The source; dispose it when the fix is written or abandoned.</returns>
    public static FixSource OpenFile(string path)
    {
        FileKinds.EnsureNotSpecial(path, path); // a FIFO would block the open forever
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.RandomAccess);
        try
        {
            // Hashed on another core while the caller sets up its lint (a fix of 100 MB: 20 ms of its second). Truncated
            // while hashing: the bytes that are there.
            var length = RandomAccess.GetLength(handle);
            return new InFile(handle, Task.Run(() => HashOf(length, (at, into) => RandomAccess.Read(handle, into, at))));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The result of a previous pass as the source of the next, read through its pieces (a second pass does not make
    /// the file an array). Its hash is taken now, over the content as the next pass will lint it; when the content
    /// reads a file, writing re-hashes it as it copies, so a file changed since is caught as for the first pass.
    /// </summary>
    /// <param name="content">The content after a pass.</param>
    /// <returns>The source.</returns>
    public static FixSource Over(FixedContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (hash, _) = HashOf(content.Length, (at, into) =>
        {
            content.ReadAt(at, into);
            return into.Length;
        });
        return new InContent(content, hash);
    }

    // Reads bytes at an offset into a buffer; returns how many (0 at the end).
    private delegate int ChunkReader(long offset, Span<byte> into);

    // Reads up to `length` bytes in order, in 1 MiB chunks, and hashes them; a read of 0 ends early. The hash and how
    // many bytes there were.
    private static (UInt128 Hash, long Length) HashOf(long length, ChunkReader read)
    {
        var hash = ContentHash.Start();
        var at = ReadInOrder(length, read, chunk => hash.Append(chunk));
        return (hash.GetCurrentHashAsUInt128(), at);
    }

    private string ComputeSha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ReadInOrder(Length, (at, into) =>
        {
            Read(at, into);
            return into.Length;
        }, chunk => hash.AppendData(chunk));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private delegate void ChunkSink(ReadOnlySpan<byte> chunk);

    // Reads up to `length` bytes in order, in 1 MiB chunks, each handed to `sink`; a read of 0 ends early. How many
    // bytes there were.
    private static long ReadInOrder(long length, ChunkReader read, ChunkSink sink)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var at = 0L;
            while (at < length)
            {
                var n = read(at, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - at)));
                if (n == 0)
                {
                    break;
                }

                sink(buffer.AsSpan(0, n));
                at += n;
            }

            return at;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads exactly <paramref name="into"/>'s length of bytes at <paramref name="offset"/>.</summary>
    /// <param name="offset">Where to start.</param>
    /// <param name="into">Where to put them.</param>
    /// <exception cref="TranscriptChangedException">The file became shorter than it was when opened.</exception>
    public abstract void Read(long offset, Span<byte> into);

    /// <summary>The bytes as one array: the array itself for memory, a copy of the file otherwise.</summary>
    /// <returns>The bytes.</returns>
    public abstract byte[] ToArray();

    /// <summary>Releases the file, if any.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the file, if any.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    private sealed class InMemory(byte[] bytes) : FixSource
    {
        private UInt128? _hash;

        public override long Length => bytes.Length;

        public override UInt128 Hash => _hash ??= ContentHash.Of(bytes);

        public override ReadOnlyMemory<byte>? Memory => bytes;

        public override void Read(long offset, Span<byte> into) => bytes.AsSpan(checked((int)offset), into.Length).CopyTo(into);

        public override byte[] ToArray() => bytes;
    }

    private sealed class InContent(FixedContent content, UInt128 hash) : FixSource
    {
        public override long Length => content.Length;

        public override UInt128 Hash => hash;

        internal override bool VerifyOnWrite => content.Source.VerifyOnWrite;

        public override void Read(long offset, Span<byte> into) => content.ReadAt(offset, into);

        public override byte[] ToArray() => content.ToArray();
    }

    private sealed class InFile(SafeFileHandle handle, Task<(UInt128 Hash, long Length)> hashing) : FixSource
    {
        public override long Length => Hashed().Length;

        public override UInt128 Hash => Hashed().Hash;

        public override void WaitUntilRead() => Hashed();

        // The hash as the read that made it ended: its exception (an I/O error) as thrown, not wrapped.
        private (UInt128 Hash, long Length) Hashed() => hashing.GetAwaiter().GetResult();

        internal override bool VerifyOnWrite => true;

        public override void Read(long offset, Span<byte> into)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + into.Length, Length, nameof(into));
            while (!into.IsEmpty)
            {
                var read = RandomAccess.Read(handle, into, offset);
                if (read == 0)
                {
                    throw new TranscriptChangedException("the transcript became shorter while it was being fixed; nothing was written");
                }

                into = into[read..];
                offset += read;
            }
        }

        public override byte[] ToArray()
        {
            var bytes = GC.AllocateUninitializedArray<byte>(checked((int)Length));
            Read(0, bytes);
            return bytes;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // Not under the hash's read: a source given up early (its engine could not be set up) waits for it.
                Task.WhenAny(hashing).GetAwaiter().GetResult();
                handle.Dispose();
            }
        }
    }
}
