using System.Text;
using System.Text.Json;
using TranscriptLint.Rules.Core;

namespace TranscriptLint.Tests;

/// <summary>
/// TL5001's fast path (a pre-scan of the raw line bytes, then only the detectors whose literal is present) must find
/// exactly what running every detector on every decoded string finds (<c>SecretPatterns.FindAll</c>).
/// </summary>
public sealed class SecretScanEquivalenceTests
{
    private const string Id = RuleIdentifiers.SecretInTranscript;

    // Inputs built to hit the edges: escapes spelling a trigger, case-folding, ties between detectors, near-misses.
    public static TheoryData<string> Adversarial() =>
    [
        "export AWS_ACCESS_KEY_ID=AKIAZ7Q2M4XK9PLW3RTB",
        "AWS_SECRET_ACCESS_KEY=Qm8rTz4Kp2Xv9Lw1Ns7Bd3Hf6Jc0Ga5Ye+Ru/Vix see https://x.test",
        "AWS_SECRET_ACCESS_KEY=Qm8rTz4Kp2Xv9Lw1Ns7Bd3Hf6Jc0Ga5Ye+Ru/Vix and nothing else",
        "AwsSecretAccessKey: Qm8rTz4Kp2Xv9Lw1Ns7Bd3Hf6Jc0Ga5Ye+Ru/Vix assw",
        "awsſecretaccesskey=Qm8rTz4Kp2Xv9Lw1Ns7Bd3Hf6Jc0Ga5Ye+Ru/Vix pwd=",
        "mysql://root:S3cr3t-Pa55@127.0.0.1:3306/app",
        "MYSQL://ROOT:S3CR3T-PA55@DB/app and https://x.test/?PASSWORD=Hunter2Hunter2",
        "https://api.example.com/login?user=dana&PwD=Hunter2Hunter2",
        "https://example.com/?id=42&passwd=Hunter2Hunter2 and https://example.com/?uid=7&PASSWORD=Hunter2Hunter2",
        "https://example.com/?id=42&sid=9 no password parameter",
        "task-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np disk-sk-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np (sk-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np)",
        "xoxz-2847561930-7712345678901 axoxb-2847561930-7712345678901-Qw3Er5Ty7Ui9 xoxb-2847561930-7712345678901-Qw3Er5Ty7Ui9",
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9 alone, then a.eyJzdWIiOiJkYW5hIiwiZXhwIjoxOTAwMDAwMDAwfQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtbm90",
        "https://user@host https://:pw@host https://u:@host https://u:p@ https://u:p@-host postgres://app:" + "x" + ":y@db",
        "redis://default:" + "Zq9Xw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed9Cb8Az7Yx6Wv5Ut4Sr3Qp2On1Ml0Kj9Ih8Gf7Ed6Cb5Az4Yx3Wv2Ut1Sr0Qp9On8Ml7Kj6Ih5Gf4Ed3Cb2Az1Yx0Wv9Ut8Sr7Qp6On5Ml4Kj3Ih2Gf1Ed0Cb9" + "@cache.internal:6379",
        "ftp://" + "u\u00a0ser:Secr3tPass@files.example.com and ftp://anon:Secr3tPass@files.example.com",
        "@ before :// only: me@host https://example.com/a",
        "https://u:p@h https://user:longpassword1@example.com/?password=Hunter2Hunter2&pwd=Abcdef12",
        "sk-ant-api03-Xq7Lm2Nv8Kp4Rt6Ws1Yz3Bc5Dg9Fh0Jk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4 sk-proj-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np",
        "xoxb-2847561930-7712345678901-Qw3Er5Ty7Ui9Op1As https://hooks.slack.com/services/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",
        "ghp_R8kT2mQ9vX4pL7wN3sB6dH1fJ5cG0aY8eU2i github_pat_11ABCDEFG0abcdefghijKL_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ012345678",
        "only a fine-grained token: github_pat_11ABCDEFG0abcdefghijKL_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ012345678",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDm4bQ7wXhQ6kYtU1vR8nJ2sP5cZ0aF3gH9dL4eK7mB1wAAAJg2Yb9kNmG/\n-----END OPENSSH PRIVATE KEY-----",
        "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkYW5hIiwiZXhwIjoxOTAwMDAwMDAwfQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtbm90LXJlYWwtMTIzNDU2",
        "https://eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9:eyJzdWIiOiJkYW5hIiwiZXhwIjoxOTAwMDAwMDAwfQ@host.example",
        "ASIAZ7Q2M4XK9PLW3RTB:sk-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAa1@example.com",
        "the build fails because module path is missing",
        "",
        "output:\nsk-proj-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np\n",
        "\tghp_R8kT2mQ9vX4pL7wN3sB6dH1fJ5cG0aY8eU2i\r\n",
        "\"xoxb-2847561930-7712345678901-Qw3Er5Ty7Ui9Op1As\"",
        "C:\\keys\\sk-proj-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np and n\\nsk-proj-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np",
        "token:\neyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkYW5hIiwiZXhwIjoxOTAwMDAwMDAwfQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtbm90",
        "\bsk-ant-api03-Xq7Lm2Nv8Kp4Rt6Ws1Yz3Bc5Dg9Fh0Jk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4\f",
        "https://us\ter:S3cr3t-Pa55@db.example and https://user:Pa\"55word@db.example and https://user:S3cr3t-Pa55@db.example",
        "https://user\n:S3cr3t-Pa55@db.example mysql://root:S3cr3t\tPa55@db",
        "see https:/" + "/example.com/docs and \"https://example.com\" twice\n",
        "AWS_SECRET_ACCESS_KEY=\"Qm8rTz4Kp2Xv9Lw1Ns7Bd3Hf6Jc0Ga5Ye+Ru/Vix\"\n",
        "aws_secret_access_key\n= Qm8rTz4Kp2Xv9Lw1Ns7Bd3Hf6Jc0Ga5Ye+Ru/Vix",
        "https://example.com/x?a=1&\npassword=Hunter2Hunter2",
        "café https://user:S3cr3t-Pa55@db.example",
        "https://" + new string('u', 63) + "\b:S3cr3t-Pa55@db.example",
        "https://user:" + new string('p', 127) + "\\@db.example",

        // Non-ASCII text is judged on its bytes too: characters that case-fold to ASCII letters, Unicode spaces and
        // letters inside a URL's user or password, and non-ASCII beside a key's start.
        "https://x.io/?paſſword=Hunter2Hunter2 and https://x.io/?PAſſWD=Hunter2Hunter2",
        "AWS_SECRET_ACCESS_\u212AEY=Qm8rTz4Kp2Xv9Lw1Ns7Bd3Hf6Jc0Ga5Ye+Ru/Vix https://x.io",
        "İ ı https://x.io/?PASSWD=Hunter2Hunter2 日本",
        "https://üser:S3cr3t-Pa55@db.internal and mysql://root:Pässw0rd-42@db.internal",
        "https://user:S3cr3t\u2003Pa55@db.internal https://us\u00a0er:S3cr3t-Pa55@db.internal",
        "日本語sk-proj-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np ésk-ant-api03-Xq7Lm2Nv8Kp4Rt6Ws1Yz3Bc5Dg9Fh0Jk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4",
        "https://" + new string('é', 40) + ":S3cr3t-Pa55@db.internal https://user:" + new string('ü', 100) + "@db.internal",
        "→ https://example.com/docs ✓ done — see ⟨https://x.io/a?b=c⟩ 🎉",
        "ключ: xoxb-2847561930-7712345678901-Qw3Er5Ty7Ui9 и токен.eyJzdWIiOiJkYW5hIiwiZXhwIjoxOTAwMDAwMDAwfQ",
    ];

