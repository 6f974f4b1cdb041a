using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace TranscriptLint.Engine.Reading;

/// <summary>How a file that is not a transcript as it is becomes one, and what that changes.</summary>
/// <param name="Title">The fix's title, an imperative (<c>Convert the file from UTF-16 LE to UTF-8</c>).</param>
/// <param name="Detail">What changes, for a diff (<c>the 2,000 NUL bytes after the document removed; …</c>).</param>
public sealed record Restoration(string Title, string Detail);

/// <summary>A restoration and the bytes it gives.</summary>
/// <param name="How">What it does.</param>
/// <param name="Bytes">The restored file.</param>
/// <param name="Encoding">For a conversion to UTF-8: the encoding the file was in (<c>UTF-16 LE</c>).</param>
internal sealed record RestoredFile(Restoration How, byte[] Bytes, string? Encoding = null);

/// <summary>
/// The damage a whole file can take that leaves every record a reader could use intact, and its repair: a session saved
/// as UTF-16 (converted to UTF-8, every character kept); a document padded with NUL bytes by a crash (the NULs removed);
/// a Gemini CLI session cut off while the CLI rewrote it whole (cut back to its last complete message and closed, as
/// a torn last line is deleted from JSON Lines); a document holding invalid UTF-8 (each sequence read as U+FFFD, as the
/// CLI itself reads it). Each is proved on the bytes; the caller then checks that what it gives
/// reads as a transcript. Nothing else is ever restored.
/// </summary>
internal static class TranscriptRestoration
{
    /// <summary>The largest file restored in memory (held once, plus what it is restored to).</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 1024 };

    /// <summary>Restores a file read whole from a seekable stream (up to <see cref="MaxBytes"/>), or says why it cannot.</summary>
    /// <param name="file">The file.</param>
    /// <param name="why">Why not, when not.</param>
    /// <returns>The restored file, or null.</returns>
    public static RestoredFile? Restore(Stream file, out string? why)
    {
        if (file.Length > MaxBytes)
        {
            why = $"at more than {MaxBytes >> 20} MiB it is too large to restore here";
            return null;
        }

        file.Position = 0;
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        return Restore(bytes, out why);
    }

