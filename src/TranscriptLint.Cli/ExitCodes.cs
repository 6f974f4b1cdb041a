namespace TranscriptLint.Cli;

/// <summary>Process exit codes; documented in README and <c>--help</c>.</summary>
public static class ExitCodes
{
    /// <summary>No finding at or above the failure threshold.</summary>
    public const int Clean = 0;

    /// <summary>Findings at or above the threshold.</summary>
    public const int Findings = 1;

    /// <summary>Usage error (including an unknown rule id, or no file to lint), or an input that could not be read.</summary>
    public const int UsageOrInput = 2;

    /// <summary>
    /// The run is incomplete: a plugin failed to load (or was refused) or a rule crashed. SARIF then says
    /// <c>executionSuccessful: false</c>. <c>--allow-rule-failures</c> reports it and exits as if it had not happened.
    /// </summary>
    public const int ToolFailure = 3;
}
