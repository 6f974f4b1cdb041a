namespace TranscriptLint.Tests;

/// <summary>The vendored real Claude Code sessions (fixtures/real/claude-code), for tests that need a large real file.</summary>
internal static class RealSessions
{
    /// <summary>The sessions one after another, each ending in a newline, repeated until there are at least <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The least length.</param>
    /// <returns>The file's bytes.</returns>
    public static byte[] Repeated(int bytes)
    {
        var sessions = Directory.EnumerateFiles(Path.Combine(RepoPaths.RealCorpus, "claude-code"), "*.jsonl").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        using var output = new MemoryStream();
        while (output.Length < bytes)
        {
            foreach (var session in sessions)
            {
                output.Write(session);
                if (session.Length > 0 && session[^1] != (byte)'\n')
                {
                    output.WriteByte((byte)'\n');
                }
            }
        }

        return output.ToArray();
    }
}
