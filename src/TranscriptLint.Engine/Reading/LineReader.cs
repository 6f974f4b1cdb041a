using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Reading;

/// <summary>One physical line handed out by <see cref="LineReader"/>; its bytes are valid until the next read.</summary>
public readonly struct RawLine
{
    internal RawLine(TranscriptLine line, ReadOnlyMemory<byte> bytes, LineFlags flags, bool scratch = false)
    {
        Line = line;
        Bytes = bytes;
        Flags = flags;
        Scratch = scratch;
    }

    /// <summary>Position and terminator.</summary>
    public TranscriptLine Line { get; }

    /// <summary>Content bytes without terminator or BOM.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>What the reader noticed.</summary>
    public LineFlags Flags { get; }

    /// <summary>
    /// Whether <see cref="Bytes"/> lie in a buffer only the reader's caller uses (the reader's own, a parse-ahead copy),
    /// which the parse may therefore mask while it runs (<see cref="EscapedStringMask"/>); not bytes the caller of an
    /// in-memory reader holds, which others may be reading (a fix's output being written).
    /// </summary>
    internal bool Scratch { get; }
}

/// <summary>
/// Streams a file line by line without holding it whole: one pooled buffer that grows only to the longest
/// line. Tolerates invalid UTF-8, NUL runs, CRLF, a BOM and a missing final newline, and hashes the bytes
/// (SHA-256) as they pass so the fixer can later prove the file did not change.
/// </summary>
public sealed class LineReader : IDisposable
{

    // Buffers above this size are not taken from ArrayPool.Shared: the pool would keep every size a long line
    // doubled through (and hand a touched one to the next reader while another is touched again), so a 200 MB line
    // would cost several times its size. They come from LargeBuffers instead, one at a time.
    private const int PooledLimit = 1024 * 1024;
    private readonly Stream? _stream;
    private readonly IncrementalHash? _hash; // only when hashing: creating one loads the platform's crypto library (5 MB)
    private readonly int _maxLineBytes;
    private readonly ReadOnlyMemory<byte> _source; // in-memory mode: the whole file; lines are slices of it
    private readonly bool _inMemory;
    private byte[] _buffer;
    private int _start;      // first unconsumed byte in _buffer
    private int _end;        // one past the last valid byte in _buffer
    private long _bufferFileOffset; // file offset of _buffer[0]
    private bool _eof;
    private bool _sawInvalidUtf8; // see TryReadLine: from then on each non-ASCII line is validated and counted in two passes

    // Counts UTF-16 units and throws on the first invalid byte: one pass where validating and counting take two.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private int _lineNumber;
    private bool _skippingTooLong;
    private bool _droppedEndsWithCr;

