using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace TranscriptLint.Rules.Core.Security;

/// <summary>
/// Credential detectors for TL5001: each key family has a tight pattern plus a plausibility check (mixed
/// character classes, a decodable JWT header, no placeholder), so prose, code and documentation examples that
/// merely look like keys are not reported.
/// </summary>
internal static partial class SecretPatterns
{
    /// <summary>One secret inside a string: where it is and its family.</summary>
    internal readonly record struct SecretMatch(int Start, int Length, string Family);

    // Cheap substrings at least one of which every pattern needs; most strings skip the regexes entirely. Only what a
    // pattern needs: "assw" and "pwd=" were here too, but both password patterns are URLs ("://"), and a string with
    // "password" in it and no other trigger (11 % of the lines with a trigger in the benchmark's corpus) cost a walk of
    // its values for no detector.
    private static readonly string[] Triggers =
        ["AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "sk-", "xox", "hooks.slack.com", "PRIVATE KEY", "eyJ", "://"];

    /// <summary>
    /// Triggers whose ASCII letters match in either case: AwsSecretKey's name is case-insensitive
    /// (<c>(?i:aws_?secret_?access_?key|secretAccessKey)</c>), and its usual spelling is the upper-case variable
    /// <c>AWS_SECRET_ACCESS_KEY</c>, which no exact trigger holds. Every spelling of the name holds one of these.
    /// </summary>
    internal static readonly string[] IgnoreCaseTriggers = ["ecret_access", "ecretaccess"];

    private static readonly SearchValues<string> TriggerSearch = SearchValues.Create(Triggers, StringComparison.Ordinal);

    // A prefilter for IgnoreCaseTriggers in text: it also folds non-ASCII characters (\u017F to S), which the byte search
    // does not, so each hit is checked again with ASCII folding only.
    private static readonly SearchValues<string> IgnoreCaseTriggerSearch = SearchValues.Create(IgnoreCaseTriggers, StringComparison.OrdinalIgnoreCase);

    // The same search over a value's bytes as written, when they are its characters (ASCII, no escape that spells one).
    private static readonly AsciiNeedleSearch TriggerByteSearch = new(Triggers, ignoreCase: IgnoreCaseTriggers);

    /// <summary>What the raw pre-scan searches for exactly (see <see cref="RawTriggerSearch"/>), beside <see cref="IgnoreCaseTriggers"/>.</summary>
    internal static readonly string[] RawNeedles = [.. RawParts(Triggers), ":\\/", ":/\\", "\\u00"];

    // The raw pre-scan looks for two triggers by a part of them: the search's tables see a needle's first three bytes
    // only, and "git" (every github.com URL) and "hoo" (Claude Code's hooks) let 9 % of a real session's 64-byte blocks
    // through to the byte-by-byte check; with "ub_pat_" and "slack.com" 1 % pass. Every trigger still holds its needle,
    // and a position found a few bytes into a trigger is in the same string value, which is all the positions are for
    // (TL5001's walk skips a value no position falls in); the gates still search the values for the triggers themselves.
    private static string[] RawParts(string[] triggers)
    {
        var parts = new string[triggers.Length];
        for (var k = 0; k < triggers.Length; k++)
        {
            parts[k] = triggers[k] switch
            {
                "github_pat_" => "ub_pat_",
                "hooks.slack.com" => "slack.com",
                var trigger => trigger,
            };
        }

        return parts;
    }

    // The raw (still escaped) JSON pre-scan: the triggers, plus the escapes that can spell a trigger's character
    // without writing it: \u0020-\u007F, and \/ (only "://" has a slash: ":\/" and ":/\" cover its escaped forms);
    // every other escape decodes to a quote, a backslash or a control character, none of which is in a trigger, so a
    // trigger in the decoded text is also in the raw bytes. Every needle has three characters or more, as the search needs.
    private static readonly AsciiNeedleSearch RawTriggerSearch = new(RawNeedles, ignoreCase: IgnoreCaseTriggers);

    // Case-insensitive gates as vectorised searches (string.Contains with OrdinalIgnoreCase compares one character at a
    // time under invariant globalization).
    private static readonly SearchValues<string> SecretWord = SearchValues.Create(["ecret"], StringComparison.OrdinalIgnoreCase);

    // UrlQueryPassword's own literal, (?i:password|passwd|pwd)=: most URLs carry some "…d=" parameter, few a password.
    private static readonly string[] PasswordParameterNames = ["password=", "passwd=", "pwd="];

    private static readonly SearchValues<string> PasswordParameter = SearchValues.Create(PasswordParameterNames, StringComparison.OrdinalIgnoreCase);

    // Published documentation examples, not credentials.
    private static readonly string[] KnownExamples =
    [
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", // the jwt.io sample token's signature
    ];

    private static readonly string[] Placeholders = ["password", "passwd", "pass", "pwd", "secret", "changeme", "example", "redacted", "user", "username", "xxx", "***", "..."];

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"(?i:aws_?secret_?access_?key|secretAccessKey)[""'\s]*[:=][""'\s]*(?<key>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])", RegexOptions.CultureInvariant)]
    private static partial Regex AwsSecretKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])sk-ant-[a-z]{3,8}\d{0,3}-[A-Za-z0-9_-]{40,}", RegexOptions.CultureInvariant)]
    private static partial Regex AnthropicKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-)?(?<body>[A-Za-z0-9_-]{32,})", RegexOptions.CultureInvariant)]
    private static partial Regex OpenAIKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9-])xox[abposr]-(?<body>[A-Za-z0-9-]{20,})", RegexOptions.CultureInvariant)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"https://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}", RegexOptions.CultureInvariant)]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?<body>(?:[A-Za-z0-9+/=\s]|\\[nr]|(?:Proc-Type|DEK-Info|Comment): [^\n]*\n)*)(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)?", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])(?<header>eyJ[A-Za-z0-9_-]{10,})\.(?<payload>eyJ[A-Za-z0-9_-]{10,})\.(?<signature>[A-Za-z0-9_-]{16,})", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://(?<user>[^\s:/@""'<>]{1,64}):(?<password>[^\s@/""'<>]{1,128})@[A-Za-z0-9.-]+", RegexOptions.CultureInvariant)]
    internal static partial Regex UrlUserInfoPassword();

    [GeneratedRegex(@"://[^\s""'<>]*[?&](?i:password|passwd|pwd)=(?<password>[^&\s""'#<>]+)", RegexOptions.CultureInvariant)]
    private static partial Regex UrlQueryPassword();

    // Strings longer than this are pre-scanned in windows of this many characters before being read whole.
    private const int Window = 1024 * 1024;

    // Consecutive windows overlap by this much, so a secret up to this long is always whole in one window.
    private const int Overlap = 64 * 1024;

    /// <summary>
    /// Whether a string value may hold a secret. A short one is simply scanned whole afterwards (true); a long one
    /// (a 200 MB base64 payload or log) is decoded window by window and each window scanned, so a string with no
    /// secret is never materialised. Only a long string that holds one is read whole, to redact it.
    /// </summary>
    /// <param name="value">A string value.</param>
    /// <returns>False when it certainly holds none.</returns>
    public static bool MayHoldSecret(System.Text.Json.JsonElement value)
    {
        var reader = new TranscriptLint.Model.JsonStringReader(value);
        if (reader.RawLength <= Window)
        {
            return true;
        }

        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(Window + Overlap);
        try
        {
            var have = 0;
            while (true)
            {
                var before = have;
                int n;
                while (buffer.Length - have >= 2 && (n = reader.Read(buffer.AsSpan(have))) > 0)
                {
                    have += n;
                }

                var window = buffer.AsSpan(0, have);
                if (Gates(window) is var gates and not Detectors.None && Find(new string(window), gates).Count > 0)
                {
                    return true;
                }

                if (have == before || buffer.Length - have >= 2)
                {
                    return false; // the whole string was read
                }

                // Keep the tail so a secret across the boundary is whole in the next window.
                buffer.AsSpan(have - Overlap, Overlap).CopyTo(buffer);
                have = Overlap;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Whether raw JSON bytes (a line, or one value as written, escapes and all) may hold a secret once decoded: false
    /// when no trigger substring can be in any of its strings, so the caller need not decode a single one. Exact in
    /// that direction (every string <see cref="Find(string)"/> reports something in has a trigger, which this sees); it may say
    /// true for bytes with no secret (a trigger in a property name, or a JSON escape that could spell one).
    /// </summary>
    /// <param name="json">UTF-8 JSON text as written.</param>
    /// <returns>False when no string in it can hold a secret.</returns>
    public static bool MayHoldTrigger(ReadOnlySpan<byte> json) => FirstTrigger(json) >= 0;

    /// <summary>
    /// Where the first trigger (or escape that may spell one) starts in raw JSON bytes, or -1 when there is none: no
    /// string that ends before it can hold a secret (see <see cref="MayHoldTrigger"/>).
    /// </summary>
    /// <param name="json">UTF-8 JSON text as written.</param>
    /// <returns>A byte index, or -1.</returns>
    public static int FirstTrigger(ReadOnlySpan<byte> json) => FindTriggers(json, 0, null);

    /// <summary>
    /// Every place a trigger (or an escape that may spell one) starts in raw JSON bytes at or after
    /// <paramref name="from"/>, in order: a value whose bytes hold none of them holds no secret (see
    /// <see cref="MayHoldTrigger"/>), so a walk of the line's values need not look into it.
    /// </summary>
    /// <param name="json">UTF-8 JSON text as written.</param>
    /// <param name="from">Where to start (e.g. <see cref="FirstTrigger"/>).</param>
    /// <param name="positions">Receives the byte indexes, ascending and distinct.</param>
    public static void TriggerPositions(ReadOnlySpan<byte> json, int from, List<int> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        FindTriggers(json, from, positions);
    }

    /// <summary>
    /// Removes from <paramref name="positions"/> (from <see cref="TriggerPositions"/>) the triggers no pattern can start
    /// at, judged on the bytes around them, so that a line whose triggers are all such needs no walk:
    /// <list type="bullet">
    /// <item>a <c>://</c> with no <c>@</c> and no password parameter (<c>?password=</c>, <c>&amp;pwd=</c>) in the run of
    /// characters after it, which a space, a quote, <c>&lt;</c> or <c>&gt;</c> ends: both URL patterns need one (most
    /// URLs in a transcript hold neither);</item>
    /// <item>an <c>sk-</c> or <c>xox</c> inside a word (<c>task-</c>, <c>disk-</c>): the key patterns need a character
    /// outside the word before it, and <c>xox</c> a type letter and a dash after it.</item>
    /// </list>
    /// On the safe side: a <c>\u</c> escape, or a byte that may belong to an escape, a non-ASCII byte where a
    /// parameter's letter stands, or a run longer than <see cref="UrlRunLimit"/> keeps the trigger.
    /// </summary>
    /// <param name="json">UTF-8 JSON text as written.</param>
    /// <param name="positions">Trigger positions in it, ascending; changed in place.</param>
    public static void DropInertTriggers(ReadOnlySpan<byte> json, List<int> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);

        // The run after a "://" that was judged, and how: a later "://" inside it (a URL in a URL's query) has the
        // rest of the same run, so each byte is read about once.
        int inertUntil = -1, liveUntil = -1, kept = 0;
        for (var k = 0; k < positions.Count; k++)
        {
            var at = positions[k];
            var rest = json[at..];
            bool keep;
            if (rest.StartsWith("sk-"u8))
            {
                keep = !InsideWord(json, at, underscore: true); // (?<![A-Za-z0-9_-])sk-
            }
            else if (rest.StartsWith("xox"u8))
            {
                // (?<![A-Za-z0-9-])xox[abposr]-; an escape after it may spell either.
                keep = !InsideWord(json, at, underscore: false)
                    && (rest.Length < 5 || rest[3] == '\\' || rest[4] == '\\' || (rest[3] is (byte)'a' or (byte)'b' or (byte)'p' or (byte)'o' or (byte)'s' or (byte)'r' && rest[4] == '-'));
            }
            else if (!rest.StartsWith("://"u8) || at < liveUntil)
            {
                keep = true;
            }
            else if (at < inertUntil)
            {
                keep = false;
            }
            else
            {
                (keep, var end) = UrlRun(json, at + 3);
                (liveUntil, inertUntil) = keep ? (end, inertUntil) : (liveUntil, end);
            }

            if (keep)
            {
                positions[kept++] = at;
            }
        }

        positions.RemoveRange(kept, positions.Count - kept);
    }

    // Whether the byte before `at` is a letter, a digit, '-' (or '_') written as itself. One that may be part of an
    // escape (the n of \n, a digit of \u0020) is not judged: the character it stands for may be a space.
    private static bool InsideWord(ReadOnlySpan<byte> json, int at, bool underscore)
    {
        if (at == 0 || !(char.IsAsciiLetterOrDigit((char)json[at - 1]) || json[at - 1] == '-' || (underscore && json[at - 1] == '_')))
        {
            return false;
        }

        if (at >= 2 && json[at - 2] == '\\')
        {
            return false;
        }

        for (var j = Math.Max(0, at - 6); j <= at - 3; j++)
        {
            if (json[j] == '\\' && json[j + 1] == 'u')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How far after a <c>://</c> <see cref="DropInertTriggers"/> looks before it keeps the trigger anyway.</summary>
    internal const int UrlRunLimit = 4096;

    // Whether the run of URL characters from `from` holds an '@' or a password parameter (or may), and where that was
    // seen or where the run ends. JSON escapes as written: \n, \r, \t, \f and \" end the run (whitespace and a quote end
    // both patterns' runs); \\, \/ and \b are one character that does not; \uXXXX may be any character.
    private static (bool Live, int End) UrlRun(ReadOnlySpan<byte> json, int from)
    {
        var limit = Math.Min(json.Length, from + UrlRunLimit);
        for (var i = from; i < limit; i++)
        {
            switch (json[i])
            {
                case (byte)' ' or (byte)'"' or (byte)'\'' or (byte)'<' or (byte)'>':
                    return (false, i);
                case (byte)'@':
                    return (true, i);
                case (byte)'?' or (byte)'&' when MayBePasswordParameter(json[(i + 1)..]):
                    return (true, i);
                case (byte)'\\':
                    if (i + 1 >= json.Length || json[i + 1] == 'u')
                    {
                        return (true, i);
                    }

                    if (json[i + 1] is (byte)'n' or (byte)'r' or (byte)'t' or (byte)'f' or (byte)'"')
                    {
                        return (false, i);
                    }

                    i++; // \\, \/ or \b: its second byte is not an escape's start
                    break;
            }
        }

        // Cut by the limit: keep it. Cut by the line's end: the line is torn, and nothing follows.
        return (limit < json.Length, limit);
    }

    // One of PasswordParameterNames at the start of these bytes, letters compared in ASCII; a non-ASCII byte may be a
    // character the pattern folds to a letter (\u017F to s), so it matches anything here.
    private static bool MayBePasswordParameter(ReadOnlySpan<byte> rest)
    {
        foreach (var name in PasswordParameterNames)
        {
            var k = 0;
            for (; k < name.Length && k < rest.Length; k++)
            {
                if (rest[k] >= 0x80)
                {
                    return true;
                }

                if ((rest[k] | 0x20) != name[k])
                {
                    break; // the names are lower-case letters and '=', all with 0x20 set: that bit folds only case
                }
            }

            if (k == name.Length)
            {
                return true;
            }
        }

        return false;
    }

    // One pass over the raw bytes: returns the first trigger at or after `from` (-1 when none), or, given a list,
    // collects them all.
    private static int FindTriggers(ReadOnlySpan<byte> json, int from, List<int>? all)
    {
        var first = -1;
        for (int at = from, i; at < json.Length && (i = RawTriggerSearch.IndexOfAny(json[at..])) >= 0; at = i + 1)
        {
            i += at;
            if (json[i] == '\\' && i + 4 < json.Length && json[i + 4] is not (>= (byte)'2' and <= (byte)'7'))
            {
                continue; // \u0000-\u001F or \u0080-\u00FF: decodes to no trigger character
            }

            // A trigger, "://" with an escaped slash, or \u0020-\u007F (or one cut by the line's end: err on the safe side).
            if (all is null)
            {
                return i;
            }

            first = first < 0 ? i : first;
            all.Add(i);
        }

        return first;
    }

    /// <summary>Whether <paramref name="text"/> holds a trigger substring (no secret can be found without one).</summary>
    internal static bool HasTrigger(ReadOnlySpan<char> text) => text.IndexOfAny(TriggerSearch) >= 0 || IndexOfIgnoreCaseTrigger(text) >= 0;

    // The first of IgnoreCaseTriggers in text, its letters folded in ASCII only (as the byte searches fold them), or -1.
    private static int IndexOfIgnoreCaseTrigger(ReadOnlySpan<char> text)
    {
        var from = 0;
        while (from < text.Length)
        {
            var i = text[from..].IndexOfAny(IgnoreCaseTriggerSearch);
            if (i < 0)
            {
                return -1;
            }

            i += from;
            foreach (var trigger in IgnoreCaseTriggers)
            {
                if (text.Length - i >= trigger.Length && Ascii.EqualsIgnoreCase(text.Slice(i, trigger.Length), trigger))
                {
                    return i;
                }
            }

            from = i + 1;
        }

        return -1;
    }

    /// <summary>The secrets in <paramref name="text"/>, in order, without overlaps.</summary>
    public static List<SecretMatch> Find(string text) => Find(text, Gates(text));

    /// <summary>
    /// The secrets in a JSON string value, as <see cref="Find(string)"/> finds them in its decoded text. A plain value
    /// is first judged on its bytes as written, then decoded into a pooled buffer, and made a string only when a
    /// detector's literal is in it (most values that hold a trigger, such as a URL in a tool's output, hold no
    /// secret); a value longer than a scan window is decoded whole.
    /// </summary>
    /// <param name="value">A string value.</param>
    /// <param name="text">The decoded text when it was made (always when something is found), else null.</param>
    /// <returns>The matches.</returns>
    public static List<SecretMatch> Find(System.Text.Json.JsonElement value, out string? text)
    {
        if (new TranscriptLint.Model.JsonStringReader(value).RawLength > Window)
        {
            text = value.GetString()!;
            return Find(text);
        }

        if (NoGateOnRawText(value))
        {
            text = null;
            return [];
        }

        var (gates, made) = (Detectors.None, (string?)null);
        JsonValues.Test(value, chars =>
        {
            gates = Gates(chars);
            made = gates == Detectors.None ? null : new string(chars);
            return true;
        });
        text = made;
        return made is null ? [] : Find(made, gates);
    }

    // Most values that hold a trigger (a URL in a tool's output) open no gate. A value whose escapes cannot spell a
    // trigger's character (no \u, no escaped slash after a colon) is judged on its bytes as written, so it is not
    // decoded: its triggers are the decoded text's, and where an escape's letter (\n, \t, ...) stands beside one, the
    // gates take the side that runs the detector (see Gates' rawEscapes). Non-ASCII bytes stand for characters that no
    // literal holds (see Gates' utf8Bytes): an ordinal case-insensitive search folds no non-ASCII character into an
    // ASCII letter (tests hold every cased character to that). Invalid UTF-8 (a document's string the parser did not
    // check) is decoded, as are the values a gate opens on.
    private static bool NoGateOnRawText(System.Text.Json.JsonElement value)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
        raw = raw.Length >= 2 ? raw[1..^1] : raw;
        if (raw.IndexOf("\\u"u8) >= 0 || raw.IndexOf(":\\/"u8) >= 0 || raw.IndexOf(":/\\"u8) >= 0 || !System.Text.Unicode.Utf8.IsValid(raw))
        {
            return false;
        }

        var chars = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(raw.Length, 16));
        try
        {
            var text = chars.AsSpan(0, raw.Length);
            Encoding.Latin1.GetChars(raw, text); // one character a byte
            return Gates(text, rawEscapes: true, utf8Bytes: raw) == Detectors.None;
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Which detectors could match in a text, from their literals alone.</summary>
    [Flags]
    internal enum Detectors
    {
        None = 0,
        AwsAccessKeyId = 1,
        AwsSecretKey = 2,
        GitHubToken = 4,
        SkKeys = 8,
        AnthropicKey = 16,
        SlackToken = 32,
        SlackWebhook = 64,
        PrivateKey = 128,
        Jwt = 256,
        UrlUserInfoPassword = 512,
        UrlQueryPassword = 1024,
        All = AwsAccessKeyId | AwsSecretKey | GitHubToken | SkKeys | AnthropicKey | SlackToken | SlackWebhook | PrivateKey | Jwt | UrlUserInfoPassword | UrlQueryPassword,
    }

    // Every detector once, in the order they run (ties between overlapping matches go to the earlier one): its gate,
    // pattern, family, the group that holds the secret (null: the whole match) and what makes a match plausible.
    private sealed record Detector(Detectors Gate, Func<Regex> Pattern, string Family, string? Group, Func<Match, bool> Plausible);

    private static readonly Detector[] EveryDetector =
    [
        new(Detectors.AwsAccessKeyId, AwsAccessKeyId, "AWS access key id", null, m => !IsExample(m.Value)),
        new(Detectors.AwsSecretKey, AwsSecretKey, "AWS secret access key", "key", m => !IsExample(m.Groups["key"].Value) && MixedClasses(m.Groups["key"].Value)),
        new(Detectors.GitHubToken, GitHubToken, "GitHub token", null, m => MixedClasses(m.Value)),
        new(Detectors.AnthropicKey, AnthropicKey, "Anthropic API key", null, _ => true),
        new(Detectors.SkKeys, OpenAIKey, "OpenAI API key", null, m => !m.Value.StartsWith("sk-ant-", StringComparison.Ordinal) && MixedClasses(m.Groups["body"].Value)),
        new(Detectors.SlackToken, SlackToken, "Slack token", null, m => m.Groups["body"].Value.Any(char.IsAsciiDigit)),
        new(Detectors.SlackWebhook, SlackWebhook, "Slack webhook URL", null, _ => true),
        new(Detectors.PrivateKey, PrivateKey, "private key", null, m => m.Groups["body"].Value.Count(char.IsAsciiLetterOrDigit) >= 64 && !IsRedacted(m.Groups["body"].Value)),
        new(Detectors.Jwt, Jwt, "JWT", null, m => IsJwt(m)),
        new(Detectors.UrlUserInfoPassword, UrlUserInfoPassword, "password in URL", "password", m => IsRealPassword(m.Groups["password"].Value) && !IsReservedExampleHost(m.Value)),
        new(Detectors.UrlQueryPassword, UrlQueryPassword, "password in URL", "password", m => IsRealPassword(m.Groups["password"].Value) && !IsReservedExampleHost(m.Value)),
    ];

    /// <summary>
    /// The detectors whose literal (their own start condition) is in <paramref name="span"/>: without it a pattern
    /// cannot match, so running only these gives what running all of them gives (FindAll), without a URL in a string
    /// costing eleven regex scans. None means no secret: the caller need not even make a string of the text.
    /// </summary>
    /// <param name="span">The text.</param>
    /// <param name="rawEscapes">
    /// The text is a JSON string as written (ASCII, no \u escape): a letter right after a backslash may stand for a
    /// control character, so a literal after one counts as at a word start, and a URL's user and password are not
    /// judged across one (the gate stays open).
    /// </param>
    /// <param name="utf8Bytes">
    /// Empty, or the UTF-8 bytes <paramref name="span"/> was widened from, one character a byte: triggers are searched
    /// there (half the bytes). A non-ASCII character is then the bytes of its UTF-8 sequence; none of them is a
    /// letter, digit, space or punctuation any literal or URL part tests for, and lengths count the UTF-16 characters
    /// they decode to.
    /// </param>
    internal static Detectors Gates(ReadOnlySpan<char> span, bool rawEscapes = false, ReadOnlySpan<byte> utf8Bytes = default)
    {
        // One walk over the places a trigger starts decides every case-sensitive gate: each such literal starts with a
        // trigger ("sk-ant-" with "sk-", "xoxb-" with "xox") or holds one (".eyJ"), so it starts where a trigger does.
        // Only the case-insensitive literals need passes of their own (a string with a trigger is usually a URL).
        var gates = Detectors.None;
        bool anyTrigger = false, skAtWordStart = false, skAnt = false, dotEyJ = false, eyJAtWordStart = false;
        var scheme = -1;
        var from = 0;
        int i;
        while ((i = utf8Bytes.IsEmpty ? span[from..].IndexOfAny(TriggerSearch) : TriggerByteSearch.IndexOfAny(utf8Bytes[from..])) >= 0)
        {
            i += from;
            from = i + 1;
            anyTrigger = true;
            var rest = span[i..];
            if (rest.StartsWith("AKIA", StringComparison.Ordinal) || rest.StartsWith("ASIA", StringComparison.Ordinal))
            {
                gates |= Detectors.AwsAccessKeyId;
            }
            else if (rest.StartsWith("gh", StringComparison.Ordinal) || rest.StartsWith("github_pat_", StringComparison.Ordinal))
            {
                // Every trigger that starts with "gh" is a token prefix (gh[pousr]_).
                gates |= Detectors.GitHubToken;
            }
            else if (rest.StartsWith("sk-", StringComparison.Ordinal))
            {
                // "sk-" inside a word (task-, disk-, risk-) cannot start a key: both patterns need a non-word character before it.
                skAtWordStart |= AtWordStart(span, i, rawEscapes);
                skAnt |= rest.StartsWith("sk-ant-", StringComparison.Ordinal);
            }
            else if (rest.StartsWith("xox", StringComparison.Ordinal) && rest.Length >= 5 && rest[3] is 'a' or 'b' or 'p' or 'o' or 's' or 'r' && rest[4] == '-')
            {
                gates |= Detectors.SlackToken;
            }
            else if (rest.StartsWith("hooks.slack.com", StringComparison.Ordinal))
            {
                gates |= Detectors.SlackWebhook;
            }
            else if (rest.StartsWith("PRIVATE KEY", StringComparison.Ordinal))
            {
                gates |= Detectors.PrivateKey;
            }
            else if (rest.StartsWith("eyJ", StringComparison.Ordinal))
            {
                // A JWT is eyJ….eyJ….…: its payload starts with ".eyJ" too.
                dotEyJ |= i > 0 && span[i - 1] == '.';
                eyJAtWordStart |= AtWordStart(span, i, rawEscapes);
            }
            else if (rest.StartsWith("://", StringComparison.Ordinal))
            {
                scheme = scheme < 0 ? i : scheme;
                if (HasUserInfoPassword(span, i, rawEscapes, utf8: !utf8Bytes.IsEmpty))
                {
                    gates |= Detectors.UrlUserInfoPassword;
                }
            }
        }

        // An ignore-case trigger opens no gate of its own (SecretWord below decides AwsSecretKey); the byte search has
        // already seen them, the text's search above has not.
        anyTrigger = anyTrigger || (utf8Bytes.IsEmpty && IndexOfIgnoreCaseTrigger(span) >= 0);
        if (!anyTrigger)
        {
            return Detectors.None;
        }

        if (skAtWordStart)
        {
            gates |= Detectors.SkKeys | (skAnt ? Detectors.AnthropicKey : Detectors.None);
        }

        if (dotEyJ && eyJAtWordStart)
        {
            gates |= Detectors.Jwt;
        }

        if (span.IndexOfAny(SecretWord) >= 0)
        {
            gates |= Detectors.AwsSecretKey;
        }

        if (scheme >= 0 && span[scheme..].IndexOfAny(PasswordParameter) >= 0)
        {
            gates |= Detectors.UrlQueryPassword;
        }

        return gates;
    }

    /// <summary>The secrets in <paramref name="text"/> that the gated detectors find, in order, without overlaps.</summary>
    internal static List<SecretMatch> Find(string text, Detectors gates)
    {
        var found = new List<SecretMatch>();
        foreach (var d in EveryDetector)
        {
            if ((gates & d.Gate) == 0)
            {
                continue;
            }

            if (d.Gate == Detectors.UrlUserInfoPassword)
            {
                foreach (var (m, offset) in UrlUserInfoMatches(text))
                {
                    if (d.Plausible(m))
                    {
                        var g = m.Groups[d.Group!];
                        found.Add(new SecretMatch(offset + g.Index, g.Length, d.Family));
                    }
                }
            }
            else
            {
                Add(found, d.Pattern(), text, d.Family, d.Group, d.Plausible);
            }
        }

        return WithoutOverlaps(found);
    }

    // The patterns' own start condition for a literal at `at`: no character before it, or one not in [A-Za-z0-9_-].
    // In raw JSON, "\nsk-" is a newline before the literal: a letter after a backslash may be an escape's.
    private static bool AtWordStart(ReadOnlySpan<char> text, int at, bool rawEscapes) =>
        at == 0 || !(char.IsAsciiLetterOrDigit(text[at - 1]) || text[at - 1] is '_' or '-') || (rawEscapes && at >= 2 && text[at - 2] == '\\');

    // UrlUserInfoPassword's shape without the regex, for the "://" at `scheme`: 1-64 user characters, ':', 1-128
    // password characters, '@' and a host character. Most URLs (no userinfo) fail at the first character class, so
    // the regex never runs. With utf8, each character of `text` is a UTF-8 byte: a non-ASCII one is no space (a
    // Unicode space there only stops the regex, which the gate lets run) and counts as the UTF-16 characters its
    // sequence decodes to (its lead byte one, or two for four bytes; continuation bytes none).
    private static bool HasUserInfoPassword(ReadOnlySpan<char> text, int scheme, bool rawEscapes, bool utf8 = false)
    {
        // As written in JSON (rawEscapes), an escape (a tab, a quote) met where the user or password would be is
        // one character, not two: the gate stays open and the decoded text decides.
        int end = scheme + 3, user = 0;
        while (end < text.Length && user <= 64 && !IsSpace(text[end], utf8) && text[end] is not (':' or '/' or '@' or '"' or '\'' or '<' or '>'))
        {
            if (rawEscapes && text[end] == '\\')
            {
                return true;
            }

            user += Width(text[end++], utf8);
        }

        if (user is < 1 or > 64 || end >= text.Length || text[end] != ':')
        {
            return false;
        }

        end++;
        var password = 0;
        while (end < text.Length && password <= 128 && !IsSpace(text[end], utf8) && text[end] is not ('@' or '/' or '"' or '\'' or '<' or '>'))
        {
            if (rawEscapes && text[end] == '\\')
            {
                return true;
            }

            password += Width(text[end++], utf8);
        }

        return password is >= 1 and <= 128 && end + 1 < text.Length && text[end] == '@'
            && (char.IsAsciiLetterOrDigit(text[end + 1]) || text[end + 1] is '.' or '-');

        static bool IsSpace(char c, bool utf8) => (!utf8 || c < 0x80) && char.IsWhiteSpace(c);

        static int Width(char c, bool utf8) => !utf8 || c < 0x80 ? 1 : c < 0xC0 ? 0 : c < 0xF0 ? 1 : 2;
    }

    /// <summary>
    /// The reference detector: every pattern over the whole string whenever a trigger is present. <see cref="Find(string)"/>
    /// must return exactly this; tests hold it to that.
    /// </summary>
    internal static List<SecretMatch> FindAll(string text) =>
        HasTrigger(text) ? Find(text, Detectors.All) : [];

    private static List<SecretMatch> WithoutOverlaps(List<SecretMatch> found)
    {
        // Keep the earliest (then longest, then first detected) of overlapping matches: a stable order, so running
        // fewer detectors never reorders the ones that ran.
        var ordered = found.Select((m, i) => (m, i)).OrderBy(x => x.m.Start).ThenByDescending(x => x.m.Length).ThenBy(x => x.i);
        var result = new List<SecretMatch>();
        var end = -1;
        foreach (var (m, _) in ordered)
        {
            if (m.Start >= end)
            {
                result.Add(m);
                end = m.Start + m.Length;
            }
        }

        return result;
    }

    /// <summary><paramref name="text"/> with each secret replaced by <c>[REDACTED:family]</c>.</summary>
    public static string Redact(string text, IReadOnlyList<SecretMatch> matches)
    {
        var sb = new StringBuilder(text.Length);
        var at = 0;
        foreach (var m in matches)
        {
            sb.Append(text, at, m.Start - at).Append("[REDACTED:").Append(m.Family).Append(']');
            at = m.Start + m.Length;
        }

        return sb.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>
    /// <see cref="UrlUserInfoPassword"/>'s matches in <paramref name="text"/>, the ones <c>Matches</c> finds in the same
    /// order, each with the offset its indexes are relative to. Its leading <c>\b[a-zA-Z]</c> lets the regex start at
    /// every letter, so over a long tool output with a URL whose user and password opened the gate it tried every letter
    /// of the text (430 µs for a 12 KB string). A match holds one <c>://</c>, 2 to 21 characters after its start, the
    /// first after it, and its user, password, <c>@</c> and host follow within a fixed reach (the host's run of letters
    /// read to its end). So each <c>://</c> with that shape after it is searched alone, in a window from 21 characters
    /// before it (never before the last match's end) with the character before the window kept as the context of
    /// <c>\b</c>; a match starting after the <c>://</c>'s scheme would belong to a later one, which gets its own window.
    /// </summary>
    internal static IEnumerable<(Match Match, int Offset)> UrlUserInfoMatches(string text)
    {
        var regex = UrlUserInfoPassword();
        var from = 0; // where the next match may start: the last one's end
        var next = 2; // where to look for the next "://"
        while (next <= text.Length - 3 && text.IndexOf("://", next, StringComparison.Ordinal) is var scheme and >= 0)
        {
            next = scheme + 1;
            if (!HasUserInfoPassword(text, scheme, rawEscapes: false))
            {
                continue; // no user, ':', password, '@' and host after it: no match holds this "://"
            }

            var start = Math.Max(from, scheme - SchemeReach);
            if (start > scheme - 2)
            {
                continue; // the last match ends too near: no scheme fits between them
            }

            var end = Math.Min(text.Length, scheme + UserInfoReach);
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '.' or '-'))
            {
                end++; // the host's letters run on: the window ends where they stop, as the text does
            }

            var offset = start > 0 ? start - 1 : 0;
            var m = regex.Match(text.Substring(offset, end - offset), start - offset);
            if (m.Success && offset + m.Index <= scheme - 2)
            {
                yield return (m, offset);
                from = offset + m.Index + m.Length;
                next = from + 2;
            }
        }
    }

    // The scheme before "://" ([a-zA-Z][a-zA-Z0-9+.-]{1,20}), and what may follow it: "://", a user of 64 characters at
    // most, ':', a password of 128 at most, '@' and the host's first character.
    private const int SchemeReach = 21;
    private const int UserInfoReach = 3 + 64 + 1 + 128 + 1 + 1;

    private static void Add(List<SecretMatch> found, Regex regex, string text, string family, string? group, Func<Match, bool> plausible)
    {
        foreach (Match m in regex.Matches(text))
        {
            if (!plausible(m))
            {
                continue;
            }

            var g = group is null ? (Capture)m : m.Groups[group];
            found.Add(new SecretMatch(g.Index, g.Length, family));
        }
    }

    private static bool IsExample(string value) =>
        KnownExamples.Any(e => value.Contains(e, StringComparison.Ordinal)) || value.Contains("EXAMPLE", StringComparison.Ordinal);

    // Real keys are random: upper case, lower case and digits all occur. Words, paths and identifiers rarely do.
    private static bool MixedClasses(string s) =>
        s.Any(char.IsAsciiDigit) && s.Any(char.IsAsciiLetterUpper) && s.Any(char.IsAsciiLetterLower);

    private static bool IsJwt(Match m)
    {
        if (IsExample(m.Groups["signature"].Value))
        {
            return false;
        }

        var header = DecodeBase64Url(m.Groups["header"].Value);
        return header is not null && header.Contains("\"alg\"", StringComparison.Ordinal);
    }

    private static string? DecodeBase64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        b = b.PadRight(b.Length + ((4 - (b.Length % 4)) % 4), '=');
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(b));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // A key block whose lines were replaced by REDACTED (publishers' redaction, test fixtures) holds no key: the
    // first line of every unencrypted OpenSSH key is the same public header, so the letters alone do not tell.
    private static bool IsRedacted(string body) => body.Contains("REDACTED", StringComparison.OrdinalIgnoreCase);

    // A URL on a host no one can own (RFC 2606 and 6761: example.com/.net/.org, .example, .test, .invalid) is a
    // documentation or test example, so its password is one too.
    private static bool IsReservedExampleHost(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = url.AsSpan(start).IndexOfAny("/?#");
        var authority = end < 0 ? url[start..] : url.Substring(start, end);
        var host = authority[(authority.LastIndexOf('@') + 1)..];
        host = (host.IndexOf(':') is var colon and >= 0 ? host[..colon] : host).TrimEnd('.').ToLowerInvariant();
        return host is "example.com" or "example.net" or "example.org" or "example" or "test" or "invalid"
            || host.EndsWith(".example.com", StringComparison.Ordinal) || host.EndsWith(".example.net", StringComparison.Ordinal)
            || host.EndsWith(".example.org", StringComparison.Ordinal) || host.EndsWith(".example", StringComparison.Ordinal)
            || host.EndsWith(".test", StringComparison.Ordinal) || host.EndsWith(".invalid", StringComparison.Ordinal);
    }

    private static bool IsRealPassword(string value)
    {
        if (value.Length < 4 || value[0] is '$' or '{' or '<' or '%' or '[' or '*' || value.Contains("{{", StringComparison.Ordinal))
        {
            return false;
        }

        var lower = value.ToLowerInvariant();
        return !Placeholders.Any(p => lower == p || lower.Trim('*', 'x', '.') is "") && !lower.All(c => c is 'x' or '*' or '.');
    }
}
