using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TranscriptLint.Cli.Benchmarking;

/// <summary>
/// Writes real-shaped Claude Code 2.1.x sessions for benchmarking: split responses sharing message.id (a
/// "\n\n" text line, a thinking line, text, parallel tool_use lines), progress lines, tool results on side
/// branches with toolUseResult payloads. Deterministic for a seed.
/// </summary>
public sealed class SessionGenerator(int seed)
{
    private readonly Random _random = new(seed);
    private int _uuidCounter;

    public long Write(string path, int targetLines)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
        var session = Uuid();
        var time = new DateTime(2026, 2, 10, 21, 0, 0, DateTimeKind.Utc);
        string? parent = null;
        var lines = 0;
        while (lines < targetLines)
        {
            var prompt = Uuid();
            writer.WriteLine(Envelope(parent, session, "user", prompt, time, $"\"message\":{{\"role\":\"user\",\"content\":{Json(Sentence(12))}}}"));
            parent = prompt;
            lines++;
            var turns = 1 + _random.Next(6);
            for (var t = 0; t < turns && lines < targetLines; t++)
            {
                var msgId = "msg_01" + Token(22);
                var request = "req_011C" + Token(18);
                foreach (var block in new[] { "{\"type\":\"text\",\"text\":\"\\n\\n\"}", $"{{\"type\":\"thinking\",\"thinking\":{Json(Sentence(40))},\"signature\":\"{Token(300)}\"}}", $"{{\"type\":\"text\",\"text\":{Json(Sentence(30))}}}" })
                {
                    var id = Uuid();
                    writer.WriteLine(Assistant(parent, session, id, time, msgId, request, block));
                    parent = id;
                    lines++;
                }

                var calls = 1 + _random.Next(3);
                var callLines = new List<(string Uuid, string ToolId)>();
                for (var c = 0; c < calls; c++)
                {
                    var id = Uuid();
                    var toolId = "toolu_01" + Token(22);
                    writer.WriteLine(Assistant(parent, session, id, time, msgId, request, $"{{\"type\":\"tool_use\",\"id\":\"{toolId}\",\"name\":\"Bash\",\"input\":{{\"command\":{Json(Sentence(6))},\"description\":\"Run it\"}}}}"));
                    callLines.Add((id, toolId));
                    parent = id;
                    lines++;
                    var progress = Uuid();
                    writer.WriteLine(Envelope(parent, session, "progress", progress, time, $"\"data\":{{\"type\":\"hook_progress\",\"hookEvent\":\"PreToolUse\",\"hookName\":\"PreToolUse:Bash\",\"command\":\"check.sh\"}},\"toolUseID\":\"{toolId}\",\"parentToolUseID\":\"{toolId}\""));
                    parent = progress;
                    lines++;
                }

                // Each result hangs off its own call line (parallel results on side branches); the chain
                // continues from the last one.
                foreach (var (callUuid, toolId) in callLines)
                {
                    var id = Uuid();
                    var output = Sentence(50 + _random.Next(2000));
                    writer.WriteLine(Envelope(callUuid, session, "user", id, time,
                        $"\"message\":{{\"role\":\"user\",\"content\":[{{\"tool_use_id\":\"{toolId}\",\"type\":\"tool_result\",\"content\":{Json(output)},\"is_error\":false}}]}},\"toolUseResult\":{{\"stdout\":{Json(output)},\"stderr\":\"\",\"interrupted\":false,\"isImage\":false}},\"sourceToolAssistantUUID\":\"{callUuid}\""));
                    parent = id;
                    lines++;
                }

                time = time.AddSeconds(7);
            }

            var final = Uuid();
            writer.WriteLine(Assistant(parent, session, final, time, "msg_01" + Token(22), "req_011C" + Token(18), $"{{\"type\":\"text\",\"text\":{Json(Sentence(25))}}}"));
            parent = final;
            lines++;
        }

        writer.Flush();
        return stream.Length;
    }

    private string Assistant(string? parent, string session, string uuid, DateTime time, string msgId, string request, string block) =>
        Envelope(parent, session, "assistant", uuid, time,
            $"\"message\":{{\"model\":\"claude-opus-4-6\",\"id\":\"{msgId}\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{block}],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{{\"input_tokens\":3,\"cache_creation_input_tokens\":1200,\"cache_read_input_tokens\":11515,\"output_tokens\":13,\"service_tier\":\"standard\"}}}},\"requestId\":\"{request}\"");

    private static string Envelope(string? parent, string session, string type, string uuid, DateTime time, string body) =>
        $"{{\"parentUuid\":{(parent is null ? "null" : "\"" + parent + "\"")},\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/dev/project\",\"sessionId\":\"{session}\",\"version\":\"2.1.39\",\"gitBranch\":\"main\",\"type\":\"{type}\",{body},\"uuid\":\"{uuid}\",\"timestamp\":\"{time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}\"}}";

    private string Uuid()
    {
        _uuidCounter++;
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    private string Token(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, _random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }

    private static readonly string[] Words = ["the", "build", "fails", "because", "module", "path", "is", "missing", "test", "file", "run", "config", "loader", "settings", "error", "output", "check", "é", "日本"];

    private string Sentence(int words)
    {
        var sb = new StringBuilder(words * 6);
        for (var i = 0; i < words; i++)
        {
            sb.Append(Words[_random.Next(Words.Length)]).Append(i % 17 == 16 ? '\n' : ' ');
        }

        return sb.ToString().TrimEnd();
    }

    // Escaped as Claude Code (Node's JSON.stringify) writes: non-ASCII and HTML characters as they are.
    private static readonly JsonSerializerOptions NodeEscaping = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(string s) => JsonSerializer.Serialize(s, NodeEscaping);
}
