using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// A file's bytes after a pass of edits, kept as the bytes before it (a <see cref="FixSource"/>: an array, or the file
/// read by offset) plus the edits (a piece table) rather than as a copy: the fixer lints it and the writer writes it
/// by reading through, so a one-pass fix of a file holds none of it. <see cref="ToArray"/> makes the copy when one is
/// really needed (another pass, a diff).
/// </summary>
public sealed class FixedContent
{
    private readonly FixSource _source;
    private readonly Piece[] _pieces;

    // One run of the content: a slice of the source, or inserted bytes.
    private readonly record struct Piece(long Start, byte[]? Inserted, long SourceOffset, int Length);

    private FixedContent(FixSource source, Piece[] pieces, long length)
    {
        _source = source;
        _pieces = pieces;
        Length = length;
    }

    /// <summary>The length in bytes.</summary>
    public long Length { get; }

    /// <summary>The bytes the edits were applied to.</summary>
    public FixSource Source => _source;

    /// <summary>Whether the content is the source itself, unedited.</summary>
    internal bool IsSource => _pieces.All(p => p.Inserted is null && p.SourceOffset == p.Start) && Length == _source.Length;

    private const int MaxPiece = 1 << 30;

    /// <summary>The bytes unedited.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>Content that is exactly <paramref name="bytes"/>.</returns>
    public static FixedContent Of(byte[] bytes) => Of(FixSource.Of(bytes));

    /// <summary>The source unedited.</summary>
    /// <param name="source">The bytes.</param>
    /// <returns>Content that is exactly the source.</returns>
    public static FixedContent Of(FixSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Apply(source, []);
    }

    /// <summary>Applies disjoint edits to the bytes they were rendered against, without copying those bytes.</summary>
    /// <param name="source">The bytes as linted.</param>
    /// <param name="edits">The edits, in any order; they must not overlap.</param>
    /// <returns>The content after the edits.</returns>
    /// <exception cref="ArgumentException">Two edits overlap or one lies outside the bytes.</exception>
    public static FixedContent Apply(byte[] source, IEnumerable<TextEdit> edits) => Apply(FixSource.Of(source), edits);

    /// <inheritdoc cref="Apply(byte[], IEnumerable{TextEdit})"/>
    public static FixedContent Apply(FixSource source, IEnumerable<TextEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(source);
        var pieces = new List<Piece>();
        var at = 0L;
        var length = 0L;
        void Add(byte[]? inserted, long sourceOffset, long count)
        {
            while (count > 0)
            {
                var piece = (int)Math.Min(count, MaxPiece); // a file source may be longer than one span can say
                pieces.Add(new Piece(length, inserted, sourceOffset, piece));
                length += piece;
                sourceOffset += piece;
                count -= piece;
            }
        }

        foreach (var (e, inserted) in RenderedFix.InFileOrder(edits, source.Length))
        {
            Add(null, at, e.ByteOffset - at);
            Add(inserted, 0, inserted.Length);
            at = e.ByteEnd;
        }

        Add(null, at, source.Length - at);
        return new FixedContent(source, [.. pieces], length);
    }

    /// <summary>The content as one array: the source's own array when nothing was edited, else a copy.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToArray()
    {
        if (IsSource)
        {
            return _source.ToArray();
        }

        var output = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        foreach (var p in _pieces)
        {
            Copy(p, 0, output.AsSpan((int)p.Start, p.Length));
        }

        return output;
    }

    /// <summary>
    /// Writes the content to a stream. From a file source it reads the whole source in order as it copies and checks
    /// its <see cref="ContentHash"/> against the one taken when the file was opened, so what is written outside the
    /// edits is proven to be the bytes that were linted.
    /// </summary>
    /// <param name="destination">The stream.</param>
    /// <exception cref="TranscriptChangedException">The file's bytes are no longer the ones it was opened with.</exception>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!_source.VerifyOnWrite && _source.Memory is { } memory)
        {
            foreach (var p in _pieces)
            {
                destination.Write(p.Inserted is { } inserted ? inserted : memory.Span.Slice((int)p.SourceOffset, p.Length));
            }

            return;
        }

