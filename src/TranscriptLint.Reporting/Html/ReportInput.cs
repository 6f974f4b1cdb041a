namespace TranscriptLint.Reporting.Html;

/// <summary>One transcript of an HTML report: its lint result and what was captured of its content.</summary>
/// <param name="Result">The lint result (findings, rendered fixes).</param>
/// <param name="Capture">The content captured by linting the file again with <see cref="ReportCapture"/>; null when it could not be read.</param>
/// <param name="Original">Reads the file's bytes as linted, for the before side of fixes; null when unavailable (then fixes show their new text only).</param>
/// <param name="Note">Why the conversation or the fixes' before side is missing, shown on the file's page; null when all is there.</param>
public sealed record ReportInput(FileLintResult Result, ReportCapture? Capture, Func<long, int, byte[]>? Original, string? Note = null);

/// <summary>How an HTML report is written.</summary>
public sealed record HtmlReportOptions
{
    /// <summary>Show the credentials TL5001 found instead of masking them.</summary>
    public bool ShowSecrets { get; init; }

    /// <summary>The longest text shown per block (message text, tool input, tool result) before the report cuts it.</summary>
    public int MaxValueChars { get; init; } = 16 * 1024;

    /// <summary>The longest before/after text shown per fix edit.</summary>
    public int MaxEditChars { get; init; } = 4 * 1024;

    /// <summary>
    /// The report's size budget in bytes for inputs of <paramref name="inputBytes"/> bytes: 1.2 times the input plus 1 MiB.
    /// Texts are cut shorter until the report fits (docs/report.md).
    /// </summary>
    /// <param name="inputBytes">The total size of the transcripts.</param>
    /// <returns>The budget.</returns>
    public static long BudgetFor(long inputBytes) => (inputBytes * 6 / 5) + (1024 * 1024);
}
