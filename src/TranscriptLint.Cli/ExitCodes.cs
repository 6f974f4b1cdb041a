namespace TranscriptLint.Cli;

/// <summary>Process exit codes; documented in README and <c>--help</c>.</summary>
public static class ExitCodes
{
    /// <summary>No finding at or above the failure threshold.</summary>
    public const int Clean = 0;

    /// <summary>Findings at or above the threshold.</summary>
    public const int Findings = 1;

    /// <summary>Usage error, or an input that could not be read.</summary>
    public const int UsageOrInput = 2;
}
