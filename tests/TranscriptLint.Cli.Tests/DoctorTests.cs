using System.Security.Cryptography;
using TranscriptLint.Cli.Commands;
using TranscriptLint.Cli.Sessions;

namespace TranscriptLint.Tests;

/// <summary><c>transcriptlint doctor</c>: finds every harness's sessions in a (fake) home and says how to fix the broken ones.</summary>
public sealed class DoctorTests : IDisposable
{
    private const string ClaudeId = "5bb58492-9daf-46be-ad21-914625ee8c4c";
    private const string CodexId = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("tl-doctor-");

    public void Dispose() => _home.Delete(recursive: true);

    [Fact]
    public void Session_folders_follow_each_harness_and_its_variable()
    {
        var defaults = SessionLocator.Roots(_ => null, "/home/me");
        defaults.Select(r => r.Folder).ShouldBe(
        [
            "/home/me/.claude/projects", "/home/me/.codex/sessions", "/home/me/.gemini/tmp", "/home/me/.copilot/session-state", "/home/me/.amplifier/projects",
        ]);
        defaults.ShouldAllBe(r => r.Why == "default");

        var env = new Dictionary<string, string> { ["CLAUDE_CONFIG_DIR"] = "/c", ["CODEX_HOME"] = "/x", ["GEMINI_CLI_HOME"] = "/g", ["COPILOT_HOME"] = "/p" };
        var moved = SessionLocator.Roots(n => env.GetValueOrDefault(n), "/home/me");
        moved.Select(r => r.Folder).ShouldBe(["/c/projects", "/x/sessions", "/g/.gemini/tmp", "/p/session-state", "/home/me/.amplifier/projects"]);
        moved[0].Why.ShouldBe("CLAUDE_CONFIG_DIR");
    }

    [Fact]
    public void Finds_sessions_by_each_harness_layout_and_skips_subagent_files()
    {
        Build();
        var found = SessionLocator.Roots(_ => null, _home.FullName).SelectMany(SessionLocator.Find).ToList();
        found.Select(f => (f.Harness, f.Id)).OrderBy(x => x.Harness).ThenBy(x => x.Id).ShouldBe(
        [
            (Harness.ClaudeCode, "11111111-2222-3333-4444-555555555555"),
            (Harness.ClaudeCode, ClaudeId),
            (Harness.Codex, CodexId),
            (Harness.GeminiCli, "abcd1234"),
            (Harness.CopilotCli, "c3f091b3-0000-4000-8000-000000000001"),
            (Harness.Amplifier, "amp-session-1"),
        ]);
    }

    [Fact]
    public void Details_name_the_project_and_the_last_prompt()
    {
        Build();
        var claude = SessionLocator.Find(SessionLocator.Roots(_ => null, _home.FullName)[0]).Single(s => s.Id == ClaudeId);
        var details = SessionDetails.Read(claude);
        details.Project.ShouldBe("/home/dana/src/ledgerline");
        details.LastPrompt.ShouldBe("claude crashed, where were we?");

        var gemini = SessionLocator.Find(SessionLocator.Roots(_ => null, _home.FullName)[2]).Single();
        SessionDetails.Read(gemini).Id.ShouldBe("3c9e41d2-58a7-4f1b-b0d6-7e2a9c14f803", "the full id is read from the file");
    }

    [Fact]
    public void Finds_a_Gemini_CLI_session_log_and_reads_its_id_and_last_prompt_from_it()
    {
        // Gemini CLI writes session-*.jsonl since April 2026; a subagent's log sits one folder down and is not listed.
        var chats = Dir(".gemini/tmp/ledger/chats");
        Copy("gemini-cli-jsonl/TL3001/fires-killed-while-tool-ran.jsonl", Path.Combine(chats, "session-2026-01-10T20-00-fa4593e0.jsonl"), hoursAgo: 2);
        Copy("gemini-cli-jsonl/TL3001/fires-killed-while-tool-ran.jsonl", Path.Combine(Dir(".gemini/tmp/ledger/chats/fa4593e0-f7e1-4dd1-b656-da95fb4d60fa"), "sub-1.jsonl"), hoursAgo: 2);
        var gemini = SessionLocator.Find(SessionLocator.Roots(_ => null, _home.FullName)[2]).Single();
        gemini.Id.ShouldBe("fa4593e0");
        var details = SessionDetails.Read(gemini);
        details.Id.ShouldBe("fa4593e0-f7e1-4dd1-b656-da95fb4d60fa", "the full id is read from the metadata line");
        details.LastPrompt.ShouldBe("did it work?");
    }

