using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Hosting;

/// <summary>One line as read and parsed, before any rule sees it.</summary>
/// <param name="Raw">The line; its bytes stay valid until the consumer takes the next line.</param>
/// <param name="Blank">Whether it holds only spaces, tabs and carriage returns (not parsed).</param>
/// <param name="Document">The parsed object, or null (blank, too long, not JSON, not an object); whoever parsed it disposes it.</param>
/// <param name="Error">Why it did not parse, or null.</param>
/// <param name="ErrorPosition">The byte position of <paramref name="Error"/> in the line.</param>
/// <param name="IsLast">Whether it is the file's last line.</param>
internal readonly record struct ParsedLine(RawLine Raw, bool Blank, JsonDocument? Document, string? Error, long ErrorPosition, bool IsLast)
{
    /// <summary>Parses a line the way every lint does, on whichever thread reads it.</summary>
    /// <param name="raw">The line.</param>
    /// <param name="streamLength">The file's length, to tell the last line.</param>
    /// <returns>The parsed line.</returns>
    /// <param name="mask">Whether a line in the caller's own buffer may be masked while it is parsed (<see cref="LintOptions.MaskEscapedStrings"/>).</param>
    public static ParsedLine Parse(RawLine raw, long streamLength, bool mask)
    {
        var t = raw.Line;
        var end = t.ByteOffset + t.ContentLength + t.Terminator switch
        {
            LineTerminator.LineFeed => 1,
            LineTerminator.CarriageReturnLineFeed => 2,
            _ => 0,
        };
        var isLast = t.Terminator == LineTerminator.None || end >= streamLength;
        var blank = IsBlank(raw.Bytes.Span) && (raw.Flags & LineFlags.TooLong) == 0;
        if (blank)
        {
            return new ParsedLine(raw, Blank: true, null, null, 0, isLast);
        }

        var doc = LintEngine.ParseLine(raw.Bytes, raw.Flags, out var error, out var errorPosition, mask && raw.Scratch);
        return new ParsedLine(raw, Blank: false, doc, error, errorPosition, isLast);
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;
}

/// <summary>
/// Reads and parses one file's lines on a second thread, a few hundred kilobytes ahead of the rules, so that one large
/// file keeps two cores busy: reading, the UTF-8 check and the JSON parse (about 40 % of a lint) run beside building
/// entries and running rules. Lines come out in file order, each parsed exactly as the one-thread path parses it,
/// and every rule still runs on the one consumer thread, so findings are the same bytes. Used only when a core would
/// otherwise idle (<see cref="LintOptions.ParseAhead"/>).
/// </summary>
/// <remarks>
/// A streamed line's bytes live in the reader's buffer until the next read, so the producer copies them into its
/// batch; a line longer than <see cref="CopyLimit"/> is not copied: the producer hands it over in a batch of its own
/// and waits until the consumer is done with it (a huge line is never held twice). Memory ahead of the rules is at
/// most <see cref="BatchesAhead"/> batches of <see cref="BatchBytes"/> and their documents.
/// <para>
/// The producer also disposes the documents, when it takes their batch back for reuse (a huge line's, alone in its
/// batch, is disposed by the consumer, and what is left when the run ends by <see cref="Dispose"/>): a document returns
/// its metadata array to the shared array pool, and a thread that only returns arrays while another only rents them
/// leaves them in the pool's per-core stores, up to 32 of each size per core, each about as long as its line. A 1 GB
/// lint then peaked at 159-164 MiB in about one run of three instead of 141-145; rented and returned on one thread, the
/// arrays go round through that thread's own slot.
/// </para>
/// </remarks>
internal sealed class ParseAhead : IDisposable
{
    private const int BatchBytes = 64 * 1024;
    private const int BatchLines = 256;
    private const int BatchesAhead = 4;
    private const int CopyLimit = 4 * 1024 * 1024;

    private readonly LineReader _reader;
    private readonly long _streamLength;
    private readonly bool _copy;
    private readonly bool _mask;
    private readonly BlockingCollection<Batch> _ready = new(new ConcurrentQueue<Batch>(), BatchesAhead);
    private readonly ConcurrentQueue<Batch> _free = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;
    private Batch? _current;
    private int _next;
    private bool _disposed;

    /// <summary>Starts reading ahead.</summary>
    /// <param name="reader">The reader, used only by the producer thread from now until <see cref="Dispose"/>.</param>
    /// <param name="streamLength">The file's length.</param>
    /// <param name="copyBytes">False when the reader hands out slices of bytes held in memory (they stay valid).</param>
    /// <param name="mask">Whether lines are parsed masked (<see cref="LintOptions.MaskEscapedStrings"/>).</param>
    public ParseAhead(LineReader reader, long streamLength, bool copyBytes, bool mask = true)
    {
        _reader = reader;
        _streamLength = streamLength;
        _copy = copyBytes;
        _mask = mask;
        _thread = new Thread(Produce) { IsBackground = true, Name = "transcriptlint parse-ahead" }; // an abandoned run never keeps the process alive
        _thread.Start();
    }

    /// <summary>The next line in file order; false at the end. Rethrows what stopped the reader (an I/O error) after the lines before it.</summary>
    /// <param name="line">The line; its bytes and document are valid until the next call, and the document is not the caller's to dispose.</param>
    /// <returns>Whether there was a line.</returns>
    public bool TryTake(out ParsedLine line)
    {
        while (true)
        {
            if (_current is { } current)
            {
                if (_next < current.Lines.Count)
                {
                    line = current.Lines[_next++];
                    return true;
                }

                Release(current);
                _current = null;
            }

            if (!_ready.TryTake(out var batch, Timeout.Infinite)) // the producer completes the queue however it stops
            {
                _failure?.Throw();
                line = default;
                return false;
            }

            (_current, _next) = (batch, 0);
        }
    }

    /// <summary>Stops the producer (the rules were abandoned): it no longer waits for room or reads on.</summary>
    public void Cancel()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The consumer finished first: the producer has stopped already.
        }
    }

    /// <summary>Stops and waits for the producer, and disposes the documents still held.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        if (_current is { } current)
        {
            Release(current);
            _current = null;
        }

        // The reader is disposed after this returns: the producer must have stopped touching it.
        while (!_thread.Join(10))
        {
            Drain();
        }

        Drain();
        while (_free.TryDequeue(out var batch))
        {
            Recycle(batch);
            batch.ReturnBuffer();
        }

        _ready.Dispose();
        _stop.Dispose();
    }

    private void Drain()
    {
        while (_ready.TryTake(out var batch))
        {
            Release(batch);
        }
    }

    private static void DisposeDocuments(Batch batch)
    {
        foreach (var line in batch.Lines)
        {
            line.Document?.Dispose();
        }
    }

    // The consumer is done with the batch's lines: the producer disposes their documents when it takes the batch again.
    private void Release(Batch batch)
    {
        if (batch.Borrowed is { } borrowed)
        {
            Recycle(batch); // a huge line's document: one array, not worth a trip back
            borrowed.Set(); // the producer may now read past the huge line
            return;
        }

        _free.Enqueue(batch);
    }

    private static void Recycle(Batch batch)
    {
        DisposeDocuments(batch);
        batch.Lines.Clear();
        batch.Used = 0;
    }

    private void Produce()
    {
        try
        {
            var batch = Take();
            while (_reader.TryReadLine(out var raw))
            {
                if (_copy && raw.Bytes.Length > CopyLimit)
                {
                    Send(ref batch);
                    var alone = new Batch { Borrowed = new ManualResetEventSlim() };
                    alone.Lines.Add(ParsedLine.Parse(raw, _streamLength, _mask));
                    _ready.Add(alone, _stop.Token);
                    alone.Borrowed.Wait(_stop.Token); // the line lives in the reader's buffer until the next read
                    alone.Borrowed.Dispose();
                    continue;
                }

                // Held in memory, a line is copied only when it has escapes: the copy is the parse's own, to mask.
                if (_copy || (_mask && EscapedStringMask.WorthCopying(raw.Bytes.Span)))
                {
                    var length = raw.Bytes.Length;
                    if (batch.Used + length > batch.Capacity && batch.Lines.Count > 0)
                    {
                        Send(ref batch);
                    }

                    batch.Reserve(length);
                    raw.Bytes.Span.CopyTo(batch.Buffer.AsSpan(batch.Used));
                    raw = new RawLine(raw.Line, batch.Buffer.AsMemory(batch.Used, length), raw.Flags, scratch: true);
                    batch.Used += length;
                }
                else
                {
                    batch.Used += raw.Bytes.Length;
                }

                batch.Lines.Add(ParsedLine.Parse(raw, _streamLength, _mask));
                if (batch.Used >= BatchBytes || batch.Lines.Count >= BatchLines)
                {
                    Send(ref batch);
                }
            }

            Send(ref batch);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The consumer stopped: nothing more is wanted.
        }
        catch (Exception ex)
        {
            _failure = ExceptionDispatchInfo.Capture(ex); // thrown to the consumer after the lines before it
        }
        finally
        {
            _ready.CompleteAdding();
        }
    }

    private void Send(ref Batch batch)
    {
        if (batch.Lines.Count == 0)
        {
            return;
        }

        try
        {
            _ready.Add(batch, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            DisposeDocuments(batch);
            batch.ReturnBuffer();
            throw;
        }

        batch = Take();
    }

    private Batch Take()
    {
        if (!_free.TryDequeue(out var batch))
        {
            return new Batch();
        }

        Recycle(batch);
        return batch;
    }

    /// <summary>Lines parsed together, and (when streamed) the copy of their bytes.</summary>
    private sealed class Batch
    {
        public List<ParsedLine> Lines { get; } = new(64);

        public byte[] Buffer { get; private set; } = [];

        public int Used { get; set; }

        public int Capacity => Buffer.Length;

        /// <summary>Set for a huge line handed over uncopied: signalled when the consumer is done with it.</summary>
        public ManualResetEventSlim? Borrowed { get; init; }

        public void Reserve(int length)
        {
            if (Used + length <= Buffer.Length)
            {
                return;
            }

            // Only an empty batch gets here with a line longer than the rest of its buffer (see Produce).
            ReturnBuffer();
            Buffer = ArrayPool<byte>.Shared.Rent(Math.Max(BatchBytes, length));
        }

        public void ReturnBuffer()
        {
            if (Buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = [];
            }
        }
    }
}
