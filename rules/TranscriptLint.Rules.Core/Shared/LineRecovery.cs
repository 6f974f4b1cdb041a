using System.Text;
using System.Text.Json;

namespace TranscriptLint.Rules.Core;

/// <summary>Reads what can be saved from a damaged line (TL1001's fix, TL1002's recovery check).</summary>
internal static class LineRecovery
{
    // A torn line is searched for an object start at most this many times, so a hostile line stays linear.
    private const int MaxRecoveryCandidates = 64;

    /// <summary>
    /// Finds the complete JSON objects in a damaged line: the whole line once NULs are stripped, objects run
    /// together, or the complete object that starts after a torn prefix (<c>…"prNu{"parentUuid"…</c>).
    /// </summary>
    public static List<string> Recover(ReadOnlySpan<byte> raw)
    {
        var bytes = StripNul(raw);
        if (ReadObjects(bytes, 0) is { } whole)
        {
            return whole;
        }

        var candidates = 0;
        for (var i = 1; i + 1 < bytes.Length && candidates < MaxRecoveryCandidates; i++)
        {
            if (bytes[i] == (byte)'{' && bytes[i + 1] == (byte)'"')
            {
                candidates++;
                if (ReadObjects(bytes, i) is { } tail)
                {
                    return tail;
                }
            }
        }

        return [];
    }

    /// <summary>
    /// The complete JSON objects a line starts with, up to the first that is cut off (a torn write), NULs ignored: what
    /// a torn last line still holds (<c>{…}{"type":"su</c>, or <c>{…}</c> followed by a crash's NUL padding).
    /// </summary>
    public static List<string> CompletePrefix(ReadOnlySpan<byte> raw) => LeadingObjects(StripNul(raw), 0).Objects;

    /// <summary>Whether the line is exactly the objects, back to back, with no other byte.</summary>
    public static bool IsExactConcatenation(ReadOnlySpan<byte> line, IReadOnlyList<string> objects)
    {
        var offset = 0;
        foreach (var o in objects)
        {
            var encoded = Encoding.UTF8.GetBytes(o);
            if (offset + encoded.Length > line.Length || !line.Slice(offset, encoded.Length).SequenceEqual(encoded))
            {
                return false;
            }

            offset += encoded.Length;
        }

        return offset == line.Length;
    }

    private static byte[] StripNul(ReadOnlySpan<byte> raw)
    {
        var result = new byte[raw.Length];
        var n = 0;
        foreach (var b in raw)
        {
            if (b != 0)
            {
                result[n++] = b;
            }
        }

        Array.Resize(ref result, n);
        return result;
    }

    // The line from start is exactly objects back to back (trailing spaces aside), or null.
    private static List<string>? ReadObjects(byte[] bytes, int start) =>
        LeadingObjects(bytes, start) is { Objects.Count: > 0, ToTheEnd: true } read ? read.Objects : null;

    // The complete objects from start, up to the first thing that is not one (a torn object, another value, the end), and
    // whether they reach the end.
    private static (List<string> Objects, bool ToTheEnd) LeadingObjects(byte[] bytes, int start)
    {
        var span = bytes.AsSpan(start).TrimEnd(" \t"u8);
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 1024 });
        var found = new List<string>();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return (found, false);
                }

                var from = (int)reader.TokenStartIndex;
                reader.Skip();
                found.Add(Encoding.UTF8.GetString(span[from..(int)reader.BytesConsumed]));
            }
        }
        catch (JsonException)
        {
            return (found, false); // the rest is torn: what was read before it is kept
        }

        return (found, reader.BytesConsumed == span.Length);
    }
}
