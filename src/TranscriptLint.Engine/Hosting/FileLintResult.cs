namespace TranscriptLint.Engine.Hosting;

/// <summary>What linting one transcript produced.</summary>
public sealed class FileLintResult
{
    /// <summary>The path as shown in findings.</summary>
    public required string Path { get; init; }

    /// <summary>The detected (or forced) dialect.</summary>
    public required string Dialect { get; init; }

    /// <summary>SHA-256 of the file's bytes as linted, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The number of physical lines.</summary>
    public required int LineCount { get; init; }

    /// <summary>The file size in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>Findings, sorted by line, column, rule id and message.</summary>
    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    /// <summary>Rule crashes and refused reports met while linting this file.</summary>
    public required IReadOnlyList<ToolNotification> Notifications { get; init; }
}