    [Fact]
    public void Lists_the_sessions_that_would_fail_newest_first_with_the_fix_and_resume_commands_and_changes_nothing()
    {
        Build();
        var before = Hashes();
        var (exit, stdout, stderr) = Doctor();
        exit.ShouldBe(1, stderr);
        stdout.ShouldContain("Claude Code  ~/.claude/projects: 2 sessions");
        stdout.ShouldContain("2 of 6 sessions would not resume intact");
        stdout.ShouldContain("Copilot CLI  ~/.copilot/session-state: 1 session\n");
        stdout.ShouldContain($"transcriptlint fix ~/.claude/projects/-home-dana-src-ledgerline/{ClaudeId}.jsonl");
        stdout.ShouldContain($"cd /home/dana/src/ledgerline && claude --resume {ClaudeId}");
        stdout.ShouldContain("last prompt  \"claude crashed, where were we?\"");
        stdout.ShouldContain("error TL3001 line 10:");
        stdout.ShouldContain($"codex resume {CodexId}");
        stdout.ShouldNotContain("11111111-2222", Case.Sensitive, "healthy sessions are listed only with --all");
        stdout.IndexOf(CodexId, StringComparison.Ordinal).ShouldBeLessThan(stdout.IndexOf(ClaudeId, StringComparison.Ordinal), "newest first");
        Hashes().ShouldBe(before, "doctor never changes a file");
        stdout.ShouldNotContain("\u001b[", Case.Sensitive, "no colour when not on a terminal");
    }

    [Fact]
    public void A_session_cut_off_by_a_crash_is_listed_with_its_fix_and_a_file_nothing_reads_only_counted()
    {
        // The person whose session just broke: a Gemini CLI session cut off while the CLI rewrote it is no transcript to
        // any reader, but fix restores it, so doctor lists it as broken with the fix and the session's full id.
        var chats = Dir(".gemini/tmp/ledger/chats");
        Copy("gemini-cli/TL1006/fires-session-cut-off-after-its-messages.json", Path.Combine(chats, "session-2026-02-12T09-14-3c9e41d2.json"), hoursAgo: 1);
        File.WriteAllText(Path.Combine(chats, "session-2026-02-11T09-14-0badf00d.json"), "{\"sessionId\": \"0badf00d-0000\", \"messages\": [");
        File.SetLastWriteTimeUtc(Path.Combine(chats, "session-2026-02-11T09-14-0badf00d.json"), DateTime.UtcNow.AddHours(-2));

        var (exit, stdout, stderr) = Doctor();

        exit.ShouldBe(1, stderr);
        stdout.ShouldContain("Gemini CLI   ~/.gemini/tmp: 2 sessions (1 not read as a transcript; --all lists them)");
        stdout.ShouldContain("error TL1006 line 1:");
        stdout.ShouldContain("transcriptlint fix ~/.gemini/tmp/ledger/chats/session-2026-02-12T09-14-3c9e41d2.json");
        stdout.ShouldContain("gemini --resume 3c9e41d2-58a7-4f1b-b0d6-7e2a9c14f803", Case.Sensitive, "the full id, read from the top of the cut-off file");
        stdout.ShouldContain("1 of 1 session would not resume intact");
        stdout.ShouldNotContain("0badf00d-0000");

        var listed = Doctor("--all").Out;
        listed.ShouldContain("? project ledger");
        listed.ShouldContain("not read     This file is not a transcript of a supported format: it looks like one JSON document cut off before its end");
    }

    [Fact]
    public void A_home_whose_only_session_file_cannot_be_read_says_so_instead_of_finding_nothing()
    {
        File.WriteAllText(Path.Combine(Dir(".gemini/tmp/ledger/chats"), "session-2026-02-11T09-14-0badf00d.json"), "{\"sessionId\": \"0badf00d-0000\", \"messages\": [");

        var (exit, stdout, _) = Doctor();

        exit.ShouldBe(0, "nothing was judged broken");
        stdout.ShouldContain("Gemini CLI   ~/.gemini/tmp: 1 session (1 not read as a transcript; --all lists them)");
        stdout.ShouldContain("No session could be checked (1 file not read as a transcript).");
        stdout.ShouldNotContain("No session found.");
    }

    [Fact]
    public void Session_finds_one_session_by_id_or_prefix_and_an_unknown_id_is_a_usage_error()
    {
        Build();
        var (exit, stdout, _) = Doctor("--session", "11111111");
        exit.ShouldBe(0);
        stdout.ShouldContain("11111111-2222-3333-4444-555555555555");
        stdout.ShouldContain("resumes: cd /home/marco/projects/spotter && claude --resume 11111111-2222-3333-4444-555555555555");
        stdout.ShouldNotContain(ClaudeId);

        var missing = Doctor("--session", "ffffffff");
        missing.Exit.ShouldBe(2);
        missing.Err.ShouldContain("no session has the id 'ffffffff'");
    }

