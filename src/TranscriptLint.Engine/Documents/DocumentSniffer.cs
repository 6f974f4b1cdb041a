using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;

namespace TranscriptLint.Engine.Documents;

/// <summary>
/// Tells a whole-document transcript (one JSON value, pretty printed or not) from JSON Lines before anything is
/// read in full: a file whose first line is one complete JSON value followed by more content is JSON Lines and is
/// streamed; anything else that starts like JSON is parsed whole and offered to the document dialects.
/// </summary>
public static class DocumentSniffer
{
    /// <summary>Documents larger than this are not parsed whole (they are read as JSON Lines).</summary>
    public const long MaxDocumentBytes = 512L * 1024 * 1024;

    /// <summary>Whether the file at <paramref name="path"/> is a document of a supported format.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The dialect name, or null.</returns>
    public static string? DialectOfFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return DialectOf(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The document dialect that claims the whole stream (read from its start), or null.</summary>
    /// <param name="stream">A seekable stream; it is read from position 0.</param>
    /// <returns>The dialect's name, or null.</returns>
    public static string? DialectOf(Stream stream)
    {
        stream.Position = 0;
        using var doc = Detect(stream, null);
        return doc?.Dialect.Name;
    }

    /// <summary>
    /// Whether the stream is a document transcript (<see cref="DialectOf"/>), or a Gemini CLI session that no longer
    /// reads as one (cut off or padded by a crash): a broken session is reported (TL1006), never skipped as other JSON.
    /// </summary>
    /// <param name="stream">A seekable stream; it is read from position 0.</param>
    /// <param name="utf8Head">The file's first bytes as UTF-8 (<see cref="Utf8Head"/>).</param>
    /// <returns>Whether to lint it.</returns>
    public static bool IsTranscriptOrBrokenSession(Stream stream, ReadOnlySpan<byte> utf8Head) =>
        LooksLikeGeminiSession(utf8Head) || DialectOf(stream) is not null;

    /// <summary>A file's first bytes as UTF-8: decoded when they are UTF-16 with a byte order mark (PowerShell 5's redirection).</summary>
    /// <param name="head">The file's first bytes.</param>
    /// <returns>The same bytes, or their UTF-8.</returns>
    public static ReadOnlySpan<byte> Utf8Head(ReadOnlySpan<byte> head) => head switch
    {
        [0xFF, 0xFE, ..] => Encoding.UTF8.GetBytes(Encoding.Unicode.GetString(head[2..(head.Length & ~1)])),
        [0xFE, 0xFF, ..] => Encoding.UTF8.GetBytes(Encoding.BigEndianUnicode.GetString(head[2..(head.Length & ~1)])),
        _ => head,
    };

    // A Gemini CLI session names these before its messages (JSON.stringify of its ConversationRecord).
    internal static bool LooksLikeGeminiSession(ReadOnlySpan<byte> head) =>
        head.IndexOf("\"sessionId\""u8) >= 0 && head.IndexOf("\"projectHash\""u8) >= 0 && head.IndexOf("\"messages\""u8) >= 0;

    /// <summary>Reads the stream as a document of <paramref name="dialect"/> (any document dialect when null), or returns null.</summary>
    internal static TranscriptDocument? Detect(Stream stream, IDocumentDialect? dialect) => Detect(stream, dialect, out _);

    internal static TranscriptDocument? Detect(Stream stream, IDocumentDialect? dialect, out string? problem)
    {
        problem = null;
        if (stream.Length == 0 || stream.Length > MaxDocumentBytes)
        {
            problem = stream.Length == 0 ? "the file is empty" : "the file is too large to read as one JSON document";
            return null;
        }

        stream.Position = 0;
        if (dialect is null && LooksLikeJsonLines(stream))
        {
            return null;
        }

        stream.Position = 0;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        stream.Position = 0;
        return TranscriptDocument.Open(bytes, dialect, out problem);
    }

    // Reads no further than the end of the first line.
    private static bool LooksLikeJsonLines(Stream stream)
    {
        var head = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int newline = -1;
        while (newline < 0)
        {
            var n = stream.Read(buffer, 0, buffer.Length);
            if (n == 0)
            {
                break;
            }

            var at = buffer.AsSpan(0, n).IndexOf((byte)'\n');
            head.Write(buffer, 0, at >= 0 ? at + 1 : n);
            if (at >= 0)
            {
                newline = (int)head.Length - 1;
            }
        }

        var bytes = head.GetBuffer().AsSpan(0, (int)head.Length);
        var start = bytes.StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        if (start >= bytes.Length || bytes[start] is not ((byte)'{' or (byte)'['))
        {
            return true; // not JSON at all: the line reader reports it
        }

        if (newline < 0)
        {
            return false; // one line, the whole file: a compact document (or one JSONL object; the dialects decide)
        }

        if (!IsOneValue(bytes[start..newline]))
        {
            return false; // the first line is not a whole value: a pretty-printed document
        }

        // A whole value on the first line: JSON Lines when anything but whitespace follows.
        var rest = new byte[4096];
        int read;
        while ((read = stream.Read(rest, 0, rest.Length)) > 0)
        {
            foreach (var b in rest.AsSpan(0, read))
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsOneValue(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4096 });
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            while (reader.Read())
            {
                return false;
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