        var hash = ContentHash.Start();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var hashed = 0L; // the source is hashed in order, the bytes the edits replace included
            void HashUpTo(long end, Stream? copyTo)
            {
                while (hashed < end)
                {
                    var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - hashed));
                    _source.Read(hashed, chunk);
                    hash.Append(chunk);
                    copyTo?.Write(chunk);
                    hashed += chunk.Length;
                }
            }

            foreach (var p in _pieces)
            {
                if (p.Inserted is { } inserted)
                {
                    destination.Write(inserted);
                    continue;
                }

                HashUpTo(p.SourceOffset, null);
                HashUpTo(p.SourceOffset + p.Length, destination);
            }

            HashUpTo(_source.Length, null);
            if (hash.GetCurrentHashAsUInt128() != _source.Hash)
            {
                throw new TranscriptChangedException("the transcript changed while it was being fixed (its bytes differ); nothing was written. Stop the agent first, then run fix again");
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether the content is exactly these bytes.</summary>
    /// <param name="bytes">The bytes to compare with.</param>
    /// <returns>True when equal.</returns>
    public bool ContentEquals(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            return false;
        }

        var buffer = new byte[1 << 16];
        foreach (var p in _pieces)
        {
            if (!PieceEquals(p, bytes.Slice((int)p.Start, p.Length), buffer))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether two contents hold the same bytes.</summary>
    /// <param name="other">The other content.</param>
    /// <returns>True when equal.</returns>
    public bool ContentEquals(FixedContent other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Length != Length)
        {
            return false;
        }

        if (IsSource && _source.Memory is { } memory)
        {
            return other.ContentEquals(memory.Span);
        }

        if (other.IsSource && other._source.Memory is { } theirMemory)
        {
            return ContentEquals(theirMemory.Span);
        }

        if (ReferenceEquals(_source, other._source) && IsSource && other.IsSource)
        {
            return true;
        }

        using var theirs = other.OpenRead();
        var buffer = new byte[1 << 16];
        var mine = new byte[1 << 16];
        foreach (var p in _pieces)
        {
            for (var within = 0; within < p.Length;)
            {
                var chunk = mine.AsSpan(0, Math.Min(mine.Length, p.Length - within));
                Copy(p, within, chunk);
                if (!StreamHolds(theirs, p.Start + within, chunk, buffer))
                {
                    return false;
                }

                within += chunk.Length;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="stream"/> holds exactly <paramref name="expected"/> at <paramref name="position"/>.</summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <param name="position">Where to look.</param>
    /// <param name="expected">The bytes expected there.</param>
    /// <param name="buffer">Scratch space for the reads.</param>
    /// <returns>True when they are all there.</returns>
    internal static bool StreamHolds(Stream stream, long position, ReadOnlySpan<byte> expected, byte[] buffer)
    {
        if (position + expected.Length > stream.Length)
        {
            return false;
        }

        stream.Position = position;
        while (expected.Length > 0)
        {
            var want = Math.Min(buffer.Length, expected.Length);
            var read = stream.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
            if (read == 0 || !expected[..read].SequenceEqual(buffer.AsSpan(0, read)))
            {
                return false;
            }

            expected = expected[read..];
        }

        return true;
    }

    /// <summary>A read-only, seekable stream over the content; the source unedited in memory is a visible memory stream.</summary>
    /// <returns>The stream.</returns>
    public Stream OpenRead() => IsSource && _source.Memory is { } memory && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var array)
        ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false, publiclyVisible: true)
        : new PieceStream(this);

    // The piece holding a position (the last piece for the end), by binary search.
    private int PieceAt(long position)
    {
        int lo = 0, hi = _pieces.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_pieces[mid].Start <= position)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return Math.Max(lo, 0);
    }

    /// <summary>Reads exactly <paramref name="into"/>'s length of the content at <paramref name="position"/>.</summary>
    internal void ReadAt(long position, Span<byte> into)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position + into.Length, Length, nameof(into));
        for (var i = PieceAt(position); !into.IsEmpty; i++)
        {
            var p = _pieces[i];
            var within = (int)(position - p.Start);
            var take = Math.Min(into.Length, p.Length - within);
            Copy(p, within, into[..take]);
            into = into[take..];
            position += take;
        }
    }

    // Copies part of a piece: from the inserted bytes, the array in memory, or the file.
    private void Copy(Piece p, int within, Span<byte> into)
    {
        if (p.Inserted is { } inserted)
        {
            inserted.AsSpan(within, into.Length).CopyTo(into);
        }
        else
        {
            _source.Read(p.SourceOffset + within, into);
        }
    }

    private bool PieceEquals(Piece p, ReadOnlySpan<byte> expected, byte[] buffer)
    {
        if (p.Inserted is { } inserted)
        {
            return inserted.AsSpan().SequenceEqual(expected);
        }

        if (_source.Memory is { } memory)
        {
            return memory.Span.Slice((int)p.SourceOffset, p.Length).SequenceEqual(expected);
        }

        for (var within = 0; within < p.Length;)
        {
            var chunk = buffer.AsSpan(0, Math.Min(buffer.Length, p.Length - within));
            _source.Read(p.SourceOffset + within, chunk);
            if (!chunk.SequenceEqual(expected.Slice(within, chunk.Length)))
            {
                return false;
            }

            within += chunk.Length;
        }

        return true;
    }

    // Reads the pieces in order; a seek finds its piece by binary search.
    private sealed class PieceStream(FixedContent content) : Stream
    {
        private long _position;
        private int _piece;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => content.Length;

        public override long Position
        {
            get => _position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var total = 0;
            var pieces = content._pieces;
            while (total < buffer.Length && _position < content.Length)
            {
                while (_piece < pieces.Length && pieces[_piece].Start + pieces[_piece].Length <= _position)
                {
                    _piece++;
                }

                var p = pieces[_piece];
                var within = (int)(_position - p.Start);
                var take = Math.Min(buffer.Length - total, p.Length - within);
                content.Copy(p, within, buffer.Slice(total, take));
                total += take;
                _position += take;
            }

            return total;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            var target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => content.Length + offset,
            };
            ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
            _position = target;
            _piece = content.PieceAt(target);
            return _position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