    // Not inlined into a constructor (nor from there into its callers): naming the hash loads the cryptography assembly
    // when the calling method is prepared, for every file, hashed or not.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IncrementalHash NewHash() => IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Creates a reader over a stream positioned at its start.</summary>
    /// <param name="stream">The stream; the reader owns it.</param>
    /// <param name="maxLineBytes">Lines longer than this are reported as <see cref="LineFlags.TooLong"/> and not kept in memory.</param>
    /// <param name="hash">Whether to compute <see cref="Sha256"/> (null when false).</param>
    public LineReader(Stream stream, int maxLineBytes = 512 * 1024 * 1024, bool hash = true)
    {
        _hash = hash ? NewHash() : null;
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    /// <summary>The bytes of a stream that already holds the whole file in memory (a MemoryStream whose buffer is visible), else null.</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>Its bytes, or null.</returns>
    public static ReadOnlyMemory<byte>? InMemoryBytes(Stream stream) =>
        stream is MemoryStream ms && ms.TryGetBuffer(out var segment) ? (ReadOnlyMemory<byte>?)segment.AsMemory() : null; // not "null" alone: it would convert to an empty Memory

    /// <summary>A reader over a stream that stays open: slices of its buffer when it is in memory, else streamed; no hash.</summary>
    /// <param name="stream">The stream, read from its current position (its start).</param>
    /// <param name="maxLineBytes">The line limit.</param>
    /// <returns>The reader; disposing it does not close the stream.</returns>
    public static LineReader Over(Stream stream, int maxLineBytes) => InMemoryBytes(stream) is { } bytes && stream.Position == 0
        ? new LineReader(bytes, maxLineBytes, hash: false)
        : new LineReader(new NonClosingStream(stream), maxLineBytes, hash: false);

    /// <summary>
    /// Creates a reader over bytes already in memory (the fixer's): lines are slices of <paramref name="source"/>,
    /// never copied, so a huge line costs nothing beyond the bytes the caller holds.
    /// </summary>
    /// <param name="source">The whole file.</param>
    /// <param name="maxLineBytes">Lines longer than this are reported as <see cref="LineFlags.TooLong"/>.</param>
    /// <param name="hash">Whether to compute <see cref="Sha256"/> (null when false).</param>
    public LineReader(ReadOnlyMemory<byte> source, int maxLineBytes = 512 * 1024 * 1024, bool hash = true)
    {
        _hash = hash ? NewHash() : null;
        _source = source;
        _inMemory = true;
        _maxLineBytes = maxLineBytes;
        _buffer = [];
        _end = source.Length;
        _eof = true;
        _hash?.AppendData(source.Span);

        BytesRead = source.Length;
    }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Whether the file started with a UTF-8 BOM.</summary>
    public bool HasBom { get; private set; }

    /// <summary>The SHA-256 of the whole file, lower-case hex; available after the last line was read (null when not hashing).</summary>
    public string? Sha256 { get; private set; }

    // The UTF-16 length of valid UTF-8, or false for invalid bytes (one exception a file: see TryReadLine).
    private static bool TryCountStrict(ReadOnlySpan<byte> utf8, out int chars)
    {
        try
        {
            chars = StrictUtf8.GetCharCount(utf8);
            return true;
        }
        catch (DecoderFallbackException)
        {
            chars = 0;
            return false;
        }
    }

    /// <summary>Reads the next line.</summary>
    /// <param name="line">The line, when one was read.</param>
    /// <returns>False at the end of the file.</returns>
    public bool TryReadLine(out RawLine line)
    {
        var tooLongStart = -1L;
        var tooLongChars = 0;
        while (true)
        {
            var memory = _inMemory ? _source[_start.._end] : _buffer.AsMemory(_start, _end - _start);
            var span = memory.Span;

            // The line's end and its first NUL in one pass: a NUL is rare, and only then is the rest searched again.
            var nl = span.IndexOfAny((byte)'\n', (byte)0);
            var nul = nl >= 0 && span[nl] == 0;
            if (nul)
            {
                var rest = span[(nl + 1)..].IndexOf((byte)'\n');
                nl = rest < 0 ? -1 : nl + 1 + rest;
            }

            if (nl >= 0 || (_eof && span.Length > 0))
            {
                var contentLength = nl >= 0 ? nl : span.Length;
                var terminator = nl >= 0 ? LineTerminator.LineFeed : LineTerminator.None;
                if (nl > 0 && span[nl - 1] == (byte)'\r')
                {
                    contentLength--;
                    terminator = LineTerminator.CarriageReturnLineFeed;
                }

                var offset = _bufferFileOffset + _start;
                var content = memory[..contentLength];
                var flags = LineFlags.None;
                _lineNumber++;
                if (_skippingTooLong)
                {
                    // The head of this line was already dropped; report it without content.
                    _skippingTooLong = false;
                    _start += nl >= 0 ? nl + 1 : span.Length;
                    if (nl == 0 && _droppedEndsWithCr)
                    {
                        // The CR of its CRLF was in the dropped head (found by fuzzing: the line ended in LF when streamed).
                        terminator = LineTerminator.CarriageReturnLineFeed;
                        contentLength = -1;
                    }

                    line = new RawLine(new TranscriptLine(_lineNumber, tooLongStart, (int)Math.Min(int.MaxValue, offset - tooLongStart + contentLength), terminator, tooLongChars), ReadOnlyMemory<byte>.Empty, LineFlags.TooLong);
                    return true;
                }

                if (contentLength > _maxLineBytes)
                {
                    // Over the limit but already in the buffer: report it without content all the same.
                    _start += nl >= 0 ? nl + 1 : span.Length;
                    line = new RawLine(new TranscriptLine(_lineNumber, offset, contentLength, terminator, 0), ReadOnlyMemory<byte>.Empty, LineFlags.TooLong);
                    return true;
                }

                if (_lineNumber == 1 && content.Span.StartsWith(Encoding.UTF8.Preamble))
                {
                    HasBom = true;
                    flags |= LineFlags.ByteOrderMark;
                    content = content[Encoding.UTF8.Preamble.Length..];
                    offset += Encoding.UTF8.Preamble.Length;
                }

                if (nul)
                {
                    flags |= LineFlags.ContainsNul; // found before the line's end, so in its content
                }

                // Most lines are ASCII: one vectorised pass says so, and then each byte is one UTF-16 unit. The others
                // are counted by a decoder that throws on invalid UTF-8, in one pass; after the file's first invalid
                // line (then perhaps many: a file in another encoding), they are validated and counted in two.
                int chars;
                if (Ascii.IsValid(content.Span))
                {
                    chars = content.Length;
                }
                else if (_sawInvalidUtf8 || !TryCountStrict(content.Span, out chars))
                {
                    _sawInvalidUtf8 = true;
                    if (!Utf8.IsValid(content.Span))
                    {
                        flags |= LineFlags.InvalidUtf8;
                    }

                    chars = Encoding.UTF8.GetCharCount(content.Span);
                }

                _start += nl >= 0 ? nl + 1 : span.Length;
                line = new RawLine(new TranscriptLine(_lineNumber, offset, content.Length, terminator, chars), content, flags, scratch: !_inMemory);
                return true;
            }

            if (_eof)
            {
                if (_skippingTooLong)
                {
                    // An over-long last line without a newline, its head dropped and nothing left after it: it is a
                    // line all the same (found by fuzzing: it used to vanish from the streamed read).
                    _skippingTooLong = false;
                    _lineNumber++;
                    line = new RawLine(new TranscriptLine(_lineNumber, tooLongStart, (int)Math.Min(int.MaxValue, _bufferFileOffset + _start - tooLongStart), LineTerminator.None, 0), ReadOnlyMemory<byte>.Empty, LineFlags.TooLong);
                    return true;
                }

                Sha256 ??= _hash is null ? null : Convert.ToHexStringLower(_hash.GetHashAndReset());
                line = default;
                return false;
            }

            // Over the limit only when even a CR before a newline still to come cannot bring it back within: with
            // ">= limit" a line of exactly the limit was too long or not depending on where a read ended (found by
            // fuzzing: streamed and in-memory reads disagreed).
            if (span.Length > (long)_maxLineBytes + 1)
            {
                // Drop the head of an over-long line so memory stays bounded; the rest is skipped to its newline.
                if (!_skippingTooLong)
                {
                    _skippingTooLong = true;
                    tooLongStart = _bufferFileOffset + _start;
                }

                tooLongChars = 0; // unknown: the text was never decoded
                _droppedEndsWithCr = _buffer[_end - 1] == (byte)'\r';
                _bufferFileOffset += _end;
                _start = 0;
                _end = 0;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            // Slide the unconsumed tail to the front.
            var remaining = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, remaining);
            _bufferFileOffset += _start;
            _start = 0;
            _end = remaining;
        }

        if (_end == _buffer.Length)
        {
            var bigger = Rent(NextSize());
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream!.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return;
        }

        _hash?.AppendData(_buffer, _end, read);

        BytesRead += read;
        _end += read;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stream?.Dispose();
        _hash?.Dispose();
        Return(_buffer);
        _buffer = [];
    }

    // The buffer is full of one unfinished line. Doubling would go through every power of two up to the line's
    // size; on a seekable stream, look ahead for the newline (without consuming or hashing) and grow once to fit
    // the whole line, so the longest line costs its own size. Never more than the line limit needs.
    private int NextSize()
    {
        var doubled = (int)Math.Min(Array.MaxLength, _buffer.Length * 2L);
        if (_stream is not { CanSeek: true } || _buffer.Length < 64 * 1024)
        {
            return doubled;
        }

        var position = _stream.Position;
        var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long ahead = 0;
            var limit = (long)_maxLineBytes + 2 - _end; // enough to see that the line is over the limit
            int n;
            while (ahead < limit && (n = _stream.Read(scratch, 0, scratch.Length)) > 0)
            {
                var nl = scratch.AsSpan(0, n).IndexOf((byte)'\n');
                if (nl >= 0)
                {
                    ahead += nl + 1;
                    break;
                }

                ahead += n;
            }

            var needed = Math.Min(_end + Math.Min(ahead, limit) + 1, Array.MaxLength);
            return (int)Math.Max(needed, _buffer.Length + 1);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            _stream.Position = position;
        }
    }

