using System.Text;
using System.Text.Json;

namespace TranscriptLint.Cli.Sessions;

/// <summary>What a person recognises a session by: its project folder and the last thing they typed.</summary>
/// <param name="Id">The session id (for Gemini CLI the full id read from the file).</param>
/// <param name="Project">The folder the harness ran in, when recorded.</param>
/// <param name="LastPrompt">The last prompt typed, on one line, when found.</param>
public sealed record SessionDetails(string Id, string? Project, string? LastPrompt)
{
    // Bounded reads: the head (Codex's session_meta) and the tail (the last prompt), never the whole of a large file.
    private const int TailBytes = 512 * 1024;
    private const int HeadBytes = 256 * 1024;
    private const long MaxDocumentBytes = 32L * 1024 * 1024;

    /// <summary>Reads the details; a file that cannot be read gives what the path alone says.</summary>
    public static SessionDetails Read(SessionFile session)
    {
        try
        {
            return session.Harness switch
            {
                Harness.ClaudeCode => FromJsonLines(session, ClaudePrompt, root => root.Str("cwd"), fromHead: false) is { Project: null } bare
                    ? bare with { Project = FromSlug(Path.GetFileName(Path.GetDirectoryName(session.Path))) }
                    : FromJsonLines(session, ClaudePrompt, root => root.Str("cwd"), fromHead: false),
                Harness.Codex => FromJsonLines(session, CodexPrompt, CodexCwd, fromHead: true),
                Harness.GeminiCli => session.Path.EndsWith(".jsonl", StringComparison.Ordinal) ? GeminiLog(session) : Gemini(session),
                Harness.CopilotCli => FromJsonLines(session, CopilotPrompt, root => root.Prop("data")?.Prop("context")?.Str("cwd"), fromHead: true),
                _ => FromJsonLines(session, AmplifierPrompt, _ => null, fromHead: false) with { Project = AmplifierProject(session.Path) },
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new SessionDetails(session.Id, null, null);
        }
    }

    /// <summary>One line of at most <paramref name="max"/> characters.</summary>
    public static string OneLine(string text, int max = 72)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Trim())
        {
            sb.Append(char.IsWhiteSpace(c) || char.IsControl(c) ? ' ' : c);
        }

