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
    /// by restoring a transcript damaged as a whole (<see cref="Restoration"/>).
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
    /// When the file is a transcript damaged as a whole and the engine proved a repair that loses nothing a reader could
    /// use and gives a transcript of a supported format: that repair, as a fix title. <c>Convert the file from UTF-16 LE
    /// to UTF-8</c> (saved by Windows PowerShell 5.1's <c>&gt;</c> or Notepad's "Unicode": every character kept),
    /// <c>Remove the 2,000 NUL bytes after the document</c> (a crash padded it), <c>Cut the session back to its last
    /// complete message (41) and close it</c> (a Gemini CLI session cut off while it was rewritten whole). The file is
    /// still not a transcript (<see cref="NotATranscript"/>); a <see cref="Fixes.RestoreTranscript"/> fix restores it.
    /// Null otherwise.
    /// </summary>
    public string? Restoration { get; init; }

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
