using Microsoft.Extensions.FileSystemGlobbing;

namespace TranscriptLint.Cli.Commands;

/// <summary>Expands the paths, directories (recursively, <c>*.jsonl</c>) and globs given on the command line.</summary>
public static class InputFiles
{
    /// <summary>The path that means "read the transcript from standard input".</summary>
    public const string StandardInput = "-";

    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs, bool allowStandardInput = false)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (input == StandardInput)
            {
                if (!allowStandardInput)
                {
                    throw new UsageException("'-' (standard input) works with lint only; give the transcript's path");
                }

                files.Add(StandardInput);
            }
            else if (File.Exists(input))
            {
                files.Add(Path.GetFullPath(input));
            }
            else if (Directory.Exists(input))
            {
                foreach (var f in Directory.EnumerateFiles(input, "*.jsonl", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }))
                {
                    files.Add(Path.GetFullPath(f));
                }
            }
            else if (input.IndexOfAny(['*', '?', '[']) >= 0)
            {
                var matched = Glob(input);
                if (matched.Count == 0)
                {
                    throw new UsageException($"no file matches '{input}'");
                }

                files.UnionWith(matched);
            }
            else
            {
                throw new UsageException($"no such file or directory: {input}");
            }
        }

        return [.. files];
    }

    private static List<string> Glob(string pattern)
    {
        // Split at the first segment holding a wildcard: the part before is the base directory.
        var normalized = pattern.Replace('\\', '/');
        var segments = normalized.Split('/');
        var firstWild = Array.FindIndex(segments, s => s.IndexOfAny(['*', '?', '[']) >= 0);
        var baseDir = firstWild == 0 ? "." : string.Join('/', segments[..firstWild]);
        if (normalized.StartsWith('/') && firstWild == 1)
        {
            baseDir = "/";
        }

        var rest = string.Join('/', segments[firstWild..]);
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(rest);
        return [.. matcher.GetResultsInFullPath(string.IsNullOrEmpty(baseDir) ? "." : baseDir)];
    }

    /// <summary>The path shown in findings: relative to the working directory when inside it, with '/'.</summary>
    public static string Display(string fullPath)
    {
        var cwd = Directory.GetCurrentDirectory();
        var relative = Path.GetRelativePath(cwd, fullPath);
        var shown = relative.StartsWith("..", StringComparison.Ordinal) ? fullPath : relative;
        return shown.Replace('\\', '/');
    }
}
