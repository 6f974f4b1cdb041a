namespace TranscriptLint.Tests;

/// <summary>Finds the repository root (and shared/ beside it) from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "fixtures");

    /// <summary>The real transcripts in ../shared/corpus/real (beside the repo root).</summary>
    public static string RealCorpus => Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus", "real"));

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
