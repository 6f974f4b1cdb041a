using System.Text;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests;

/// <summary>A small Claude Code session in its real shape: a prompt, a reply, a follow-up.</summary>
internal static class TestTranscript
{
    private const string Session = "\"sessionId\":\"5df1b056-9224-446f-92c5-64197681d135\",\"version\":\"2.1.39\",\"cwd\":\"/home/dana/src/ledgerline\",\"gitBranch\":\"main\",\"isSidechain\":false,\"userType\":\"external\"";

    public static readonly string Text = string.Join('\n',
        "{\"parentUuid\":null," + Session + ",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"run the tests\"},\"uuid\":\"a1111111-1111-4111-8111-111111111111\",\"timestamp\":\"2026-02-12T09:14:08.110Z\"}",
        "{\"parentUuid\":\"a1111111-1111-4111-8111-111111111111\"," + Session + ",\"type\":\"assistant\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"All 42 tests pass.\"}],\"stop_reason\":\"end_turn\"},\"uuid\":\"a2222222-2222-4222-8222-222222222222\",\"timestamp\":\"2026-02-12T09:14:12.000Z\"}",
        "{\"parentUuid\":\"a2222222-2222-4222-8222-222222222222\"," + Session + ",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"thanks\"},\"uuid\":\"a3333333-3333-4333-8333-333333333333\",\"timestamp\":\"2026-02-12T09:15:00.000Z\"}",
        "");

    public static FileLintResult Lint(IReadOnlyList<LoadedRule> rules, LintOptions? options = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Text));
        return new LintEngine(rules, options ?? new LintOptions()).LintStream(stream, "session.jsonl");
    }
}

/// <summary>A temp folder deleted after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("tl-test-").FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string relative, string text)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a loaded plugin may still be mapped; the OS temp cleaner gets it
        }
    }
}