    /// <summary>Restores a file, or says why it cannot.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="why">Why not, when not.</param>
    /// <returns>The restored file, or null.</returns>
    public static RestoredFile? Restore(ReadOnlySpan<byte> bytes, out string? why)
    {
        if (Utf16Text.BigEndian(bytes) is not null)
        {
            if (Utf16Text.ToUtf8(bytes, out why) is not { } conversion)
            {
                return null;
            }

            return new RestoredFile(
                new Restoration($"Convert the file from {conversion.Encoding} to UTF-8", $"every byte re-encoded from {conversion.Encoding} to UTF-8, every character kept (line endings too)"),
                conversion.Utf8,
                conversion.Encoding);
        }

        // Invalid UTF-8 (a character torn by a crash, text an editor saved in another encoding): each invalid sequence
        // becomes U+FFFD, as Node's readFileSync(path, "utf8") reads it, so the document is the one the harness loads
        // (byte for byte elsewhere). The repairs below then apply to that text.
        byte[]? decoded = null;
        var replaced = 0;
        if (!Utf8.IsValid(bytes))
        {
            decoded = LenientUtf8.Decode(bytes);
            replaced = decoded.AsSpan().Count(ReplacementCharacter) - bytes.Count(ReplacementCharacter);
            bytes = decoded;
        }

        var alsoTitle = replaced > 0 ? $" (and replace {Sequences(replaced)} with U+FFFD)" : "";
        var alsoDetail = replaced > 0 ? $"; {Sequences(replaced)} replaced with U+FFFD" : "";
        var content = bytes.TrimEnd((byte)0);
        var nuls = bytes.Length - content.Length;
        if (nuls > 0 && IsOneDocument(content))
        {
            why = null;
            return new RestoredFile(
                new Restoration($"Remove the {Count(nuls)} NUL bytes after the document{alsoTitle}", $"the {Count(nuls)} NUL bytes after the document removed{alsoDetail}; every other byte kept"),
                content.ToArray());
        }

        if (CutBackSession(content, out why) is { } cut)
        {
            var torn = content.Length - cut.Kept;
            var padding = nuls > 0 ? $" and the {Count(nuls)} NUL bytes after it" : "";
            var restoration = cut.AfterMessages
                ? new Restoration(
                    $"Cut the session back to the end of its last complete field and close it, keeping its {Count(cut.Messages)} messages{alsoTitle}",
                    $"the torn end after byte {Count(cut.Kept)} ({Bytes(torn)}{padding}{(cut.TornField is { } field ? $", in its \"{field}\" field" : "")}) removed, the document closed{alsoDetail}; the messages array ({Count(cut.Messages)} messages) and every complete field kept byte for byte")
                : new Restoration(
                    $"Cut the session back to its last complete message ({Count(cut.Messages)}) and close it{alsoTitle}",
                    $"the torn message after byte {Count(cut.Kept)} ({Bytes(torn)}{padding}) removed, the messages array and the document closed{alsoDetail}; the {Count(cut.Messages)} complete messages kept byte for byte");
            return new RestoredFile(restoration, [.. content[..(int)cut.Kept], .. cut.Closing]);
        }

        if (decoded is not null && nuls == 0 && IsOneDocument(decoded))
        {
            why = null;
            return new RestoredFile(
                new Restoration($"Replace {Sequences(replaced)} with U+FFFD", $"{Sequences(replaced)} replaced with U+FFFD, the character Node-based harnesses read in their place; every other byte kept"),
                decoded);
        }

        return null;
    }

    // U+FFFD in UTF-8.
    private static ReadOnlySpan<byte> ReplacementCharacter => "\uFFFD"u8;

    private static string Sequences(int n) => n == 1 ? "the invalid UTF-8 sequence" : $"the {Count(n)} invalid UTF-8 sequences";

    // Whether the bytes are exactly one JSON value.
    private static bool IsOneDocument(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes, ReaderOptions);
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // A Gemini CLI session (.json) rewritten whole by JSON.stringify(session, null, 2), cut off before its end. Cut inside
    // its "messages" array: the bytes up to the end of the last complete message, then the array and the document closed
    // with the file's own indentation and no final newline, as the CLI writes them. Cut after that array closed (in a
    // field the CLI adds after it, such as "summary" or "directories", or before the closing brace): the bytes up to the
    // end of the last complete field, then the document closed; only for a Gemini CLI session (its "sessionId" and
    // "projectHash" come first), since a cut-off request body loses what follows its messages (its tools). Null when the
    // file holds no complete message (nothing worth keeping) or is not cut in either place.
    private static Cut? CutBackSession(ReadOnlySpan<byte> bytes, out string? why)
    {
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, new JsonReaderState(ReaderOptions));
        var inMessages = false;
        var afterMessages = false;
        var messagesName = -1L;
        var namedMessages = false; // the last field name read at the top was "messages"
        var (sessionId, projectHash) = (false, false); // a Gemini CLI session's first fields, seen at the top
        var kept = -1L;
        var messages = 0;
        string? field = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                        namedMessages = !afterMessages && reader.ValueTextEquals("messages"u8);
                        sessionId |= reader.ValueTextEquals("sessionId"u8);
                        projectHash |= reader.ValueTextEquals("projectHash"u8);
                        messagesName = namedMessages ? reader.TokenStartIndex : messagesName;
                        field = reader.GetString();
                        break;
                    case JsonTokenType.StartArray when reader.CurrentDepth == 1 && namedMessages:
                        inMessages = true;
                        break;
                    case JsonTokenType.EndObject when inMessages && reader.CurrentDepth == 2:
                        kept = reader.BytesConsumed;
                        messages++;
                        break;
                    case JsonTokenType.EndArray when inMessages && reader.CurrentDepth == 1:
                        (inMessages, afterMessages, kept, field) = (false, true, reader.BytesConsumed, null);
                        break;
                    case JsonTokenType.EndObject when reader.CurrentDepth == 0:
                        why = "it is a complete document";
                        return null;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.String or JsonTokenType.Number
                        or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null when afterMessages && reader.CurrentDepth == 1:
                        (kept, field) = (reader.BytesConsumed, null); // a later field, complete
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            why = $"it does not read as JSON before the cut ({ex.Message})";
            return null;
        }

        if ((!inMessages && !afterMessages) || messages == 0)
        {
            why = afterMessages ? "it holds no complete message" : "it is cut off before its first complete message";
            return null;
        }

        if (afterMessages && !(sessionId && projectHash))
        {
            why = "it is cut off after its messages, which only a Gemini CLI session is closed after";
            return null;
        }

        // The indentation of the line holding "messages": the array closes there, the document at the line's start.
        var lineStart = bytes[..(int)messagesName].LastIndexOf((byte)'\n') + 1;
        var indent = bytes[lineStart..(int)messagesName];
        if (indent.IndexOfAnyExcept((byte)' ', (byte)'\t') >= 0)
        {
            why = "its messages are not laid out as Gemini CLI writes them";
            return null;
        }

        why = null;
        var newline = lineStart >= 2 && bytes[lineStart - 2] == (byte)'\r' ? "\r\n" : "\n";
        var closing = afterMessages ? $"{newline}}}" : $"{newline}{Encoding.UTF8.GetString(indent)}]{newline}}}";
        return new Cut(kept, messages, Encoding.UTF8.GetBytes(closing), afterMessages, afterMessages ? field : null);
    }

    // Where a cut-off session is cut back to, how many messages it keeps, and the bytes that close it.
    private sealed record Cut(long Kept, int Messages, byte[] Closing, bool AfterMessages, string? TornField);

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(long n) => n == 1 ? "1 byte" : $"{Count(n)} bytes";
}
