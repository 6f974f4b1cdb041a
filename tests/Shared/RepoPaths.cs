namespace TranscriptLint.Tests;

/// <summary>Finds the repository root from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "fixtures");

    /// <summary>The real transcripts vendored in fixtures/real, with their provenance in fixtures/real/MANIFEST.md.</summary>
    public static string RealCorpus => Path.Combine(Fixtures, "real");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TranscriptLint.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TranscriptLint.sln not found above " + AppContext.BaseDirectory);
    }
}