    private static byte[] Rent(int size) => size <= PooledLimit ? ArrayPool<byte>.Shared.Rent(size) : LargeBuffers.Rent(size);

    private static void Return(byte[] buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        if (buffer.Length <= PooledLimit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        else
        {
            LargeBuffers.Return(buffer);
        }
    }
}

/// <summary>
/// Keeps the one largest line buffer of the last reader for the next (a file is read by the classifier and then by
/// the rules), so reading a huge line twice does not depend on the GC having collected the first buffer.
/// </summary>
internal static class LargeBuffers
{
    private static byte[]? _kept;

    public static byte[] Rent(int size)
    {
        var kept = Interlocked.Exchange(ref _kept, null);
        if (kept is not null && kept.Length >= size)
        {
            return kept;
        }

        return GC.AllocateUninitializedArray<byte>(size);
    }

    public static void Return(byte[] buffer)
    {
        // Only the largest is worth keeping; a smaller one is left to the GC.
        var kept = Volatile.Read(ref _kept);
        if (kept is null || kept.Length < buffer.Length)
        {
            Interlocked.Exchange(ref _kept, buffer);
        }
    }

    /// <summary>Lets the kept buffer go (after a run that met a huge line).</summary>
    public static void Release() => Interlocked.Exchange(ref _kept, null);
}
