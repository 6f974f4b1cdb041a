using System.Text.Json;
using System.Text.Json.Nodes;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>TL5001 (SecretInTranscript): fixtures in fixtures/claude-code/TL5001/, doc in docs/rules/TL5001.md.</summary>
public sealed class TL5001SecretInTranscriptTests : RuleFixtureTests<TL5001SecretInTranscriptRule>
{
    private const string Id = RuleIdentifiers.SecretInTranscript;

    [Fact]
    public void Descriptor_carries_a_sarif_security_severity() =>
        TL5001SecretInTranscriptRule.Descriptor.SecuritySeverity.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(7.0);

    [Fact]
    public void Redaction_replaces_only_the_secrets_and_keeps_the_line_valid_json()
    {
        const string Case = "fires-aws-keys-in-bash-output.jsonl";
        var fix = FixtureFacts.Single(Id, Case, Id).Fixes.ShouldHaveSingleItem();
        fix.Applicability.ShouldBe(Applicability.Unsafe);
        var edits = fix.Edits.Cast<ReplaceValue>().ToList();
        edits.Select(e => e.JsonPointer).ShouldBe(["/message/content/0/content", "/toolUseResult/stdout"]);

        var line = JsonNode.Parse(File.ReadLines(FixtureFacts.PathOf(Id, Case)).ElementAt(6))!;
        var before = line["toolUseResult"]!["stdout"]!.GetValue<string>();
        foreach (var edit in edits)
        {
            edit.Target.Line.ShouldBe(7);
            Set(line, edit.JsonPointer, JsonNode.Parse(edit.ValueJson));
        }

        var after = JsonNode.Parse(line.ToJsonString())!; // still one valid JSON object
        var stdout = after["toolUseResult"]!["stdout"]!.GetValue<string>();
        stdout.ShouldContain("aws_access_key_id = [REDACTED:AWS access key id]");
        stdout.ShouldContain("aws_secret_access_key = [REDACTED:AWS secret access key]");
        stdout.ShouldContain("region = eu-west-1");
        stdout.ShouldNotContain(before.Split('\n')[1].Split(" = ")[1]);
        after["message"]!["content"]![0]!["content"]!.GetValue<string>().ShouldBe(stdout);
    }

    [Fact]
    public void Secret_in_thinking_removes_the_block_instead_of_editing_it()
    {
        const string Case = "fires-github-token-in-thinking.jsonl";
        var fix = FixtureFacts.Single(Id, Case, Id).Fixes.ShouldHaveSingleItem();
        fix.Edits.OfType<ReplaceValue>().ShouldBeEmpty("an edited thinking block fails its signature check");
        fix.Edits.OfType<DeleteEntry>().ShouldHaveSingleItem().Target.Line.ShouldBe(6);
        var relink = fix.Edits.OfType<SetParent>().ShouldHaveSingleItem();
        relink.Target.Line.ShouldBe(7);
        relink.NewParentUuid.ShouldBe(FixtureFacts.Uuid(Id, Case, 5));
    }

