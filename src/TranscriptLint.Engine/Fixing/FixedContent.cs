using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// A file's bytes after a pass of edits, kept as the bytes before it plus the edits (a piece table) rather than as a
/// second copy: the fixer lints it and the writer writes it by reading through, so fixing a 100 MB file holds the file
/// once, not twice. <see cref="ToArray"/> makes the copy when one is really needed (another pass, a diff).
/// </summary>
public sealed class FixedContent
{
    private readonly byte[] _source;
    private readonly Piece[] _pieces;

    // One run of the content: a slice of the source, or inserted bytes.
    private readonly record struct Piece(long Start, byte[]? Inserted, long SourceOffset, int Length);

    private FixedContent(byte[] source, Piece[] pieces, long length)
    {
        _source = source;
        _pieces = pieces;
        Length = length;
    }

    /// <summary>The length in bytes.</summary>
    public long Length { get; }

    /// <summary>Whether the content is the source itself, unedited.</summary>
    internal bool IsSource => _pieces.Length == 1 && _pieces[0].Inserted is null && _pieces[0].Length == _source.Length;

    /// <summary>The bytes unedited.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>Content that is exactly <paramref name="bytes"/>.</returns>
    public static FixedContent Of(byte[] bytes) => new(bytes, [new Piece(0, null, 0, bytes.Length)], bytes.Length);

    /// <summary>Applies disjoint edits to the bytes they were rendered against, without copying those bytes.</summary>
    /// <param name="source">The bytes as linted.</param>
    /// <param name="edits">The edits, in any order; they must not overlap.</param>
    /// <returns>The content after the edits.</returns>
    /// <exception cref="ArgumentException">Two edits overlap or one lies outside the bytes.</exception>
    public static FixedContent Apply(byte[] source, IEnumerable<TextEdit> edits)
    {
        var pieces = new List<Piece>();
        var at = 0L;
        var length = 0L;
        void Add(byte[]? inserted, long sourceOffset, int count)
        {
            if (count > 0)
            {
                pieces.Add(new Piece(length, inserted, sourceOffset, count));
                length += count;
            }
        }

        foreach (var (e, inserted) in RenderedFix.InFileOrder(edits, source.Length))
        {
            Add(null, at, (int)(e.ByteOffset - at));
            Add(inserted, 0, inserted.Length);
            at = e.ByteEnd;
        }

        Add(null, at, (int)(source.Length - at));
        return new FixedContent(source, [.. pieces], length);
    }

    /// <summary>The content as one array: the source itself when nothing was edited, else a copy.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToArray()
    {
        if (IsSource)
        {
            return _source;
        }

        var output = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        foreach (var p in _pieces)
        {
            Span(p).CopyTo(output.AsSpan((int)p.Start));
        }

        return output;
    }

    /// <summary>Writes the content to a stream.</summary>
    /// <param name="destination">The stream.</param>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        foreach (var p in _pieces)
        {
            destination.Write(Span(p));
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

        foreach (var p in _pieces)
        {
            if (!Span(p).SequenceEqual(bytes.Slice((int)p.Start, p.Length)))
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

        if (IsSource)
        {
            return other.ContentEquals(_source);
        }

        using var theirs = other.OpenRead();
        var buffer = new byte[1 << 16];
        foreach (var p in _pieces)
        {
            if (!StreamHolds(theirs, p.Start, Span(p), buffer))
            {
                return false;
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

    /// <summary>A read-only, seekable stream over the content; the source unedited is a visible memory stream.</summary>
    /// <returns>The stream.</returns>
    public Stream OpenRead() => IsSource
        ? new MemoryStream(_source, 0, _source.Length, writable: false, publiclyVisible: true)
        : new PieceStream(this);

    private ReadOnlySpan<byte> Span(Piece p) => p.Inserted is { } inserted ? inserted : _source.AsSpan((int)p.SourceOffset, p.Length);

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
                content.Span(p).Slice(within, take).CopyTo(buffer[total..]);
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
            int lo = 0, hi = content._pieces.Length - 1;
            while (lo < hi)
            {
                var mid = (lo + hi + 1) / 2;
                if (content._pieces[mid].Start <= target)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            _piece = Math.Max(lo, 0);
            return _position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
