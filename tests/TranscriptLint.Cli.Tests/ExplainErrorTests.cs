using System.Text.RegularExpressions;
using TranscriptLint.Cli;
using TranscriptLint.Cli.Commands;
using TranscriptLint.Engine.Explain;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests;

/// <summary><c>transcriptlint explain-error</c>: matching pasted provider errors to rules, and mapping messages.N to lines.</summary>
public sealed partial class ExplainErrorTests
{
    private static readonly IReadOnlyList<RuleDescriptor> Descriptors =
        [.. BuiltInRules.Source.LoadRules(new List<ToolNotification>()).SelectMany(r => r.Rule.SupportedDescriptors)];

    [GeneratedRegex(@"\{[^}]*\}|…")]
    private static partial Regex Placeholder();

    /// <summary>Every prevented error of every rule, as a provider would fill it in.</summary>
    public static TheoryData<string, string> EveryPreventedError()
    {
        var data = new TheoryData<string, string>();
        foreach (var d in Descriptors)
        {
            foreach (var p in d.PreventsErrors)
            {
                data.Add(d.Id, p);
            }
        }

        return data;
    }

    private static string Fill(string pattern) => Placeholder().Replace(pattern, m => m.Value switch
    {
        "{i}" => "7",
        "{j}" => "2",
        "{n}" => "204817",
        "{max}" => "200000",
        "…" => "x",
        _ => "toolu_01ABCDEFGHijklmnop",
    });

    [Theory]
    [MemberData(nameof(EveryPreventedError))]
    public void Every_prevented_error_names_its_rule(string id, string pattern)
    {
        var text = "messages.7.content.2: " + Fill(pattern);
        ErrorExplainer.Explain(text, Descriptors).Matches.Select(m => m.Descriptor.Id).ShouldContain(id);
        ErrorExplainer.Explain(text.Replace("`", "", StringComparison.Ordinal), Descriptors).Matches.Select(m => m.Descriptor.Id).ShouldContain(id, "without backticks");
    }

    [Theory]
    [InlineData("litellm.BadRequestError: AnthropicException - {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages.14.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_01Xy7. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.\"}}", "TL3002")]
    [InlineData("{\"error\":{\"code\":400,\"message\":\"{\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":\\\"invalid_request_error\\\",\\\"message\\\":\\\"messages.3.content.0: Invalid `signature` in `thinking` block\\\"},\\\"request_id\\\":\\\"req_vrtx_011CZ\\\"}\",\"status\":\"INVALID_ARGUMENT\"}}", "TL4005")]
    [InlineData("An error occurred (ValidationException) when calling the ConverseStream operation: Bedrock error message: The model returned the following errors: messages.5: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_bdrk_01AbCdEfGh", "TL3001")]
    [InlineData("API Error: 400 {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages.2.content.0.tool_use.input: Input should be a valid dictionary\"}}", "TL3007")]
    [InlineData("Invalid 'messages[12].tool_calls[0].id': string too long. Expected a string with maximum length 40, but got a string with length 64 instead.", "TL3006")]
    [InlineData("messages: text content blocks must contain non-whitespace text", "TL4004")]
    [InlineData("prompt is too long: 214331 tokens > 200000 maximum", "TL6003")]
    [InlineData("tool_use ids were found without tool_result blocks", "TL3001")]
    [InlineData("API Error: 400 due to tool use concurrency issues. Run /rewind to recover the conversation.", "TL3001")]
    [InlineData("API Error: 400 due to tool use concurrency issues. Run /rewind to recover the conversation.", "TL3002")]
    public void Wrapped_errors_name_the_rule(string pasted, string id) =>
        ErrorExplainer.Explain(pasted, Descriptors).Matches.Select(m => m.Descriptor.Id).ShouldContain(id);

    [Theory]
    [InlineData("messages.12.content.3: each tool_use must have a single result", 12, 3)]
    [InlineData("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'. param: messages.[4].role", 4, null)]
    [InlineData("Invalid 'messages[9].tool_calls[0].id': string too long.", 9, null)]
    public void Positions_are_read_from_the_error(string pasted, int message, int? content) =>
        ErrorExplainer.Explain(pasted, Descriptors).Positions.ShouldHaveSingleItem().ShouldBe(new ErrorPosition(message, content));

    [Fact]
    public void Unrelated_text_matches_nothing()
    {
        ErrorExplainer.Explain("Error: connect ECONNREFUSED 127.0.0.1:443", Descriptors).Matches.ShouldBeEmpty();
        ErrorExplainer.Explain("overloaded_error: Overloaded", Descriptors).Matches.ShouldBeEmpty();
    }

    [Fact]
    public void Command_maps_messages_n_to_the_transcript_line_and_lints_that_spot()
    {
        // Chain of this fixture: messages.0 prompt (line 4), .1 assistant (5-6), .2 the two result lines (7-8), .3 answer (9).
        var path = Path.Combine(RepoPaths.Fixtures, "claude-code", "TL3004", "fires-identical-result-written-twice.jsonl");
        var (code, output, _) = Run("explain-error", "messages.2.content.1: each tool_use must have a single result. Found multiple `tool_result` blocks with id: toolu_x", "--transcript", path);
        code.ShouldBe(ExitCodes.Clean);
        output.ShouldContain("TL3004 duplicate-tool-result");
        output.ShouldContain("messages.2 (user) comes from lines 7, 8");
        output.ShouldContain("messages.2.content.1 is line 8 at /message/content/0 (tool_result");
        output.ShouldContain("Findings at that spot:");
        output.ShouldMatch(@"(?s).*\(8,\d+\): error TL3004: .*");
    }

    [Fact]
    public void Command_exits_1_when_no_rule_matches_and_2_on_usage_errors()
    {
        Run("explain-error", "socket hang up").Code.ShouldBe(ExitCodes.Findings);
        Run("explain-error", "   ").Code.ShouldBe(ExitCodes.UsageOrInput);
        var (code, _, error) = Run("explain-error", "tool_use ids must be unique", "--transcript", "/no/such/file.jsonl");
        code.ShouldBe(ExitCodes.UsageOrInput);
        error.ShouldContain("cannot read");
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
