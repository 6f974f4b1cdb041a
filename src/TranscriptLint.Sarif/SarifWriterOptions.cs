using TranscriptLint.Reporting;

namespace TranscriptLint.Sarif;

/// <summary>How a SARIF log is written.</summary>
public sealed class SarifWriterOptions
{
    /// <summary>GitHub rejects a run with more results than this (code scanning limit).</summary>
    public const int GitHubMaxResults = 25_000;

    /// <summary>GitHub rejects a SARIF file larger than this once gzip-compressed.</summary>
    public const long GitHubMaxGzipBytes = 10L * 1024 * 1024;

    /// <summary>
    /// The local directory that <c>%SRCROOT%</c> stands for: result URIs are relative to it. Null: the git root
    /// above the current directory, else the current directory (<see cref="SourceRoots.Default"/>).
    /// </summary>
    public string? SourceRoot { get; init; }

    /// <summary>
    /// The URI written as <c>originalUriBaseIds.%SRCROOT%</c>; null writes the <c>file:</c> URI of
    /// <see cref="SourceRoot"/>. Tests set it to keep the bytes independent of the checkout location.
    /// </summary>
    public Uri? SourceRootUri { get; init; }

    /// <summary>The analysis category; written as <c>automationDetails.id</c> = <c>category/</c>.</summary>
    public string Category { get; init; } = "transcriptlint";

    /// <summary>The most results one run may hold; past it the most severe are kept.</summary>
    public int MaxResults { get; init; } = GitHubMaxResults;

    /// <summary>The largest gzip-compressed size of the file; past it the most severe results are kept.</summary>
    public long MaxGzipBytes { get; init; } = GitHubMaxGzipBytes;

    /// <summary>Maps a lint result to the file on disk, whose path relative to <see cref="SourceRoot"/> is the artifact URI. The file is never read: fixes and fingerprints come with the lint result.</summary>
    public Func<FileLintResult, string> LocalPath { get; init; } = r => Path.GetFullPath(r.Path);
}

/// <summary>One enabled rule id and the severity it runs at.</summary>
/// <param name="Descriptor">The descriptor.</param>
/// <param name="Severity">The effective severity (profile and config applied).</param>
public sealed record SarifRule(RuleDescriptor Descriptor, Severity Severity);

/// <summary>What one run of the linter produced, the input of <see cref="SarifWriter"/>.</summary>
public sealed class SarifRunInput
{
    /// <summary>Every linted file, with its findings.</summary>
    public required IReadOnlyList<FileLintResult> Results { get; init; }

    /// <summary>Every enabled rule id (each becomes an entry of <c>tool.driver.rules</c>).</summary>
    public required IReadOnlyList<SarifRule> Rules { get; init; }

    /// <summary>Rule crashes and load problems (written to <c>invocations[0].toolExecutionNotifications</c>); any error-level one makes <c>executionSuccessful</c> false.</summary>
    public IReadOnlyList<ToolNotification> Notifications { get; init; } = [];

    /// <summary>The plugins the rules came from (written to <c>tool.extensions</c>).</summary>
    public IReadOnlyList<SarifExtension> Extensions { get; init; } = [];
}

/// <summary>A plugin written to <c>tool.extensions</c>.</summary>
/// <param name="Name">The plugin's name (its folder and assembly name).</param>
/// <param name="Version">Its assembly version (major.minor.patch).</param>
/// <param name="Rules">The rules it provides (enabled or not).</param>
public sealed record SarifExtension(string Name, string Version, IReadOnlyList<RuleDescriptor> Rules);

/// <summary>A linted file lies outside the source root, so its SARIF path could not be relative to <c>%SRCROOT%</c>.</summary>
/// <param name="message">One line naming the file and the root.</param>
public sealed class SourceRootException(string message) : Exception(message);

/// <summary>What <see cref="SarifWriter.Write"/> did, for the caller to report.</summary>
public sealed class SarifWriteReport
{
    /// <summary>Results written.</summary>
    public int ResultCount { get; init; }

    /// <summary>Results left out because of GitHub's limits.</summary>
    public int OmittedResults { get; init; }

    /// <summary>Warnings to print (limits hit, files that changed since linting).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Finds the default source root.</summary>
public static class SourceRoots
{
    /// <summary>The git work-tree root above <paramref name="start"/> (a folder holding <c>.git</c>), else <paramref name="start"/>.</summary>
    /// <param name="start">Where to start; the current directory when null.</param>
    /// <returns>An absolute directory path.</returns>
    public static string Default(string? start = null)
    {
        var first = Path.GetFullPath(start ?? Directory.GetCurrentDirectory());
        for (var dir = new DirectoryInfo(first); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return dir.FullName;
            }
        }

        return first;
    }

    /// <summary>A file's path relative to the source root, with <c>/</c> separators (what SARIF and annotations show).</summary>
    /// <param name="localPath">The file.</param>
    /// <param name="sourceRoot">The source root.</param>
    /// <returns>The relative path.</returns>
    /// <exception cref="SourceRootException">The file is not under the source root.</exception>
    public static string Relative(string localPath, string sourceRoot)
    {
        var full = Path.GetFullPath(localPath);
        var relative = Path.GetRelativePath(Path.GetFullPath(sourceRoot), full);
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new SourceRootException($"{full} is outside the source root {Path.GetFullPath(sourceRoot)}; report paths are relative to it: pass --source-root with a folder that holds every linted file");
        }

        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
