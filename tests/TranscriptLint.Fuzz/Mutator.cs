namespace TranscriptLint.Fuzz;

/// <summary>
/// Structure-aware byte mutations for the in-process mode (no coverage feedback there, so the mutations aim at what
/// transcripts break on): flipped bytes, cut and duplicated ranges, NUL runs, CR/LF and BOM, JSON punctuation,
/// lines spliced in from another corpus file, truncation, the whole file re-encoded as UTF-16.
/// </summary>
internal static class Mutator
{
    private static readonly byte[][] Tokens =
    [
        "\n"u8.ToArray(), "\r\n"u8.ToArray(), [0xEF, 0xBB, 0xBF], "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(),
        ","u8.ToArray(), ":"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(), "\\u00"u8.ToArray(), "null"u8.ToArray(), "\"uuid\":"u8.ToArray(),
        "\"parentUuid\":"u8.ToArray(), "\"type\":\"user\""u8.ToArray(), "\"tool_use_id\":"u8.ToArray(), [0xC3], [0xFF],
    ];

    public static byte[] Mutate(List<byte[]> corpus, Random random)
    {
        var data = new List<byte>(corpus[random.Next(corpus.Count)]);
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            var p = data.Count == 0 ? 0 : random.Next(data.Count + 1);
            switch (random.Next(10))
            {
                case 0 when data.Count > 0: data[Math.Min(p, data.Count - 1)] = (byte)random.Next(256); break;
                case 1 when p < data.Count: data.RemoveRange(p, Math.Min(random.Next(1, 200), data.Count - p)); break;
                case 2: data.InsertRange(p, new byte[random.Next(1, 50)]); break;
                case 3 when data.Count > 0:
                    var q = random.Next(data.Count);
                    data.InsertRange(p, data.GetRange(q, Math.Min(random.Next(1, 300), data.Count - q)));
                    break;
                case 4: data.RemoveRange(p, data.Count - p); break;
                case 5:
                case 6: data.InsertRange(p, Tokens[random.Next(Tokens.Length)]); break;
                case 7:
                    // A whole line of another file, at a line start.
                    var other = corpus[random.Next(corpus.Count)];
                    var lines = System.Text.Encoding.UTF8.GetString(other).Split('\n');
                    var line = System.Text.Encoding.UTF8.GetBytes(lines[random.Next(lines.Length)] + "\n");
                    var at = data.Count == 0 ? -1 : data.LastIndexOf((byte)'\n', Math.Clamp(p - 1, 0, data.Count - 1));
                    data.InsertRange(at + 1, line);
                    break;
                case 8 when data.Count > 0:
                    // Duplicate one line right after itself.
                    var start = data.LastIndexOf((byte)'\n', Math.Min(p, data.Count - 1)) + 1;
                    var end = data.IndexOf((byte)'\n', start);
                    data.InsertRange(end < 0 ? data.Count : end + 1, data.GetRange(start, (end < 0 ? data.Count : end + 1) - start));
                    break;
                default: data.Insert(p, (byte)'\n'); break;
            }
        }

        // Now and then the whole file saved again as UTF-16 (Windows PowerShell 5.1's >, Notepad's "Unicode"), in either
        // byte order, with or without a mark: what fix may convert, and only without losing a character.
        if (random.Next(20) == 0)
        {
            var utf16 = new System.Text.UnicodeEncoding(bigEndian: random.Next(2) == 0, byteOrderMark: true);
            var body = utf16.GetBytes(System.Text.Encoding.UTF8.GetString([.. data]));
            return random.Next(2) == 0 ? [.. utf16.GetPreamble(), .. body] : body;
        }

        return [.. data];
    }
}
