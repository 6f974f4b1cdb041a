using TranscriptLint.Cli;

namespace TranscriptLint.Tests;

/// <summary><c>lint --profile</c> picks the provider profile.</summary>
public sealed class LintProfileOptionTests
{
    private static readonly string Fixture = Path.Combine(RepoPaths.Fixtures, "claude-code", "TL4009", "clean-anthropic-ends-on-assistant.jsonl");

    [Fact]
    public void Default_profile_allows_ending_on_the_assistant()
    {
        var (code, output, _) = Run("lint", Fixture);
        code.ShouldBe(ExitCodes.Clean);
        output.ShouldNotContain("TL4009");
    }

    [Theory]
    [InlineData("openai-chat")]
    [InlineData("openai-responses")]
    public void Openai_profiles_report_a_conversation_ending_on_the_assistant(string profile)
    {
        var (code, output, _) = Run("lint", "--profile", profile, Fixture);
        code.ShouldBe(ExitCodes.Findings);
        output.ShouldContain($"warning TL4009: The conversation ends with an assistant message, which the {profile} profile");
    }

    [Fact]
    public void Unknown_profile_is_a_usage_error()
    {
        var (code, _, error) = Run("lint", "--profile", "gemini", Fixture);
        code.ShouldBe(ExitCodes.UsageOrInput);
        error.ShouldContain("gemini");
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