    [Theory]
    [InlineData("export AWS_ACCESS_KEY_ID=AKIAZ7Q2M4XK9PLW3RTB", "AWS access key id")]
    [InlineData("aws_secret_access_key: \"Qm8rTz4Kp2Xv9Lw1Ns7Bd3Hf6Jc0Ga5Ye+Ru/Vix\"", "AWS secret access key")]
    [InlineData("git remote set-url origin https://ghp_R8kT2mQ9vX4pL7wN3sB6dH1fJ5cG0aY8eU2i@github.com/dana/ledgerline", "GitHub token")]
    [InlineData("token github_pat_11ABCDEFG0abcdefghijKL_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ012345678", "GitHub token")]
    [InlineData("ANTHROPIC_API_KEY=sk-ant-api03-Xq7Lm2Nv8Kp4Rt6Ws1Yz3Bc5Dg9Fh0Jk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4", "Anthropic API key")]
    [InlineData("OPENAI_API_KEY=sk-proj-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np", "OpenAI API key")]
    [InlineData("SLACK_BOT_TOKEN=xoxb-2847561930-7712345678901-Qw3Er5Ty7Ui9Op1As", "Slack token")]
    [InlineData("curl -X POST https://hooks.slack.com/services/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", "Slack webhook URL")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDm4bQ7wXhQ6kYtU1vR8nJ2sP5cZ0aF3gH9dL4eK7mB1wAAAJg2Yb9kNmG/\n-----END OPENSSH PRIVATE KEY-----", "private key")]
    [InlineData("Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkYW5hIiwiZXhwIjoxOTAwMDAwMDAwfQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtbm90LXJlYWwtMTIzNDU2", "JWT")]
    [InlineData("mysql://root:S3cr3t-Pa55@127.0.0.1:3306/app", "password in URL")]
    [InlineData("https://api.ledgerline.io/login?user=dana&password=Hunter2Hunter2", "password in URL")]
    [InlineData("DATABASE_URL=postgresql://app_user:xK9%23mP2%24vL5nQ8wR3tY6@db.ledgerline.io:5432/app", "password in URL")]
    public void Detects_each_key_family(string text, string family)
    {
        var d = RuleHarness.LintText(Prompt(text)).Diagnostics.Where(x => x.Id == Id).ShouldHaveSingleItem();
        d.Message.ShouldContain(family);
    }

    [Theory]
    [InlineData("The AWS docs use AKIAIOSFODNN7EXAMPLE as the sample access key id.")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("we use sk-learn (scikit-learn) and check the sk-ant- prefix in keys.py")]
    [InlineData("sk-this-is-not-a-key-just-a-long-kebab-case-identifier-name")]
    [InlineData("GitHub tokens start with ghp_ or github_pat_; ours are in the vault")]
    [InlineData("if line.startswith('-----BEGIN PRIVATE KEY-----'):\n    in_key = True")]
    [InlineData("DATABASE_URL=postgres://ledger:${DB_PASSWORD}@localhost:5432/ledger")]
    [InlineData("see https://user:password@example.com and https://x.test/?password=<your password>")]
    [InlineData("the jwt.io sample eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")]
    [InlineData("eyJmb28iOiJiYXIifQ.eyJiYXoiOiJxdXgifQ.bm90LWEtand0LWp1c3QtZGF0YQ (no alg: not a JWT header)")]
    [InlineData("Slack bot tokens look like xoxb-your-token-here-abcdefghij")]
    [InlineData("git clone https://github.com/dana/ledgerline.git && cd ledgerline")]
    // A real checkpoint (entireio/cli 31/b75032f0ff) writing gitleaks fixtures: hosts no one can own, a redacted key.
    [InlineData("DATABASE_URL=postgresql://app_user:xK9%23mP2%24vL5nQ8wR3tY6@db.example.com:5432/myapp_production?sslmode=require")]
    [InlineData("https://api.example.org/login?user=dana&password=Hunter2Hunter2 and ftp://ci:Zq8rT2vLm4@mirror.build.test/")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nREDACTED\nREDACTED\n-----END OPENSSH PRIVATE KEY-----")]
    public void Lookalikes_are_not_reported(string text) =>
        RuleHarness.LintText(Prompt(text)).Diagnostics.ShouldNotContain(d => d.Id == Id);

    // Strings over 1 MiB are pre-scanned in overlapping windows without being materialised: a secret anywhere in
    // one, also straddling a window boundary or behind escapes, is still found; a long string without one is not.
    [Theory]
    [InlineData(10, false)]
    [InlineData(1024 * 1024 - 20, false)] // straddles the end of the first window
    [InlineData(1500 * 1024, false)]
    [InlineData(1500 * 1024, true)] // escapes before it shift characters against bytes
    public void A_secret_in_a_string_of_several_megabytes_is_found(int at, bool escapes)
    {
        const string Key = "AKIAZ7Q2M4XK9PLW3RTB";
        var filler = escapes ? "line\n\"quoted\" " : "lorem ipsum ";
        var text = new System.Text.StringBuilder();
        while (text.Length < at)
        {
            text.Append(filler);
        }

        text.Length = at;
        text.Append(' ').Append(Key).Append(' ');
        while (text.Length < 2 * 1024 * 1024)
        {
            text.Append(filler);
        }

        // No time budget: the regexes over the whole 2 MB string (read whole to redact it) are slow on a loaded machine.
        var d = RuleHarness.LintText(Prompt(text.ToString()), new LintOptions { RuleTimeout = TimeSpan.Zero }).Diagnostics.Where(x => x.Id == Id).ShouldHaveSingleItem();
        d.Message.ShouldContain("AWS access key id");
    }

    [Fact]
    public void A_string_of_several_megabytes_without_a_secret_is_not_reported() =>
        RuleHarness.LintText(Prompt(string.Concat(Enumerable.Repeat("sk- AKIA eyJ ://x assw ", 100_000))), new LintOptions { RuleTimeout = TimeSpan.Zero }).Diagnostics.ShouldNotContain(d => d.Id == Id);

    private static string Prompt(string text) =>
        "{\"parentUuid\":null,\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/dana/src/ledgerline\",\"sessionId\":\"5a898d6a-a0f4-4e29-8865-e01ca3b1129a\",\"version\":\"2.1.39\",\"gitBranch\":\"main\",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":"
        + JsonSerializer.Serialize(text) + "},\"uuid\":\"76571563-5f7b-4aa1-82ac-591575909bd9\",\"timestamp\":\"2026-02-12T09:14:05.786Z\"}\n";

    private static void Set(JsonNode root, string pointer, JsonNode? value)
    {
        var parts = pointer.Split('/').Skip(1).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = node is JsonArray a ? a[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        }

        if (node is JsonArray array)
        {
            array[int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            node[parts[^1]] = value;
        }
    }
}