        var s = string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return s.Length <= max ? s : s[..(max - 1)] + "…";
    }

    private static SessionDetails FromJsonLines(SessionFile session, Func<JsonElement, string?> prompt, Func<JsonElement, string?> cwd, bool fromHead)
    {
        using var stream = new FileStream(session.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        string? project = null;
        if (fromHead)
        {
            foreach (var root in Lines(ReadAt(stream, 0, HeadBytes), skipFirst: false))
            {
                project ??= cwd(root);
                if (project is not null)
                {
                    break;
                }
            }
        }

        var tailStart = Math.Max(0, stream.Length - TailBytes);
        string? last = null;
        foreach (var root in Enumerable.Reverse(Lines(ReadAt(stream, tailStart, TailBytes), skipFirst: tailStart > 0)))
        {
            last ??= prompt(root);
            project ??= cwd(root);
            if (last is not null && project is not null)
            {
                break;
            }
        }

        return new SessionDetails(session.Id, project, last is null ? null : OneLine(last));
    }

    // session-*.jsonl (Gemini CLI since April 2026): the full id on the metadata line, the last prompt from the tail.
    private static SessionDetails GeminiLog(SessionFile session)
    {
        var details = FromJsonLines(session, GeminiPrompt, _ => null, fromHead: false);
        using var stream = new FileStream(session.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var id = Lines(ReadAt(stream, 0, HeadBytes), skipFirst: false).Select(root => root.Str("sessionId")).FirstOrDefault(s => s is not null);
        return details with { Id = id ?? session.Id };
    }

    // The root's "sessionId" read token by token, so a document cut off after it still gives it.
    private static string? LeadingSessionId(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, default);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("sessionId"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON before it either.
        }

        return null;
    }

    private static string? GeminiPrompt(JsonElement root) =>
        root.Str("type") == "user" && root.Str("id") is not null && TextOf(root.Prop("content")) is { Length: > 0 } text && !text.StartsWith('/') ? text : null;

    private static SessionDetails Gemini(SessionFile session)
    {
        var info = new FileInfo(session.Path);
        if (info.Length > MaxDocumentBytes)
        {
            return new SessionDetails(session.Id, null, null);
        }

        var bytes = File.ReadAllBytes(session.Path);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            var id = root.Str("sessionId") ?? session.Id;
            string? last = null;
            if (root.Prop("messages") is { ValueKind: JsonValueKind.Array } messages)
            {
                foreach (var m in messages.EnumerateArray())
                {
                    if (m.Str("type") == "user" && TextOf(m.Prop("content")) is { Length: > 0 } text)
                    {
                        last = text;
                    }
                }
            }

            return new SessionDetails(id, null, last is null ? null : OneLine(last));
        }
        catch (JsonException)
        {
            // Cut off by a crash (which fix repairs): the id near the top still reads, and the resume command needs it.
            return new SessionDetails(LeadingSessionId(bytes) ?? session.Id, null, null);
        }
    }

    private static string? ClaudePrompt(JsonElement root)
    {
        if (root.Str("type") == "last-prompt" && root.Str("lastPrompt") is { Length: > 0 } recorded)
        {
            return recorded;
        }

        if (root.Str("type") != "user" || root.Bool("isMeta") || root.Bool("isCompactSummary") || root.Bool("isSidechain"))
        {
            return null;
        }

        var content = root.Prop("message")?.Prop("content");
        if (content is { ValueKind: JsonValueKind.Array } blocks && blocks.EnumerateArray().Any(b => b.Str("type") == "tool_result"))
        {
            return null;
        }

        var text = TextOf(content);
        // Harness-written user lines (slash-command echoes, interruption markers) are not what the person typed.
        return text is null || text.StartsWith('<') || text.StartsWith("[Request interrupted", StringComparison.Ordinal) ? null : text;
    }

    private static string? CodexPrompt(JsonElement root)
    {
        var payload = root.Prop("payload");
        if (root.Str("type") == "event_msg" && payload?.Str("type") == "user_message")
        {
            return payload?.Str("message");
        }

        if (root.Str("type") == "response_item" && payload?.Str("type") == "message" && payload?.Str("role") == "user")
        {
            var text = TextOf(payload?.Prop("content"));
            return text is null || text.StartsWith('<') ? null : text;
        }

        return null;
    }

    private static string? CodexCwd(JsonElement root) =>
        root.Str("type") is "session_meta" or "turn_context" ? root.Prop("payload")?.Str("cwd") : null;

    private static string? CopilotPrompt(JsonElement root) =>
        root.Str("type") == "user.message" ? root.Prop("data")?.Str("content") : null;

    private static string? AmplifierPrompt(JsonElement root) =>
        root.Str("role") == "user" && root.Prop("tool_call_id") is null ? TextOf(root.Prop("content")) : null;

    // ~/.amplifier/projects/<slug>/sessions/<id>/transcript.jsonl.
    private static string? AmplifierProject(string path) =>
        FromSlug(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(path)))));

    /// <summary>
    /// The folder a project slug (the cwd with '/' written '-') stands for, when that folder exists; a folder with
    /// '-' or '.' in its name cannot be told apart, so then nothing is guessed.
    /// </summary>
    public static string? FromSlug(string? slug)
    {
        if (slug is not { Length: > 1 } || slug[0] != '-')
        {
            return null;
        }

        var path = slug.Replace('-', '/');
        return Directory.Exists(path) ? path : null;
    }

    private static string? TextOf(JsonElement? content)
    {
        if (content is not { } c)
        {
            return null;
        }

        if (c.ValueKind == JsonValueKind.String)
        {
            return c.GetString();
        }

        if (c.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var block in c.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.String)
            {
                parts.Add(block.GetString()!);
            }
            else if (block.Str("text") is { } text && block.Str("type") is null or "text" or "input_text")
            {
                parts.Add(text);
            }
        }

        return parts.Count == 0 ? null : string.Join(' ', parts);
    }

    private static byte[] ReadAt(FileStream stream, long offset, int max)
    {
        var length = (int)Math.Min(max, Math.Max(0, stream.Length - offset));
        var buffer = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }

    private static List<JsonElement> Lines(byte[] bytes, bool skipFirst)
    {
        var roots = new List<JsonElement>();
        var start = 0;
        var first = true;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            var complete = end >= 0;
            if (end < 0)
            {
                end = bytes.Length;
            }

            // The first line of a tail read is cut; the last one may be cut (a torn write) and then fails to parse.
            if (!(first && skipFirst) && end > start)
            {
                try
                {
                    using var doc = JsonDocument.Parse(bytes.AsMemory(start, end - start));
                    if (doc.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        roots.Add(doc.RootElement.Clone());
                    }
                }
                catch (JsonException)
                {
                    // A torn or corrupt line: the linter reports it; here it just is not a prompt.
                }
            }

            first = false;
            start = complete ? end + 1 : end;
        }

        return roots;
    }
}

/// <summary>Tolerant property access: every harness writes fields of any type.</summary>
internal static class JsonProps
{
    public static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : null;

    public static string? Str(this JsonElement e, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public static string? Str(this JsonElement? e, string name) => e is { } v ? v.Str(name) : null;

    public static JsonElement? Prop(this JsonElement? e, string name) => e is { } v ? v.Prop(name) : null;

    public static bool Bool(this JsonElement e, string name) => e.Prop(name) is { ValueKind: JsonValueKind.True };
}
