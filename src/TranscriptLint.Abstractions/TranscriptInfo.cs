namespace TranscriptLint;

/// <summary>What a rule may know about the transcript being linted.</summary>
public sealed class TranscriptInfo
{
    /// <summary>Creates the info.</summary>
    /// <param name="path">The path as given on the command line (used in findings).</param>
    /// <param name="dialect">The detected format, e.g. <c>claude-code</c>.</param>
    /// <param name="profile">The provider profile in force.</param>
    public TranscriptInfo(string path, string dialect, ProviderProfile profile)
    {
        Path = path;
        Dialect = dialect;
        Profile = profile;
    }

    /// <summary>
    /// The id of the rule that reports a file that is not a transcript (<c>TL1006 not-a-transcript</c>). On such a
    /// file only the start actions of rules declaring this id run; no other rule sees it, and it is never fixed, except
    /// by converting a transcript saved as UTF-16 to UTF-8 (<see cref="ConvertibleFrom"/>).
    /// </summary>
    public const string NotATranscriptRuleId = "TL1006";

    /// <summary>
    /// When the file is not a transcript of any supported dialect: what it looks like (e.g. <c>gzip data</c>,
    /// <c>one JSON document of 520 lines (a JSON object, not JSON Lines)</c>); null for a transcript.
    /// </summary>
    public string? NotATranscript { get; init; }

    /// <summary>
    /// Whether a whole-document transcript (a Gemini CLI session <c>.json</c>, a request body) starts with a UTF-8 byte
    /// order mark. Such a file runs no line actions, so this is where a rule sees the mark; in a JSON Lines file line 1
    /// says so (<see cref="Model.LineFlags.ByteOrderMark"/>) and this stays false.
    /// </summary>
    public bool DocumentHasByteOrderMark { get; init; }

    /// <summary>
    /// When the file is a transcript saved in an encoding other than UTF-8 (Windows PowerShell 5.1's <c>&gt;</c>, Notepad's
    /// "Unicode"): that encoding, <c>UTF-16 LE</c> or <c>UTF-16 BE</c>. Set only when the whole file decodes without a
    /// bad byte, encodes back to exactly the same bytes, and reads as a transcript of a supported format once in UTF-8;
    /// the file is still not a transcript (<see cref="NotATranscript"/>), and a <see cref="Fixes.ConvertToUtf8"/> fix
    /// converts it. Null otherwise.
    /// </summary>
    public string? ConvertibleFrom { get; init; }

    /// <summary>The file path as shown in findings.</summary>
    public string Path { get; }

    /// <summary>The detected transcript format.</summary>
    public string Dialect { get; }

    /// <summary>What the format records and how its harness resumes; rules test these instead of <see cref="Dialect"/>.</summary>
    public DialectTraits Traits { get; init; } = DialectTraits.None;

    /// <summary>The provider profile: id limits, prefill, context window.</summary>
    public ProviderProfile Profile { get; }

    /// <summary>The file name without folders.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);
}
