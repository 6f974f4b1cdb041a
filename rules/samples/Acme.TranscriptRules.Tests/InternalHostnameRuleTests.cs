namespace Acme.TranscriptRules.Tests;

/// <summary>
/// ACME1001 with TranscriptLint.Testing's RuleTester: each case is a small transcript written inline, the findings it
/// must report (id, line, optionally column and message), and the text after `transcriptlint fix` (Output: Safe
/// fixes) and after `transcriptlint fix --unsafe-fixes` (UnsafeOutput). The real engine and fixer run them.
/// </summary>
public class InternalHostnameRuleTests
{
    private static readonly RuleTester Tester = RuleTester.For<InternalHostnameRule>();

    // Claude Code lines: a user prompt with string content, an assistant reply with a signed thinking block and a text block.
    private static string User(string uuid, string? parent, string text) =>
        $$"""{"parentUuid":{{(parent is null ? "null" : $"\"{parent}\"")}},"sessionId":"7c1e2a40-5b7d-4f8e-9a51-0d3c6e2b9f10","type":"user","message":{"role":"user","content":"{{text}}"},"uuid":"{{uuid}}","timestamp":"2026-02-12T09:14:08.110Z"}""";

    private static string Assistant(string uuid, string parent, string thinking, string text) =>
        $$"""{"parentUuid":"{{parent}}","sessionId":"7c1e2a40-5b7d-4f8e-9a51-0d3c6e2b9f10","type":"assistant","message":{"id":"msg_01ABC","type":"message","role":"assistant","model":"claude-opus-4-5","content":[{"type":"thinking","thinking":"{{thinking}}","signature":"EqQBCkYIBxgCKkB"},{"type":"text","text":"{{text}}"}],"stop_reason":"end_turn"},"uuid":"{{uuid}}","timestamp":"2026-02-12T09:14:12.000Z"}""";

    private const string U1 = "11111111-1111-4111-8111-111111111111";
    private const string A2 = "22222222-2222-4222-8222-222222222222";
    private const string U3 = "33333333-3333-4333-8333-333333333333";

    [Fact]
    public void Reports_internal_hosts_in_text_and_replaces_them_only_with_unsafe_fixes() => Tester.Run(
        valid:
        [
            new ValidCase(User(U1, null, "deploy to the staging box")) { Name = "no host" },
            new ValidCase(string.Join('\n',
                User(U1, null, "check the build"),
                Assistant(A2, U1, "build01.corp.acme.example is the build box", "Checking now."))) { Name = "only in thinking: signed, never reported" },
        ],
        invalid:
        [
            new InvalidCase(string.Join('\n',
                User(U1, null, "deploy to build01.corp.acme.example and check ci.corp.acme.example"),
                Assistant(A2, U1, "build01.corp.acme.example is the build box", "Deploying to build01.corp.acme.example now."),
                User(U3, A2, "thanks, nothing internal here: acme.example.com")))
            {
                Findings =
                [
                    "ACME1001 1 Message text names the internal host build01.corp.acme.example, ci.corp.acme.example",
                    "ACME1001 2 Message text names the internal host build01.corp.acme.example",
                ],
                Output = null, // the fix is Unsafe: `transcriptlint fix` leaves the text as it is
                UnsafeOutput = string.Join('\n',
                    User(U1, null, "deploy to [internal-host] and check [internal-host]"),
                    Assistant(A2, U1, "build01.corp.acme.example is the build box", "Deploying to [internal-host] now."),
                    User(U3, A2, "thanks, nothing internal here: acme.example.com")),
            },
            new InvalidCase(User(U1, null, "thanks, nothing internal here: acme.example.com"))
            {
                Name = "the domain option changes what is internal",
                Options = new Dictionary<string, object?> { ["domain"] = "example.com" },
                Findings = ["ACME1001 1 Message text names the internal host acme.example.com"],
                UnsafeOutput = User(U1, null, "thanks, nothing internal here: [internal-host]"),
            },
        ]);

    [Fact]
    public void Works_on_codex_sessions_too() => Tester.Invalid(
        new InvalidCase(string.Join('\n',
            """{"timestamp":"2026-06-05T04:58:00.000Z","type":"session_meta","payload":{"id":"019e9625-802f-7e91-840a-cfe88d14117a","timestamp":"2026-06-05T04:58:00.000Z","cwd":"/home/dev/app","originator":"codex_cli_rs","cli_version":"0.135.0","source":"cli","model_provider":"openai"}}""",
            """{"timestamp":"2026-06-05T04:58:02.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"ssh to build01.corp.acme.example"}]}}"""))
        {
            Findings = ["ACME1001 2"],
            UnsafeOutput = string.Join('\n',
                """{"timestamp":"2026-06-05T04:58:00.000Z","type":"session_meta","payload":{"id":"019e9625-802f-7e91-840a-cfe88d14117a","timestamp":"2026-06-05T04:58:00.000Z","cwd":"/home/dev/app","originator":"codex_cli_rs","cli_version":"0.135.0","source":"cli","model_provider":"openai"}}""",
                """{"timestamp":"2026-06-05T04:58:02.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"ssh to [internal-host]"}]}}"""),
        });

    [Fact]
    public void A_misspelt_option_is_refused_as_transcriptlint_refuses_it()
    {
        var e = Assert.Throws<RuleTestException>(() => Tester.Valid(new ValidCase(User(U1, null, "hi")) { Options = new Dictionary<string, object?> { ["domian"] = "example.com" } }));
        Assert.Contains("options.ACME1001.domian: unknown property 'domian' (expected one of domain)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_plugin_loads_as_transcriptlint_loads_it()
    {
        // Copied into a plugins/<Name>/ folder and loaded in its own context, with the contract version check.
        var loaded = RuleTester.ForPlugin(typeof(InternalHostnameRule).Assembly.Location);

        var descriptor = Assert.Single(loaded.Descriptors, d => d.Id == AcmeRuleIds.InternalHostnameInText);
        Assert.Equal(AcmeRuleIds.InternalHostnameInText, descriptor.Id);
        Assert.StartsWith("# ACME1001 internal-hostname-in-text", descriptor.HelpMarkdown, StringComparison.Ordinal);
        loaded.Invalid(new InvalidCase(User(U1, null, "ping build01.corp.acme.example"))
        {
            Findings = ["ACME1001 1"],
            UnsafeOutput = User(U1, null, "ping [internal-host]"),
        });
    }
}