    [Theory]
    [MemberData(nameof(Adversarial))]
    public void Find_equals_running_every_detector(string text) =>
        SecretPatterns.Find(text).ShouldBe(SecretPatterns.FindAll(text));

    // The triggers are what the pre-scan looks for: every detector run with no trigger required must find nothing more
    // (the upper-case AWS_SECRET_ACCESS_KEY, which no exact trigger held, was missed that way).
    [Theory]
    [MemberData(nameof(Adversarial))]
    public void Every_secret_holds_a_trigger(string text) =>
        SecretPatterns.Find(text, SecretPatterns.Detectors.All).ShouldBe(SecretPatterns.Find(text));

    // Each detector on its own: one that finds something must be gated in (Find == FindAll alone could hide a missing
    // gate behind another detector's overlapping match).
    [Theory]
    [MemberData(nameof(Adversarial))]
    public void Every_detector_that_finds_something_is_gated_in(string text)
    {
        var gates = SecretPatterns.Gates(text);
        foreach (var detector in Enum.GetValues<SecretPatterns.Detectors>().Where(d => d is not (SecretPatterns.Detectors.None or SecretPatterns.Detectors.All)))
        {
            if (SecretPatterns.HasTrigger(text) && SecretPatterns.Find(text, detector).Count > 0)
            {
                gates.HasFlag(detector).ShouldBeTrue($"{detector} finds something in {text}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Adversarial))]
    public void A_trigger_spelled_with_escapes_is_still_seen_in_the_raw_bytes(string text)
    {
        // \u-escape every ASCII letter, digit and punctuation, and \/ every slash: the raw bytes then hold no trigger.
        var raw = new StringBuilder("\"");
        foreach (var c in text)
        {
            raw.Append(c switch
            {
                '/' => "\\/",
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ when c < (char)0x7F => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        var json = Encoding.UTF8.GetBytes(raw.Append('"').ToString());
        JsonSerializer.Deserialize<string>(json).ShouldBe(text);
        if (SecretPatterns.FindAll(text).Count > 0)
        {
            SecretPatterns.MayHoldTrigger(json).ShouldBeTrue();
        }

        var plain = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(text));
        if (SecretPatterns.FindAll(text).Count > 0)
        {
            SecretPatterns.MayHoldTrigger(plain).ShouldBeTrue();
        }
    }

    // The rule reads a value's decoded text into a pooled buffer and makes a string only when a detector's literal is
    // in it: as plain JSON, with .NET's default escaping and with every character escaped, the same secrets come out.
    [Theory]
    [MemberData(nameof(Adversarial))]
    public void Finding_in_a_json_value_equals_finding_in_its_text(string text)
    {
        var everyCharacterEscaped = JsonEscaping.EveryCharacter(text);
        foreach (var json in new[] { JsonSerializer.Serialize(text, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), JsonSerializer.Serialize(text), everyCharacterEscaped, JsonEscaping.AsJsonStringify(text), JsonEscaping.AsJsonStringify(text).Replace("/", "\\/", StringComparison.Ordinal) })
        {
            using var doc = JsonDocument.Parse(json);
            var expected = SecretPatterns.Find(text);
            var found = SecretPatterns.Find(doc.RootElement, out var decoded);
            found.ShouldBe(expected, json);
            if (found.Count > 0)
            {
                decoded.ShouldBe(text);
            }
        }
    }

    // A value is judged on its bytes before it is decoded: with escapes (newlines, tabs, quotes, backslashes) beside
    // keys and inside URLs, in every encoding, the element must give what the decoded text gives. Seeded: the same
    // strings every run.
    [Fact]
    public void Finding_in_a_json_value_equals_finding_in_its_text_for_random_mixes_of_keys_urls_and_escapes()
    {
        string[] pieces =
        [
            "sk-proj-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np", "ghp_R8kT2mQ9vX4pL7wN3sB6dH1fJ5cG0aY8eU2i", "AKIAZ7Q2M4XK9PLW3RTB",
            "xoxb-2847561930-7712345678901-Qw3Er5Ty7Ui9", "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", ".", "eyJzdWIiOiJkYW5hIiwiZXhwIjoxOTAwMDAwMDAwfQ",
            "c2lnbmF0dXJlLWJ5dGVzLWhlcmUtbm90", "https://", "user", ":", "S3cr3t-Pa55", "@", "db.example", "?password=", "Hunter2Hunter2",
            "AWS_SECRET_ACCESS_KEY=", "Qm8rTz4Kp2Xv9Lw1Ns7Bd3Hf6Jc0Ga5Ye+Ru/Vix", "\n", "\t", "\"", "\\", "/", " ", "x", "é",
            "ſ", "ı", "\u212A", "\u2003", "日本", "pwd=", "ecret",
        ];
        var random = new Random(20261202);
        for (var i = 0; i < 1500; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 10)).Select(_ => pieces[random.Next(pieces.Length)]));
            foreach (var json in new[] { JsonSerializer.Serialize(text), JsonEscaping.AsJsonStringify(text), JsonSerializer.Serialize(text, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) })
            {
                using var doc = JsonDocument.Parse(json);
                SecretPatterns.Find(doc.RootElement, out _).ShouldBe(SecretPatterns.FindAll(text), json);
            }
        }
    }

    // A value is judged on its bytes: the triggers found there are the characters' (seeded random texts from secrets,
    // URLs, near misses and escapes as written). ASCII gives the same gates; non-ASCII may open more (a Unicode space
    // stops a URL's user or password only once decoded), never fewer.
    [Fact]
    public void Gates_searched_on_bytes_equal_gates_searched_on_characters()
    {
        string[] pieces =
        [
            "sk-proj-Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz0Bc1Df3Gh5Jk7Lm9Np", "ghp_R8kT2mQ9vX4pL7wN3sB6dH1fJ5cG0aY8eU2i", "AKIAZ7Q2M4XK9PLW3RTB", "ASIA",
            "xoxb-2847561930-7712345678901-Qw3Er5Ty7Ui9", "eyJhbGciOiJIUzI1NiJ9", ".eyJzdWIiOiIxIn0", "https://", "mysql://root:S3cr3t-Pa55@db/app",
            "?password=Hunter2Hunter2", "&pwd=", "assw", "SECRET", "ecret_access_key", "secretAccessKey", "hooks.slack.com", "PRIVATE KEY",
            "github_pat_", "task-", "\\n", "\\t", "\\\"", " ", "x", "git", "hoo", ":", "@", "u",
        ];
        string[] nonAscii = ["é", "→", "日本", "🎉", "\u00a0", "\u2003", "ü", "—", "à", "Å"];
        var random = new Random(20261204);
        for (var i = 0; i < 6000; i++)
        {
            var ascii = i % 2 == 0;
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => ascii || random.Next(4) > 0 ? pieces[random.Next(pieces.Length)] : nonAscii[random.Next(nonAscii.Length)]));
            var bytes = Encoding.UTF8.GetBytes(text);
            var onBytes = SecretPatterns.Gates(Encoding.Latin1.GetString(bytes), rawEscapes: true, utf8Bytes: bytes);
            var onCharacters = SecretPatterns.Gates(text, rawEscapes: true);
            if (ascii)
            {
                onBytes.ShouldBe(onCharacters, text);
            }
            else
            {
                (onBytes & onCharacters).ShouldBe(onCharacters, text);
            }
        }
    }

    // The case-insensitive gates (a secret key's "ecret", a URL's password parameter) are judged on a value's bytes, where
    // a non-ASCII character matches no ASCII letter: that holds because the ordinal case-insensitive search folds none
    // into one. Every cased character in place of each letter of those literals gives the same gates on bytes.
    [Fact]
    public void No_cased_character_opens_a_case_insensitive_gate_on_characters_that_stays_shut_on_bytes()
    {
        string[] literals = ["aws_secret_access_key=Qm8rTz4Kp2Xv9Lw1Ns7Bd3Hf6Jc0Ga5Ye+Ru/Vix sk-", "https://h.io/?password=Hunter2", "https://h.io/?passwd=Hunter2", "https://h.io/?pwd=Hunter2"];
        var tried = 0;
        for (var c = (char)0x80; c < char.MaxValue; c++)
        {
            if (char.IsSurrogate(c) || (char.ToUpperInvariant(c) == c && char.ToLowerInvariant(c) == c))
            {
                continue;
            }

            foreach (var literal in literals)
            {
                for (var k = 0; k < literal.Length; k++)
                {
                    if (!char.IsAsciiLetter(literal[k]))
                    {
                        continue;
                    }

                    var text = literal[..k] + c + literal[(k + 1)..];
                    var bytes = Encoding.UTF8.GetBytes(text);
                    var onCharacters = SecretPatterns.Gates(text, rawEscapes: true);
                    (SecretPatterns.Gates(Encoding.Latin1.GetString(bytes), rawEscapes: true, utf8Bytes: bytes) & onCharacters).ShouldBe(onCharacters, text);
                    tried++;
                }
            }
        }

        tried.ShouldBeGreaterThan(100_000);
    }

    // A document's string may hold bytes that are not UTF-8 (the parser does not check a string without escapes): such a
    // value is decoded, each bad byte a U+FFFD, as before its bytes were judged, so a user of two bad bytes is two
    // characters, not none.
    [Fact]
    public void A_value_with_invalid_utf8_is_judged_on_its_decoded_text()
    {
        var json = "{\"a\":\"https://"u8.ToArray().Concat(new byte[] { 0x80, 0x80 }).Concat(":S3cr3t-Pa55@db.internal\"}"u8.ToArray()).ToArray();
        using var doc = JsonDocument.Parse(json);
        var found = SecretPatterns.Find(doc.RootElement.GetProperty("a"), out var text);
        found.Select(m => m.Family).ShouldBe(["password in URL"]);
        text.ShouldBe("https://\uFFFD\uFFFD:S3cr3t-Pa55@db.internal");
    }

    // A user or password of non-ASCII characters counts its characters, not its bytes: 64 characters of two or three
    // bytes each still open the gate, and 65 do not.
    [Theory]
    [InlineData("é", 64, true)]
    [InlineData("日", 64, true)]
    [InlineData("日", 65, false)]
    [InlineData("🎉", 32, true)]
    [InlineData("🎉", 33, false)]
    public void A_non_ascii_user_counts_characters_on_bytes(string character, int count, bool open)
    {
        var text = "https://" + string.Concat(Enumerable.Repeat(character, count)) + ":S3cr3t-Pa55@db.internal";
        var bytes = Encoding.UTF8.GetBytes(text);
        var gates = SecretPatterns.Gates(Encoding.Latin1.GetString(bytes), rawEscapes: true, utf8Bytes: bytes);
        gates.HasFlag(SecretPatterns.Detectors.UrlUserInfoPassword).ShouldBe(open);
        SecretPatterns.Gates(text).HasFlag(SecretPatterns.Detectors.UrlUserInfoPassword).ShouldBe(open);
    }

    [Theory]
    [InlineData("{\"a\":\"the build fails\",\"b\":\"\\u001b[31merror\\u001b[0m caf\\u00e9 日本\"}", false)]
    [InlineData("{\"a\":\"\\u0041KIA\"}", true)]
    [InlineData("{\"a\":\"https:\\/\\/x\"}", true)]
    [InlineData("{\"a\":\"https:/\\/x\"}", true)]
    [InlineData("{\"a\":\"a\\/b \\\"q\\\" \\\\ c\\td\"}", false)]
    [InlineData("{\"a\":\"x\",\"sk-\":1}", true)]
    public void The_raw_pre_scan_passes_over_only_what_cannot_hold_a_trigger(string json, bool may) =>
        SecretPatterns.MayHoldTrigger(Encoding.UTF8.GetBytes(json)).ShouldBe(may);

    // Two triggers are searched for by a part of them whose first bytes are rare ("ub_pat_", "slack.com"; see
    // SecretPatterns.RawNeedles): the position found must lie inside the trigger, in the value that holds it, and the
    // words that used to pass the search's first test ("github.com", "hooks") still hold no trigger.
    [Theory]
    [InlineData("github_pat_", 4)]
    [InlineData("hooks.slack.com", 6)]
    public void A_trigger_searched_by_a_part_is_found_inside_its_value(string trigger, int partAt)
    {
        var json = Encoding.UTF8.GetBytes("{\"a\":\"see github.com and hooks\",\"b\":\"x " + trigger + "y\"}");
        var positions = new List<int>();
        SecretPatterns.TriggerPositions(json, 0, positions);
        var start = json.AsSpan().IndexOf(Encoding.UTF8.GetBytes(trigger));
        positions.ShouldBe([start + partAt]);
        SecretPatterns.MayHoldTrigger(Encoding.UTF8.GetBytes("{\"a\":\"see github.com and hooks\"}")).ShouldBeFalse();
    }

    // The search runs over blocks of 16 or 32 bytes and pads the last one: a trigger across a block boundary or at the
    // very end of a line is seen.
    [Fact]
    public void A_trigger_across_a_block_boundary_or_at_the_line_s_end_is_seen()
    {
        for (var at = 0; at <= 100; at++)
        {
            var json = "{\"a\":\"" + new string('x', at) + "hooks.slack.com" + new string('y', at % 7) + "\"}";
            SecretPatterns.MayHoldTrigger(Encoding.UTF8.GetBytes(json)).ShouldBeTrue($"trigger at {at}");
            var escaped = "{\"a\":\"" + new string('x', at) + "\\u0041KIA" + new string('y', at % 5) + "\"}";
            SecretPatterns.MayHoldTrigger(Encoding.UTF8.GetBytes(escaped)).ShouldBeTrue($"escape at {at}");
            SecretPatterns.MayHoldTrigger(Encoding.UTF8.GetBytes(new string('x', at) + "sk-")).ShouldBeTrue($"at the end after {at}");
        }
    }

    // TL5001 walks only the values a trigger starts in, from one search of the line: that search must find every
    // place a needle starts (what a search of each value on its own finds), each once, in order.
    [Fact]
    public void Trigger_positions_are_every_place_a_needle_starts()
    {
        var lines = ParsedFixtureLines.All().Select(l => Encoding.UTF8.GetBytes(l.Line)).ToList();
        for (var at = 0; at <= 70; at++)
        {
            lines.Add(Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', at) + "hooks.slack.com sk-1 \\u0041KIA \\u001b" + new string('y', 100) + "\"}"));
        }

        var withTriggers = 0;
        foreach (var bytes in lines)
        {
            var positions = new List<int>();
            SecretPatterns.TriggerPositions(bytes, 0, positions);
            var needles = Needles(bytes);
            positions.ShouldBe(needles, "every needle, each once, in order, and nothing else");
            (positions.Count > 0 ? positions[0] : -1).ShouldBe(SecretPatterns.FirstTrigger(bytes));
            withTriggers += positions.Count > 0 ? 1 : 0;
        }

        withTriggers.ShouldBeGreaterThan(40);
    }

    // Where each needle starts, each needle searched on its own; a \u00 escape counts when it may spell a trigger character.
    private static List<int> Needles(byte[] bytes)
    {
        var found = new SortedSet<int>();
        foreach (var needle in SecretPatterns.RawNeedles.Select(n => Encoding.Latin1.GetBytes(n)))
        {
            for (int from = 0, i; (i = bytes.AsSpan(from).IndexOf(needle)) >= 0; from += i + 1)
            {
                var at = from + i;
                if (needle is not [(byte)'\\', (byte)'u', (byte)'0', (byte)'0'] || at + 4 >= bytes.Length || bytes[at + 4] is >= (byte)'2' and <= (byte)'7')
                {
                    found.Add(at);
                }
            }
        }

        foreach (var needle in SecretPatterns.IgnoreCaseTriggers.Select(n => Encoding.Latin1.GetBytes(n)))
        {
            for (var at = 0; at + needle.Length <= bytes.Length; at++)
            {
                if (Ascii.EqualsIgnoreCase(bytes.AsSpan(at, needle.Length), needle))
                {
                    found.Add(at);
                }
            }
        }

        return [.. found];
    }

    [Fact]
    public void Secrets_behind_json_escapes_are_reported_like_plain_ones()
    {
        var plain = Line("\"token ghp_R8kT2mQ9vX4pL7wN3sB6dH1fJ5cG0aY8eU2i and mysql://root:S3cr3t-Pa55@127.0.0.1/app\"");
        var escaped = Line("\"token \\u0067hp_R8kT2mQ9vX4pL7wN3sB6dH1fJ5cG0aY8eU2i and mysql:\\/\\/root:S3cr3t-Pa55@127.0.0.1\\/app\"");
        var a = RuleHarness.LintText(plain).Diagnostics.Where(d => d.Id == Id).ShouldHaveSingleItem();
        var b = RuleHarness.LintText(escaped).Diagnostics.Where(d => d.Id == Id).ShouldHaveSingleItem();
        b.Message.ShouldBe(a.Message);
    }

    // TL5001 skips every value that ends before the line's first trigger: a secret later in the line, after values
    // without one and after a trigger in a key, is still found; one in an earlier value is found by its own trigger.
    [Fact]
    public void Values_before_the_first_trigger_are_skipped_and_nothing_after_it_is()
    {
        var later = Line("\"plain text first\",\"note\":{\"deep\":[\"still plain\"]},\"password_hint\":\"none\",\"cmd\":\"mysql://root:S3cr3t-Pa55@127.0.0.1/app\"");
        RuleHarness.LintText(later).Diagnostics.Where(d => d.Id == Id).ShouldHaveSingleItem().Message.ShouldContain("password in URL");
        var both = Line("\"ghp_R8kT2mQ9vX4pL7wN3sB6dH1fJ5cG0aY8eU2i\",\"after\":\"https://ledgerline.io/?id=1&pwd=Hunter2Hunter2\"");
        RuleHarness.LintText(both).Diagnostics.Where(d => d.Id == Id).ShouldHaveSingleItem().Message.ShouldContain("(GitHub token, password in URL)");
    }

    // Every string of every fixture line: the detectors agree, and a line whose strings hold a secret passes the pre-scan.
    [Fact]
    public void On_every_fixture_the_fast_path_finds_what_every_detector_finds()
    {
        var strings = 0;
        var secrets = 0;
        foreach (var (file, line, doc) in ParsedFixtureLines.All())
        {
            var lineHasSecret = false;
            foreach (var text in Strings(doc.RootElement))
            {
                strings++;
                if (!SecretPatterns.HasTrigger(text))
                {
                    // No trigger, nothing any detector finds: the pre-scan may skip it.
                    SecretPatterns.Find(text, SecretPatterns.Detectors.All).ShouldBeEmpty($"{Path.GetFileName(file)}: {text[..Math.Min(80, text.Length)]}");
                    continue;
                }

                var all = SecretPatterns.FindAll(text);
                SecretPatterns.Find(text).ShouldBe(all, $"{Path.GetFileName(file)}: {text[..Math.Min(80, text.Length)]}");
                lineHasSecret |= all.Count > 0;
            }

            if (lineHasSecret)
            {
                secrets++;
                var bytes = Encoding.UTF8.GetBytes(line);
                SecretPatterns.MayHoldTrigger(bytes).ShouldBeTrue(Path.GetFileName(file));
                var first = SecretPatterns.FirstTrigger(bytes);
                using var fromBytes = JsonDocument.Parse(bytes.AsMemory());
                foreach (var value in StringValues(fromBytes.RootElement).Where(v => SecretPatterns.FindAll(v.GetString()!).Count > 0))
                {
                    // The value TL5001 would skip ends at or before the first trigger; one holding a secret never does.
                    var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
                    var offset = (long)System.Runtime.CompilerServices.Unsafe.ByteOffset(ref bytes[0], ref System.Runtime.InteropServices.MemoryMarshal.GetReference(raw));
                    (offset + raw.Length).ShouldBeGreaterThan(first, Path.GetFileName(file));

                    // And TL5001 walks into it: a trigger is left in it once those no pattern can start at are dropped.
                    var end = offset + raw.Length;
                    KeptTriggers(bytes).ShouldContain(p => p >= offset && p < end, Path.GetFileName(file));
                }
            }
        }

        strings.ShouldBeGreaterThan(10_000);
        secrets.ShouldBeGreaterThanOrEqualTo(3); // the TL5001 fixtures
    }

    // The trigger positions TL5001 walks by: every one, less those no pattern can start at.
    private static List<int> KeptTriggers(byte[] line)
    {
        var positions = new List<int>();
        SecretPatterns.TriggerPositions(line, 0, positions);
        SecretPatterns.DropInertTriggers(line, positions);
        return positions;
    }

    // A trigger is dropped only when no pattern can start at it (a URL without a password, task-): in every text some
    // detector finds a secret in, a trigger is kept, however the text is written in JSON (as harnesses write it: only quotes, backslashes and
    // control characters escaped; with .NET's default escaping; with every character escaped) and with URLs that hold
    // no password before and after it (a dropped run must not hide the next one).
    [Theory]
    [MemberData(nameof(Adversarial))]
    public void Dropping_inert_triggers_keeps_every_secret(string text)
    {
        foreach (var variant in new[] { text, "see https://docs.ledgerline.io/a?b=c task-" + text + " then https://ledgerline.io/x" })
        {
            if (SecretPatterns.FindAll(variant).Count == 0)
            {
                continue;
            }

            var everyCharacter = string.Concat(variant.Select(c => c < 0x7F ? $"\\u{(int)c:x4}" : c.ToString()));
            foreach (var json in new[] { JsonSerializer.Serialize(variant, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), JsonSerializer.Serialize(variant), "\"" + everyCharacter + "\"" })
            {
                var line = Encoding.UTF8.GetBytes("{\"a\":" + json + "}");
                JsonDocument.Parse(line).RootElement.GetProperty("a").GetString().ShouldBe(variant);
                KeptTriggers(line).ShouldContain(p => p >= 5 && p < line.Length - 1, json);
            }
        }
    }

    [Theory]
    [InlineData("see https://example.com/docs and more", 0)]
    [InlineData("mysql://root:pw@db", 1)]
    [InlineData("https://x.io/?id=1&PWD=abc", 1)]
    [InlineData("https://x.io/?Passwd=abc", 1)]
    [InlineData("https://x.io/?pa\u017F\u017Fword=abc", 1)] // non-ASCII where a letter stands: the pattern may fold it (long s)
    [InlineData("https://x.io/?pa\\u017F\\u017Fword=abc", 1)] // a \u escape may be anything
    [InlineData("https://x.io/a\\nb@c and https://x.io/d", 0)] // \n ends the run before the @
    [InlineData("https://x.io/a\\\"b@c", 0)] // so does \"
    [InlineData("https://x.io/a'b@c https://x.io/a<b@c https://x.io/a>b@c", 0)]
    [InlineData("https://x.io/p\\/q@h", 1)] // \/ is a slash: the run goes on
    [InlineData("https://x.io/a\\\\b@h", 1)] // \\ is a backslash
    [InlineData("https://us\\u0065r:pw@h", 1)]
    [InlineData("https://a.io/x https://u:p@b.io", 1)]
    [InlineData("https://a.io/?next=https://b.io/x", 0)]
    [InlineData("https://a.io/?next=https://u:p@b.io", 2)]
    [InlineData("https://a.io/x?q=1&pwd", 0)] // no '=': not the parameter
    public void Drops_the_urls_that_cannot_hold_a_password(string content, int kept)
    {
        var line = Encoding.UTF8.GetBytes("{\"a\":\"" + content + "\"}");
        using var _ = JsonDocument.Parse(line); // a valid line
        var urls = KeptTriggers(line).Count(p => line.AsSpan(p).StartsWith("://"u8));
        urls.ShouldBe(kept);
    }

    [Theory]
    [InlineData("run task-list and disk-usage", "sk-", 0)]
    [InlineData("key: sk-proj-abc", "sk-", 1)]
    [InlineData("(sk-abc) _sk-abc 9sk-abc", "sk-", 1)] // '_' and digits are inside the word too
    [InlineData("line\\nsk-abc", "sk-", 1)] // the n of \n stands for a line break
    [InlineData("\\u0020sk-abc", "sk-", 1)] // a \u escape's digit may stand for a space
    [InlineData("boxox xoxo axoxb-1 xoxb-1 _xoxb-1", "xox", 2)] // a Slack token's prefix may follow '_'
    [InlineData("xox\\u0062-1", "xox", 1)] // an escape after it may spell the type letter
    public void Drops_key_prefixes_inside_words(string content, string prefix, int kept)
    {
        var line = Encoding.UTF8.GetBytes("{\"a\":\"" + content + "\"}");
        using var _ = JsonDocument.Parse(line); // a valid line
        KeptTriggers(line).Count(p => line.AsSpan(p).StartsWith(Encoding.ASCII.GetBytes(prefix))).ShouldBe(kept);
    }

    [Fact]
    public void A_url_longer_than_the_limit_is_kept()
    {
        var line = Encoding.UTF8.GetBytes("{\"a\":\"https://x.io/" + new string('a', SecretPatterns.UrlRunLimit) + " https://y.io/" + new string('b', 100) + "\"}");
        KeptTriggers(line).Count.ShouldBe(1, "the first is cut by the limit and kept; the second ends at the quote");
    }

    private static IEnumerable<JsonElement> StringValues(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => StringValues(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(StringValues),
        _ => [],
    };

    private static IEnumerable<string> Strings(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                yield return e.GetString()!;
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    yield return p.Name;
                    foreach (var s in Strings(p.Value))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    foreach (var s in Strings(item))
                    {
                        yield return s;
                    }
                }

                break;
        }
    }

    private static string Line(string content) =>
        "{\"parentUuid\":null,\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/dana\",\"sessionId\":\"5a898d6a-a0f4-4e29-8865-e01ca3b1129a\",\"version\":\"2.1.39\",\"gitBranch\":\"main\",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":"
        + content + "},\"uuid\":\"76571563-5f7b-4aa1-82ac-591575909bd9\",\"timestamp\":\"2026-02-12T09:14:05.786Z\"}\n";

    // UrlUserInfoPassword is searched only around each "://" with a user, a password and a host after it: the matches
    // must be the ones the regex finds over the whole text, the same spans and groups in the same order. Texts packed
    // with URLs whose schemes start after a letter, a digit, an underscore, a non-ASCII letter or a joiner, schemes too
    // long, hosts running on, users and passwords at their limits, "://" inside a password, and matches ending right
    // where the next scheme starts.
    [Theory]
    [MemberData(nameof(Adversarial))]
    public void Url_user_info_matches_around_each_scheme_are_the_regex_s(string text) => UrlUserInfoMatchesAreTheRegexs(text);

    [Fact]
    public void Url_user_info_matches_around_each_scheme_are_the_regex_s_in_random_texts()
    {
        string[] pieces =
        [
            "https", "h", "x1+a.b-c", "ABCDEFGHIJKLMNOPQRSTU", "ABCDEFGHIJKLMNOPQRSTUV", "://", "://", "://", ":", ":", "@", "@", "/",
            "user", "u", "pa55", "S3cr3t-Pa55", "é", "日本", "_", "9", " ", "\t", "\n", "\u200d", "\u00a0", "-", ".", "db.example", "host-1",
            "\"", "'", "<", ">", "mysql://root:pw@db", "a@b", new string('u', 64), new string('u', 65), new string('p', 128), new string('p', 129),
        ];
        var random = new Random(20261205);
        var matched = 0;
        for (var n = 0; n < 4_000; n++)
        {
            var builder = new StringBuilder();
            var count = random.Next(1, 40);
            for (var k = 0; k < count; k++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            var text = builder.ToString();
            matched += SecretPatterns.UrlUserInfoPassword().Matches(text).Count;
            UrlUserInfoMatchesAreTheRegexs(text);
        }

        matched.ShouldBeGreaterThan(500); // the texts held many matches, not only misses
    }

    private static void UrlUserInfoMatchesAreTheRegexs(string text)
    {
        static string Describe(int offset, System.Text.RegularExpressions.Match m) =>
            $"{offset + m.Index}+{m.Length} user {offset + m.Groups["user"].Index}+{m.Groups["user"].Length} password {offset + m.Groups["password"].Index}+{m.Groups["password"].Length} {m.Value}";

        var expected = SecretPatterns.UrlUserInfoPassword().Matches(text).Select(m => Describe(0, m)).ToList();
        var actual = SecretPatterns.UrlUserInfoMatches(text).Select(x => Describe(x.Offset, x.Match)).ToList();
        actual.ShouldBe(expected, text);
    }
}
