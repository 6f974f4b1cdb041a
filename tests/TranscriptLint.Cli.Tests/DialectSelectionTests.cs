using TranscriptLint.Cli;

namespace TranscriptLint.Tests;

/// <summary>
/// Which files a folder walk lints and which format each is read as: <c>*.json</c> files that are saved sessions or
/// request bodies are found beside <c>*.jsonl</c>, other JSON is left alone, and <c>--dialect</c> forces a format.
/// </summary>
public sealed class DialectSelectionTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_folder_walk_lints_json_sessions_and_request_bodies_but_not_other_json()
    {
        using var temp = new TempDir();
        temp.Write("chats/session-1.json", File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "gemini-cli", "fires-killed-while-tool-ran.json")));
        temp.Write("logs/request.json", File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "anthropic-messages", "clean-tool-round-trip.json")));
        temp.Write("package.json", """{ "name": "app", "version": "1.0.0", "scripts": { "test": "vitest" } }""");
        temp.Write("i18n/messages.json", """{ "messages": { "hello": "Hello" } }""");
        // A session a crash cut off reads as no transcript, but it is a broken session, not other JSON: it is linted (TL1006).
        temp.Write("chats/session-2.json", File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "gemini-cli", "TL1006", "fires-session-cut-off-while-rewritten.json")));
        File.Copy(Path.Combine(RepoPaths.Fixtures, "gemini-cli", "TL1006", "fires-session-saved-as-utf16.json"), temp.Combine("chats/session-3.json")); // and one saved as UTF-16

        var (exit, output, error) = Run("lint", "--format", "json", temp.Path);

        error.ShouldBeEmpty();
        exit.ShouldBe(1);
        var files = System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("files").EnumerateArray()
            .Select(f => (Path.GetFileName(f.GetProperty("path").GetString()!), f.GetProperty("dialect").GetString())).ToList();
        files.ShouldBe([("session-1.json", "gemini-cli"), ("request.json", "anthropic-messages"), ("session-2.json", "none"), ("session-3.json", "none")], ignoreOrder: true);
    }

    [Fact]
    public void Forcing_a_dialect_reads_an_unplaced_file_but_never_a_file_plainly_in_another_format()
    {
        using var temp = new TempDir();
        var claude = temp.Combine("claude.jsonl");
        File.Copy(Path.Combine(RepoPaths.Fixtures, "samples", "b-crash-mid-tool.jsonl"), claude);

        var (exit, output, _) = Run("lint", "--dialect", "codex", claude);

        exit.ShouldBe(1);
        output.ShouldContain("error TL1006: This file is not a transcript of a supported format: it looks like JSON Lines in the claude-code format, not codex (forced with --dialect).");
        Run("lint", "--dialect", "claude-code", claude).Out.ShouldContain("TL3001");
    }

    [Fact]
    public void A_misspelt_dialect_is_a_usage_error_with_a_suggestion()
    {
        var (exit, _, error) = Run("lint", "--dialect", "gemini", Path.Combine(RepoPaths.Fixtures, "samples"));

        exit.ShouldBe(2);
        error.ShouldStartWith("transcriptlint: error: --dialect: unknown value 'gemini'; did you mean 'gemini-cli'?");
    }

    [Theory]
    [InlineData("sarif")]
    [InlineData("text")]
    public void Linting_files_in_parallel_gives_the_same_bytes_as_one_at_a_time(string format)
    {
        // Every fixture folder: many small files of every dialect, some of which finish out of order.
        var one = Run("lint", "--format", format, "--jobs", "1", RepoPaths.Fixtures);
        var four = Run("lint", "--format", format, "--jobs", "4", RepoPaths.Fixtures);

        four.Exit.ShouldBe(one.Exit);
        four.Out.ShouldBe(one.Out);
        four.Err.ShouldBe(one.Err);
        one.Out.Length.ShouldBeGreaterThan(1000);
    }

    [Fact]
    public void Jobs_out_of_range_is_a_usage_error() =>
        Run("lint", "--jobs", "0", Path.Combine(RepoPaths.Fixtures, "samples")).Err.ShouldBe("transcriptlint: error: --jobs: expected a number of files from 1 to 256, got 0\n");
}