    [Fact]
    public void An_empty_home_is_not_an_error()
    {
        var (exit, stdout, _) = Doctor();
        exit.ShouldBe(0);
        stdout.ShouldContain("No session found.");
        stdout.ShouldContain("not found");
    }

    [Theory]
    [InlineData(30, "just now")]
    [InlineData(61, "1 minute ago")]
    [InlineData(7200, "2 hours ago")]
    [InlineData(86_400 * 3, "3 days ago")]
    public void Ages_read_as_a_person_says_them(int seconds, string expected) =>
        DoctorCommand.Age(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);

    private (int Exit, string Out, string Err) Doctor(params string[] args) =>
        CliProcess.RunWithEnvironment(
            RepoPaths.Root,
            null,
            new Dictionary<string, string?> { ["HOME"] = _home.FullName, ["CLAUDE_CONFIG_DIR"] = null, ["CODEX_HOME"] = null, ["GEMINI_CLI_HOME"] = null, ["COPILOT_HOME"] = null },
            ["doctor", .. args]);

    private Dictionary<string, string> Hashes() =>
        Directory.EnumerateFiles(_home.FullName, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    // A home with one session of each harness: a broken Claude Code session, a healthy one and a subagent file
    // beside them, a broken Codex rollout (the newest), a Gemini CLI chat, a Copilot CLI events file and an Amplifier transcript.
    private void Build()
    {
        var claude = Dir(".claude/projects/-home-dana-src-ledgerline");
        Copy("samples/b-crash-mid-tool.jsonl", Path.Combine(claude, ClaudeId + ".jsonl"), hoursAgo: 5);
        Copy("samples/clean-real-spotter-tool-heavy.jsonl", Path.Combine(claude, "11111111-2222-3333-4444-555555555555.jsonl"), hoursAgo: 30);
        Copy("samples/b-crash-mid-tool.jsonl", Path.Combine(claude, "agent-1234abcd.jsonl"), hoursAgo: 5);
        Copy("samples/b-crash-mid-tool.jsonl", Path.Combine(Dir($".claude/projects/-home-dana-src-ledgerline/{ClaudeId}/subagents"), "agent-a1.jsonl"), hoursAgo: 5);
        Copy("codex/TL3001/fires-call-without-output.jsonl", Path.Combine(Dir(".codex/sessions/2026/02/12"), $"rollout-2026-02-12T09-14-09-{CodexId}.jsonl"), hoursAgo: 1);
        Copy("gemini-cli/clean-tool-calls-with-results.json", Path.Combine(Dir(".gemini/tmp/ledger/chats"), "session-2026-02-12T09-14-abcd1234.json"), hoursAgo: 50);
        File.WriteAllText(Path.Combine(Dir(".copilot/session-state/c3f091b3-0000-4000-8000-000000000001"), "events.jsonl"),
            "{\"type\":\"session.start\",\"data\":{\"sessionId\":\"c3f091b3-0000-4000-8000-000000000001\"},\"id\":\"e1\",\"timestamp\":\"2026-02-12T09:00:00Z\",\"parentId\":null}\n");
        File.SetLastWriteTimeUtc(Path.Combine(_home.FullName, ".copilot/session-state/c3f091b3-0000-4000-8000-000000000001/events.jsonl"), DateTime.UtcNow.AddHours(-60));
        File.WriteAllText(Path.Combine(Dir(".amplifier/projects/-home-dana-src-ledgerline/sessions/amp-session-1"), "transcript.jsonl"),
            "{\"role\":\"user\",\"content\":\"hello\"}\n{\"role\":\"assistant\",\"content\":\"hi\"}\n");
        File.SetLastWriteTimeUtc(Path.Combine(_home.FullName, ".amplifier/projects/-home-dana-src-ledgerline/sessions/amp-session-1/transcript.jsonl"), DateTime.UtcNow.AddHours(-70));
    }

    private string Dir(string relative) => Directory.CreateDirectory(Path.Combine(_home.FullName, relative)).FullName;

    private static void Copy(string fixture, string to, int hoursAgo)
    {
        File.Copy(Path.Combine(RepoPaths.Fixtures, fixture), to);
        File.SetLastWriteTimeUtc(to, DateTime.UtcNow.AddHours(-hoursAgo));
    }
}
