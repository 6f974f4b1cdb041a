using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TranscriptLint.Model;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Engine.Documents;

namespace TranscriptLint.Engine.Dialects;

/// <summary>A file's shape and, when it is a transcript, its dialect.</summary>
/// <param name="Shape">What the file looks like.</param>
/// <param name="Dialect">The dialect that reads it, or null when it is not a transcript (or empty).</param>
public sealed record FileClassification(FileShape Shape, IDialect? Dialect)
{
    /// <summary>Whether rules may run on the file.</summary>
    public bool IsTranscript => Dialect is not null;

    /// <summary>
    /// Whether the file may be one whole document of a document dialect (a Gemini CLI session, a saved request body):
    /// it is not JSON Lines of a line dialect, or its one line is an object a document dialect reads. Only then is it
    /// worth reading whole.
    /// </summary>
    public bool MayBeDocument { get; init; } = Dialect is null;

    /// <summary>
    /// For a file damaged as a whole that a restoration proved to give a transcript: how (see
    /// <see cref="TranscriptInfo.Restoration"/>).
    /// </summary>
    public Restoration? Restoration { get; init; }

    /// <summary>The words of the not-a-transcript finding; null for a transcript or an empty file.</summary>
    public string? NotATranscript => Dialect is null && Shape.Kind != FileShapeKind.Empty ? Shape.Description : null;
}

