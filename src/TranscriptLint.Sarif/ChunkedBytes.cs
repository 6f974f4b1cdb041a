using System.IO.Compression;

namespace TranscriptLint.Sarif;

/// <summary>
/// A serialized log held as 64 KiB chunks, its gzip size counted chunk by chunk. A log of tens of thousands of
/// results is tens of MB: serialized into one string it was copied four times over (the string, its UTF-8 bytes, the
/// compressed copy that measured it, the text the report wrote), about 14 times the log's size at the peak.
/// </summary>
internal sealed class ChunkedBytes : Stream
{
    private const int ChunkSize = 1 << 16;

    private readonly List<byte[]> _chunks = [];
    private readonly CountingStream _compressed = new();
    private readonly GZipStream _gzip;
    private int _used = ChunkSize; // of the last chunk; full before the first write

    public ChunkedBytes() => _gzip = new GZipStream(_compressed, CompressionLevel.Optimal, leaveOpen: true);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => ((long)_chunks.Count * ChunkSize) - (ChunkSize - _used);

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// The gzip-compressed size of everything written (the stream is complete: nothing may follow). The compressor is
    /// fed whole chunks, so the size depends on the bytes alone, not on how the writer flushed them.
    /// </summary>
    /// <returns>The compressed length in bytes.</returns>
    public long GzipLength()
    {
        if (_chunks.Count > 0 && _used < ChunkSize)
        {
            _gzip.Write(_chunks[^1], 0, _used);
        }

        _gzip.Dispose(); // writes the last block and the trailer
        return _compressed.Length;
    }

    /// <summary>Copies the bytes to <paramref name="output"/>, a chunk at a time.</summary>
    /// <param name="output">Where to write.</param>
    public void WriteTo(Stream output)
    {
        for (var i = 0; i < _chunks.Count; i++)
        {
            output.Write(_chunks[i], 0, i == _chunks.Count - 1 ? _used : ChunkSize);
        }
    }

    /// <summary>The bytes as one array (for callers that want them whole).</summary>
    /// <returns>A new array.</returns>
    public byte[] ToArray()
    {
        var all = new byte[Length];
        var at = 0;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var count = i == _chunks.Count - 1 ? _used : ChunkSize;
            Buffer.BlockCopy(_chunks[i], 0, all, at, count);
            at += count;
        }

        return all;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_used == ChunkSize)
            {
                _chunks.Add(new byte[ChunkSize]);
                _used = 0;
            }

            var n = Math.Min(buffer.Length, ChunkSize - _used);
            buffer[..n].CopyTo(_chunks[^1].AsSpan(_used));
            _used += n;
            buffer = buffer[n..];
            if (_used == ChunkSize)
            {
                _gzip.Write(_chunks[^1]);
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    // Counts what the compressor writes and keeps none of it.
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
