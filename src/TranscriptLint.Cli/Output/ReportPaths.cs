using TranscriptLint.Reporting;
using TranscriptLint.Sarif;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// Paths as CI systems want them: relative to the source root (<c>--source-root</c>, default the git root), with
/// <c>/</c>, the same paths SARIF writes. GitHub annotations and GitLab reports resolve them against the checkout.
/// </summary>
/// <param name="sourceRoot">The source root; null: the git root above the current directory, else the current directory.</param>
public sealed class ReportPaths(string? sourceRoot)
{
    public string SourceRoot { get; } = Path.GetFullPath(sourceRoot ?? SourceRoots.Default());

    /// <summary>Where the linted file is on disk.</summary>
    public static string LocalPath(FileLintResult result) => Path.GetFullPath(result.Path);

    /// <summary>The file's path relative to the source root; a usage error (exit 2) when it lies outside it.</summary>
    public string Relative(FileLintResult result)
    {
        try
        {
            return SourceRoots.Relative(LocalPath(result), SourceRoot);
        }
        catch (SourceRootException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>Each finding of a file with its <c>transcriptLint/v1</c> SARIF fingerprint.</summary>
    public static IReadOnlyList<(Diagnostic Diagnostic, string Fingerprint)> Fingerprints(FileLintResult result) =>
        SarifWriter.Fingerprints(result);
}