/// <summary>
/// Decides, before any rule runs, what a file is: empty, compressed, binary, a whole JSON document, text, or
/// JSON Lines; and for JSON Lines which dialect its objects match. Reads a bounded prefix (the first lines and
/// 64 KiB of bytes); only a file that starts like JSON but whose first line is not a complete value is read to
/// its end, by a streaming reader that holds no more than its longest token.
/// </summary>
public static class FileClassifier
{
    private const int HeaderBytes = 64 * 1024;
    private const int MaxSampleLines = 200;
    private const int EnoughLines = 20;
    private const long EnoughBytes = 16L * 1024 * 1024;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 1024 };

    private static readonly (byte[] Magic, string Name)[] Magics =
    [
        ([0x1F, 0x8B], "gzip"),
        ([0x28, 0xB5, 0x2F, 0xFD], "zstd"),
        ([0x42, 0x5A, 0x68], "bzip2"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz"),
        ([0x50, 0x4B, 0x03, 0x04], "zip"),
        ([0x50, 0x4B, 0x05, 0x06], "zip"),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "7z"),
    ];

    /// <summary>Classifies a seekable stream (read from its start; the position is left anywhere).</summary>
    /// <param name="stream">The file.</param>
    /// <param name="maxLineBytes">The reader's line limit.</param>
    /// <param name="forced">A dialect the user forced: it reads JSON Lines the detector cannot place, but not a file plainly in another format, nor binary, compressed or document files.</param>
    /// <returns>The classification.</returns>
    public static FileClassification Classify(Stream stream, int maxLineBytes, IDialect? forced = null)
    {
        // The header is pooled: every file is classified, and a new 64 KiB array each was a tenth of what linting a
        // 2 MB session allocated.
        var pooled = ArrayPool<byte>.Shared.Rent(HeaderBytes);
        try
        {
            stream.Position = 0;
            return Classify(stream, maxLineBytes, forced, pooled.AsSpan(0, ReadHeader(stream, pooled)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    private static FileClassification Classify(Stream stream, int maxLineBytes, IDialect? forced, ReadOnlySpan<byte> header)
    {
        var shape = ClassifyBytes(header, stream.Length);
        if (shape is not null)
        {
            return new FileClassification(shape, null);
        }

        stream.Position = 0;
        var sample = Sample(stream, maxLineBytes);
        if (sample.NonBlank == 0)
        {
            return new FileClassification(new FileShape(FileShapeKind.Empty, "blank file"), null);
        }

        if (sample.FirstLineFailed && sample.StartsLikeJson)
        {
            var probe = ProbeDocument(stream);
            if (probe.Document is { } doc)
            {
                return new FileClassification(DocumentShape(doc.Kind, doc.Lines), null);
            }

            // A pretty-printed document whose lines are mostly not objects is that document, broken, even when a few
            // of its lines happen to be objects ({"role": "user", "content": "hi"} in a request body): read as JSON
            // Lines, every other line would be an unreadable record to delete.
            if (sample.Objects * 2 < sample.NonBlank && DescribeBrokenDocument(stream, header, probe) is { } broken)
            {
                return new FileClassification(broken, null);
            }
        }

        if (sample.NonBlank == 1 && sample.FirstKind is not JsonValueKind.Undefined && (sample.FirstKind != JsonValueKind.Object || sample.Dialect is null))
        {
            // One value alone: a saved request body or a session exported as one array is a document, not a log.
            return new FileClassification(DocumentShape(sample.FirstKind, 1), null);
        }

        if (forced is not null && sample.Dialect is { } detected && detected != forced && forced is not GenericJsonlDialect)
        {
            // Forcing a format reads files the detector cannot place, never a file that is plainly another format.
            return new FileClassification(new FileShape(FileShapeKind.Jsonl, $"JSON Lines in the {detected.Name} format, not {forced.Name} (forced with --dialect)"), null);
        }

        if (sample.Objects > 0 && (sample.Dialect ?? forced) is { } dialect)
        {
            if (sample.NonBlank >= 10 && sample.Objects * 2 < sample.NonBlank)
            {
                return new FileClassification(new FileShape(FileShapeKind.Text, $"text that is mostly not JSON: only {sample.Objects} of its first {sample.NonBlank} lines are JSON objects"), null);
            }

            return new FileClassification(new FileShape(FileShapeKind.Jsonl, "JSON Lines"), forced ?? dialect) { MayBeDocument = sample.NonBlank == 1 && sample.FirstIsDocument };
        }

        if (sample.Objects > 0)
        {
            return new FileClassification(new FileShape(FileShapeKind.Jsonl, "JSONL whose objects match no supported format"), null);
        }

        if (sample.OtherValues > 0)
        {
            return new FileClassification(new FileShape(FileShapeKind.Text, $"JSON Lines of {Plural(sample.OtherKind)}, not objects"), null);
        }

        return new FileClassification(DescribeNonJson(header, sample), null);
    }

    // Reads up to HeaderBytes from the start into buffer; returns how many were read.
    private static int ReadHeader(Stream stream, byte[] buffer)
    {
        var want = (int)Math.Min(HeaderBytes, stream.Length);
        var n = 0;
        while (n < want)
        {
            var read = stream.Read(buffer, n, want - n);
            if (read == 0)
            {
                break;
            }

            n += read;
        }

        return n;
    }

    /// <summary>The verdicts the first bytes alone give: empty, compressed, UTF-16, binary.</summary>
    private static FileShape? ClassifyBytes(ReadOnlySpan<byte> header, long length)
    {
        if (length == 0)
        {
            return new FileShape(FileShapeKind.Empty, "empty file");
        }

        foreach (var (magic, name) in Magics)
        {
            if (header.StartsWith(magic))
            {
                return new FileShape(FileShapeKind.Compressed, $"{name} data");
            }
        }

        if (Utf16Text.BigEndian(header) is not null)
        {
            return new FileShape(FileShapeKind.Utf16, "UTF-16 text (transcripts are UTF-8)") { MayBeRestored = true };
        }

        // A transcript starts with '{' (after a BOM, whitespace, or the NULs of a torn preallocated write). Anything
        // else that is mostly control bytes or invalid UTF-8 is not read line by line at all.
        return StartsLikeJson(header) ? null : DescribeBinary(header);
    }

    private static bool StartsLikeJson(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[3..];
        }

        foreach (var b in bytes)
        {
            if (b is 0 or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            return b is (byte)'{' or (byte)'[';
        }

        return false;
    }

    private static FileShape? DescribeBinary(ReadOnlySpan<byte> header)
    {
        var control = 0;
        foreach (var b in header)
        {
            if ((b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B)) || b == 0x7F)
            {
                control++;
            }
        }

        if (control * 10 > header.Length)
        {
            return new FileShape(FileShapeKind.Binary, "binary data");
        }

        if (InvalidUtf8Bytes(header) * 10 > header.Length * 3)
        {
            return new FileShape(FileShapeKind.Binary, "mostly invalid UTF-8");
        }

        return null;
    }

    private static int InvalidUtf8Bytes(ReadOnlySpan<byte> bytes)
    {
        var invalid = 0;
        while (!bytes.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes, out _, out var consumed);
            if (status == OperationStatus.NeedMoreData)
            {
                break; // the header may end inside a character
            }

            if (status == OperationStatus.InvalidData)
            {
                invalid += consumed;
            }

            bytes = bytes[Math.Max(1, consumed)..];
        }

        return invalid;
    }

    private static FileShape DescribeNonJson(ReadOnlySpan<byte> header, LineSample sample)
    {
        if (DescribeBinary(header) is { } binary)
        {
            return binary;
        }

        if (sample.InvalidUtf8Lines * 2 > sample.NonBlank)
        {
            return new FileShape(FileShapeKind.Binary, "mostly invalid UTF-8");
        }

        var why = sample.FirstError is { } e ? $" (line {sample.FirstErrorLine}: {e})" : "";
        return sample.StartsLikeJson
            ? new FileShape(FileShapeKind.Text, $"JSON Lines with no complete object in its first {sample.NonBlank} line(s){why}")
            : new FileShape(FileShapeKind.Text, $"text, not JSON Lines: none of its first {sample.NonBlank} line(s) is a JSON object");
    }

    /// <summary>
    /// A file laid out as one JSON document (its first line alone is not a value, and no line is an object) that is not
    /// one complete value: where it stops, and the NUL bytes a crash on a preallocated file leaves after it, so the
    /// person whose session broke learns what happened rather than "binary data" or "not JSON Lines".
    /// </summary>
    private static FileShape? DescribeBrokenDocument(Stream stream, ReadOnlySpan<byte> header, DocumentProbe probe)
    {
        var nuls = TrailingNuls(stream);
        var what = DocumentSniffer.LooksLikeGeminiSession(header) ? "a Gemini CLI session (one JSON document)" : "one JSON document";
        var padding = nuls > 0 ? $" followed by {nuls.ToString("N0", CultureInfo.InvariantCulture)} NUL bytes" : "";
        if (nuls > 0)
        {
            // Read again without the padding: what the document is, or where it stops, before the NULs.
            using var content = new LimitedStream(stream, stream.Length - nuls);
            probe = ProbeDocument(content);
            if (probe.Document is { } doc)
            {
                return new FileShape(FileShapeKind.Binary, $"{what} of {doc.Lines.ToString(CultureInfo.InvariantCulture)} lines{padding}, which no JSON reader accepts (a crash padded the file; without the NUL bytes it is complete)") { MayBeRestored = true };
            }
        }

        if (probe.Stop is not { } stop)
        {
            return null;
        }

        return new FileShape(FileShapeKind.Text, stop.CutOff
            ? $"{what} cut off before its end (line {stop.Line.ToString(CultureInfo.InvariantCulture)}: {stop.Why}){padding}: the file was not written to its end, and no JSON reader accepts it"
            : $"{what} that does not read (line {stop.Line.ToString(CultureInfo.InvariantCulture)}: {stop.Why}){padding}") { MayBeRestored = stop.CutOff };
    }

    // How many NUL bytes end the file (read from its end, 64 KiB at a time).
    private static long TrailingNuls(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        var count = 0L;
        for (var end = stream.Length; end > 0;)
        {
            var take = (int)Math.Min(buffer.Length, end);
            stream.Position = end - take;
            stream.ReadExactly(buffer, 0, take);
            var last = buffer.AsSpan(0, take).LastIndexOfAnyExcept((byte)0);
            count += take - 1 - last;
            if (last >= 0)
            {
                break;
            }

            end -= take;
        }

        return count;
    }

    /// <summary>The first <c>length</c> bytes of a seekable stream, read only (the NUL padding left out).</summary>
    private sealed class LimitedStream(Stream inner, long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) =>
            inner.Read(buffer, offset, (int)Math.Min(count, Math.Max(0, length - inner.Position)));

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            // The classifier's caller owns the file stream.
        }
    }

    private static FileShape DocumentShape(JsonValueKind kind, int lines) => lines <= 1
        ? new FileShape(FileShapeKind.JsonDocument, kind == JsonValueKind.Object ? "one JSON object on one line, not JSON Lines of a supported format" : $"JSON {Singular(kind)} on one line", kind, 1)
        : new FileShape(FileShapeKind.JsonDocument, $"one JSON document of {lines.ToString(CultureInfo.InvariantCulture)} lines (a JSON {Singular(kind)}, not JSON Lines)", kind, lines);

    private static string Singular(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    private static string Plural(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "arrays",
        JsonValueKind.String => "strings",
        JsonValueKind.Number => "numbers",
        JsonValueKind.True or JsonValueKind.False => "booleans",
        JsonValueKind.Null => "nulls",
        _ => "values",
    };

    private sealed class LineSample
    {
        public int NonBlank { get; set; }

        public int Objects { get; set; }

        public int OtherValues { get; set; }

        public JsonValueKind OtherKind { get; set; }

        public JsonValueKind FirstKind { get; set; }

        public bool FirstLineFailed { get; set; }

        public bool StartsLikeJson { get; set; }

        public int InvalidUtf8Lines { get; set; }

        public string? FirstError { get; set; }

        public int FirstErrorLine { get; set; }

        public IDialect? Dialect { get; set; }

        public bool FirstIsDocument { get; set; }
    }

    private static LineSample Sample(Stream stream, int maxLineBytes)
    {
        var sample = new LineSample();
        long bytes = 0;
        using var reader = LineReader.Over(stream, maxLineBytes);
        while (sample.NonBlank < MaxSampleLines && reader.TryReadLine(out var line))
        {
            var content = line.Bytes.Span;
            if (!line.Flags.HasFlag(LineFlags.TooLong) && content.Trim(" \t\r\0"u8).IsEmpty)
            {
                continue;
            }

            sample.NonBlank++;
            bytes += line.Line.ContentLength;
            var first = sample.NonBlank == 1;
            if (first)
            {
                sample.StartsLikeJson = StartsLikeJson(content) || line.Flags.HasFlag(LineFlags.TooLong);
            }

            if (line.Flags.HasFlag(LineFlags.InvalidUtf8))
            {
                sample.InvalidUtf8Lines++;
            }

            var kind = ParseKind(line, sample, out var error);
            if (first)
            {
                sample.FirstKind = kind;
                sample.FirstLineFailed = kind == JsonValueKind.Undefined;
            }

            if (error is not null && sample.FirstError is null)
            {
                sample.FirstError = error;
                sample.FirstErrorLine = line.Line.Number;
            }

            if (kind == JsonValueKind.Object)
            {
                sample.Objects++;
            }
            else if (kind != JsonValueKind.Undefined)
            {
                sample.OtherValues++;
                sample.OtherKind = kind;
            }

            if (sample.Dialect is not null && (sample.NonBlank >= EnoughLines || bytes >= EnoughBytes))
            {
                break;
            }
        }

        return sample;
    }

    /// <summary>The kind of the line's JSON value (Undefined when it is not one), matching dialects on objects.</summary>
    private static JsonValueKind ParseKind(RawLine line, LineSample sample, out string? error)
    {
        error = null;
        if (line.Flags.HasFlag(LineFlags.TooLong))
        {
            error = "the line is longer than the configured maximum";
            return JsonValueKind.Undefined;
        }

        var bytes = line.Bytes;
        if (line.Flags.HasFlag(LineFlags.InvalidUtf8))
        {
            // The same tolerant decoding as the lint pass: invalid sequences become U+FFFD.
            bytes = LenientUtf8.Decode(bytes.Span);
        }

        if (line.Flags.HasFlag(LineFlags.ContainsNul))
        {
            // An interrupted append pads with NULs: the object beside them still says which format this is.
            bytes = bytes.Span.Trim((byte)0).ToArray();
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes, DocumentOptions);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && sample.Dialect is null)
            {
                sample.Dialect = DialectRegistry.Specific.FirstOrDefault(d => d.Matches(root));
            }

            if (sample.NonBlank == 1 && root.ValueKind != JsonValueKind.Undefined)
            {
                // A file of this one value is a document when a document dialect reads it (that reading wins).
                sample.FirstIsDocument = DialectRegistry.All.OfType<IDocumentDialect>().Any(d => d.MatchesDocument(root));
            }

            return root.ValueKind;
        }
        catch (JsonException ex)
        {
            error = ReaderError(ex);
            return JsonValueKind.Undefined;
        }
    }

    // The reader's reason without its position suffix ("… LineNumber: 0 | BytePositionInLine: 12.").
    private static string ReaderError(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim().TrimEnd('.');
    }

    /// <summary>What reading a whole stream as one JSON value found.</summary>
    /// <param name="Document">Its kind and the lines it spans, when the stream is exactly one value.</param>
    /// <param name="Stop">Otherwise where the reader stopped (its 1-based line), why, and whether the bytes ran out inside the value.</param>
    internal readonly record struct DocumentProbe((JsonValueKind Kind, int Lines)? Document, (int Line, string Why, bool CutOff)? Stop);

    /// <summary>
    /// Whether the whole stream is exactly one JSON value (any depth), read in chunks so only the longest
    /// token is ever held: its kind and the number of lines it spans, or where and why the reader stopped.
    /// </summary>
    internal static DocumentProbe ProbeDocument(Stream stream)
    {
        stream.Position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = int.MaxValue });
            var length = 0;
            var lines = 0;
            var lastByte = (byte)0;
            var first = JsonTokenType.None;
            var atStart = true;
            while (true)
            {
                if (length == buffer.Length)
                {
                    // One token longer than the buffer: grow to hold it.
                    var bigger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = stream.Read(buffer, length, buffer.Length - length);
                var final = read == 0;
                if (read > 0)
                {
                    lines += buffer.AsSpan(length, read).Count((byte)'\n');
                    lastByte = buffer[length + read - 1];
                }

                length += read;
                var span = buffer.AsSpan(0, length);
                if (atStart && span.Length >= 3 && span.StartsWith(Encoding.UTF8.Preamble))
                {
                    span = span[3..];
                }

                var reader = new Utf8JsonReader(span, final, state);
                try
                {
                    while (reader.Read())
                    {
                        if (first == JsonTokenType.None)
                        {
                            first = reader.TokenType;
                        }
                    }
                }
                catch (JsonException ex)
                {
                    // Not one complete value: JSON Lines, or damaged (cut off when the bytes ran out inside it).
                    var why = ReaderError(ex);
                    var cutOff = (final && reader.CurrentDepth > 0) || why.Contains("end of data", StringComparison.Ordinal) || why.Contains("Expected depth to be zero", StringComparison.Ordinal);
                    return new DocumentProbe(null, ((int)(ex.LineNumber ?? 0) + 1, why, cutOff));
                }

                var consumed = (int)reader.BytesConsumed + (span.Length < length ? length - span.Length : 0);
                if (consumed > 0)
                {
                    atStart = false;
                }

                state = reader.CurrentState;
                if (final)
                {
                    break;
                }

                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
            }

            return first == JsonTokenType.None
                ? default
                : new DocumentProbe((ValueKindOf(first), lines + (lastByte == (byte)'\n' ? 0 : 1)), null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The value kind a JSON value starting with <paramref name="first"/> has.</summary>
    internal static JsonValueKind ValueKindOf(JsonTokenType first) => first switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        _ => JsonValueKind.Null,
    };
}
