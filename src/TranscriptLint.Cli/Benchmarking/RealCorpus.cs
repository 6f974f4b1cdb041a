using System.IO.Hashing;
using System.Text;
using System.Text.RegularExpressions;
using TranscriptLint.Engine.Dialects;

namespace TranscriptLint.Cli.Benchmarking;

/// <summary>
/// Builds a benchmark corpus from real Claude Code sessions (the repository's vendored <c>fixtures/real</c>): each
/// output file is copies of those sessions one after another, every id rewritten per copy (uuids, session ids, tool,
/// message and request ids) so no two copies share one, and each copy's root chained to the previous copy's last
/// line, so a file reads as one long session. The lines keep their real shapes, sizes and escapes. Deterministic.
/// </summary>
public sealed partial class RealCorpus
{
    private readonly List<(string Name, string[] Lines)> _sessions;

    private RealCorpus(List<(string Name, string[] Lines)> sessions) => _sessions = sessions;

    /// <summary>How many real sessions the corpus is made from.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Their total size in bytes.</summary>
    public long SourceBytes => _sessions.Sum(s => s.Lines.Sum(l => (long)Encoding.UTF8.GetByteCount(l) + 1));

    /// <summary>The Claude Code sessions under <paramref name="directory"/> (recursively, in ordinal path order), or null when it holds none.</summary>
    public static RealCorpus? Load(string directory)
    {
        var sessions = new List<(string, string[])>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using (var stream = File.OpenRead(path))
            {
                if (FileClassifier.Classify(stream, 64 << 20).Dialect?.Name != ClaudeCodeDialect.DialectName)
                {
                    continue;
                }
            }

            var lines = File.ReadAllLines(path, new UTF8Encoding(false, throwOnInvalidBytes: false)).Where(l => l.Length > 0).ToArray();
            if (lines.Length > 0)
            {
                sessions.Add((Path.GetRelativePath(directory, path), lines));
            }
        }

        return sessions.Count == 0 ? null : new RealCorpus(sessions);
    }

    /// <summary>The vendored real sessions: <c>fixtures/real</c> in the current directory or the nearest parent that has one.</summary>
    public static string? FindVendored()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "fixtures", "real");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Writes one file of at least <paramref name="targetBytes"/> bytes; <paramref name="fileIndex"/> picks the copy numbers and the first session.</summary>
    /// <returns>The bytes written.</returns>
    public long Write(string path, int fileIndex, long targetBytes)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        var sessionId = RewriteUuid(Guid.Empty.ToString("D"), fileIndex, 0);
        string? lastUuid = null;
        for (var copy = 0; stream.Length < targetBytes; copy++)
        {
            var (_, lines) = _sessions[(fileIndex + copy) % _sessions.Count];
            var stamp = (fileIndex * 100_003) + copy + 1; // unique per copy in the whole corpus
            var chained = lastUuid is null;
            foreach (var source in lines)
            {
                var line = Rewrite(source, stamp, sessionId);
                if (!chained && FirstRootParent().IsMatch(line))
                {
                    line = FirstRootParent().Replace(line, "\"parentUuid\":\"" + lastUuid + "\"", 1);
                    chained = true;
                }

                if (UuidField().Match(line) is { Success: true } own)
                {
                    lastUuid = own.Groups[1].Value;
                }

                writer.WriteLine(line);
            }

            writer.Flush();
        }

        return stream.Length;
    }

    private static string Rewrite(string line, int stamp, string sessionId)
    {
        line = Uuid().Replace(line, m => RewriteUuid(m.Value, stamp, 1));
        line = ProviderId().Replace(line, m => m.Groups[1].Value + RewriteToken(m.Groups[2].Value, stamp));
        return SessionIdField().Replace(line, "\"sessionId\":\"" + sessionId + "\""); // last: the file's id is uuid-shaped too
    }

    // The first group of a uuid mixed with the copy's stamp: the same uuid maps to the same new one within a copy.
    private static string RewriteUuid(string uuid, int stamp, int salt)
    {
        var hash = (uint)XxHash32.HashToUInt32(Encoding.ASCII.GetBytes(uuid), stamp * 2 + salt);
        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + uuid[8..];
    }

    private static string RewriteToken(string token, int stamp)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var hash = XxHash64.HashToUInt64(Encoding.ASCII.GetBytes(token), stamp);
        var chars = token.ToCharArray();
        for (var i = Math.Max(0, chars.Length - 8); i < chars.Length; i++)
        {
            chars[i] = alphabet[(int)(hash % (ulong)alphabet.Length)];
            hash /= (ulong)alphabet.Length;
        }

        return new string(chars);
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid();

    [GeneratedRegex("\\b(srvtoolu_|toolu_|msg_|req_|call_)([A-Za-z0-9]{8,})", RegexOptions.CultureInvariant)]
    private static partial Regex ProviderId();

    [GeneratedRegex("\"sessionId\":\"[^\"]*\"", RegexOptions.CultureInvariant)]
    private static partial Regex SessionIdField();

    [GeneratedRegex("\"parentUuid\":null", RegexOptions.CultureInvariant)]
    private static partial Regex FirstRootParent();

    [GeneratedRegex("\"uuid\":\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex UuidField();
}
