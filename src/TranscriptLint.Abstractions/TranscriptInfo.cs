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
