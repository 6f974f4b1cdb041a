using Microsoft.Extensions.FileSystemGlobbing;

namespace TranscriptLint.Engine.Configuration;

/// <summary>A loaded and validated <c>.transcriptlint.json</c>. Paths in it are resolved against its folder.</summary>
public sealed class TranscriptLintConfig
{
    private Matcher? _ignore;

    /// <summary>The config file, full path.</summary>
    public required string FilePath { get; init; }

    /// <summary>The folder holding the config file: relative paths in it start here.</summary>
    public string Directory => Path.GetDirectoryName(FilePath) ?? ".";

    /// <summary>The provider profile name, when the file sets one.</summary>
    public string? Profile { get; init; }

    /// <summary>Plugin folders, full paths, in the file's order.</summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];

    /// <summary>Severities by rule id, prefix or <c>ALL</c>; <see cref="Severity.None"/> is <c>off</c>.</summary>
    public IReadOnlyDictionary<string, Severity> Severities { get; init; } = new Dictionary<string, Severity>();

    /// <summary>Options by rule id.</summary>
    public IReadOnlyDictionary<string, RuleOptions> RuleOptions { get; init; } = new Dictionary<string, RuleOptions>();

    /// <summary>The <c>ruleTimeoutSeconds</c> budget, when the file sets one.</summary>
    public double? RuleTimeoutSeconds { get; init; }

    /// <summary>Glob patterns of transcripts not to lint, relative to <see cref="Directory"/>.</summary>
    public IReadOnlyList<string> IgnorePaths { get; init; } = [];

    /// <summary>Whether a transcript is excluded by <see cref="IgnorePaths"/>.</summary>
    /// <param name="transcriptPath">The transcript's path.</param>
    /// <returns>True when a pattern matches it.</returns>
    public bool IsIgnored(string transcriptPath)
    {
        if (IgnorePaths.Count == 0)
        {
            return false;
        }

        var relative = Path.GetRelativePath(Directory, Path.GetFullPath(transcriptPath)).Replace('\\', '/');
        if (relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return false; // outside the config's folder: its patterns do not reach there
        }

        if (_ignore is null)
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            foreach (var pattern in IgnorePaths)
            {
                matcher.AddInclude(pattern);
            }

            _ignore = matcher;
        }

        return _ignore.Match(relative).HasMatches;
    }
}
