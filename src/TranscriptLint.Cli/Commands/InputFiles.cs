using Microsoft.Extensions.FileSystemGlobbing;
using TranscriptLint.Engine.Files;

namespace TranscriptLint.Cli.Commands;

/// <summary>Something on the way to the files that was skipped: a FIFO, socket or device, or a folder that cannot be read.</summary>
/// <param name="Message">One line naming the path.</param>
/// <param name="IsError">True when transcripts may have been missed (an unreadable folder, a special file given by name); false for a special file met while walking a folder.</param>
public sealed record InputProblem(string Message, bool IsError);

/// <summary>
/// Expands the paths, directories (recursively: <c>*.jsonl</c>, and <c>*.json</c> files that are whole-document
/// transcripts) and globs given on the command line. FIFOs,
/// sockets and devices (also behind symbolic links) are skipped without being opened; a folder that cannot be read
/// (permissions, a path beyond PATH_MAX) is reported and the walk goes on.
/// </summary>
public static class InputFiles
{
    /// <summary>The path that means "read the transcript from standard input".</summary>
    public const string StandardInput = "-";

    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs, bool allowStandardInput = false) => Expand(inputs, allowStandardInput, null);

    /// <summary>Expands the inputs; what had to be skipped is added to <paramref name="problems"/> (when null, a skipped special file given by name is a usage error).</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs, bool allowStandardInput, ICollection<InputProblem>? problems)
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
            else if (FileKinds.Of(input) is var inputKind && FileKinds.IsSpecial(inputKind))
            {
                var message = $"skipped {input}: it is {FileKinds.Describe(inputKind)}, not a regular file (never opened)";
                if (problems is null)
                {
                    throw new UsageException(message);
                }

                problems.Add(new InputProblem(message, IsError: true));
            }
            else if (File.Exists(input))
            {
                files.Add(Path.GetFullPath(input));
            }
            else if (Directory.Exists(input))
            {
                Walk(input, files, problems);
            }
            else if (input.IndexOfAny(['*', '?', '[']) >= 0)
            {
                var matched = Glob(input);
                if (matched.Count == 0)
                {
                    throw new UsageException($"no file matches '{input}'");
                }

                foreach (var file in matched)
                {
                    var kind = FileKinds.Of(file);
                    if (FileKinds.IsSpecial(kind))
                    {
                        problems?.Add(new InputProblem($"skipped {Display(file)}: it is {FileKinds.Describe(kind)}, not a regular file (never opened)", IsError: false));
                    }
                    else
                    {
                        files.Add(file);
                    }
                }
            }
            else
            {
                throw new UsageException($"no such file or directory: {input}");
            }
        }

        return [.. files];
    }

    /// <summary>Prints each problem as one line on stderr.</summary>
    public static void Report(IEnumerable<InputProblem> problems, TextWriter stderr)
    {
        foreach (var p in problems)
        {
            stderr.WriteLine($"transcriptlint: {(p.IsError ? "error" : "warning")}: {p.Message}");
        }
    }

    // One folder at a time, so a folder that cannot be read (EACCES, ENAMETOOLONG beyond PATH_MAX) costs only itself.
    private static void Walk(string root, SortedSet<string> files, ICollection<InputProblem>? problems)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.ReparsePoint };
        var pending = new Stack<string>();
        pending.Push(Path.GetFullPath(root));
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            var found = new List<string>();
            var subdirs = new List<string>();
            try
            {
                foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", options))
                {
                    var full = Path.Join(dir, entry.Name); // built here: FullName is empty for paths beyond PATH_MAX
                    if (entry is DirectoryInfo)
                    {
                        subdirs.Add(full);
                    }
                    else if (entry.Name.EndsWith(".jsonl", NameComparison))
                    {
                        found.Add(full);
                    }
                    else if (entry.Name.EndsWith(".json", NameComparison) && entry is FileInfo info && IsTranscriptDocument(full, info.Length))
                    {
                        found.Add(full);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or System.Security.SecurityException)
            {
                var why = ex is PathTooLongException ? $"its path is {System.Text.Encoding.UTF8.GetByteCount(dir)} bytes, beyond PATH_MAX" : ex.Message.Replace(dir, "it", StringComparison.Ordinal);
                var message = $"cannot read folder {Shorten(Display(dir))}: {why}; the other files are still linted";
                if (problems is null)
                {
                    throw new UsageException(message);
                }

                problems.Add(new InputProblem(message, IsError: true));
                continue;
            }

            foreach (var file in found)
            {
                var kind = FileKinds.Of(file);
                if (FileKinds.IsSpecial(kind))
                {
                    problems?.Add(new InputProblem($"skipped {Display(file)}: it is {FileKinds.Describe(kind)}, not a regular file (never opened)", IsError: false));
                }
                else
                {
                    files.Add(file);
                }
            }

            foreach (var sub in subdirs.OrderDescending(StringComparer.Ordinal))
            {
                pending.Push(sub);
            }
        }
    }

    private static StringComparison NameComparison => OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    // How much of a .json file is read to decide whether it could be a transcript before it is parsed whole.
    private const int SniffBytes = 64 * 1024;

    /// <summary>
    /// Whether a <c>.json</c> file met while walking a folder is a whole-document transcript (a Gemini CLI session,
    /// a saved Anthropic Messages or OpenAI Chat request body). Folders are full of other JSON (package.json,
    /// settings), so only a file whose start names <c>"messages"</c> or <c>"role"</c> is classified, and only one a
    /// dialect claims, or a Gemini CLI session a crash left unreadable, is linted; a <c>.json</c> file given by name or
    /// glob is always linted.
    /// </summary>
    public static bool IsTranscriptDocument(string path, long length)
    {
        if (length == 0 || FileKinds.IsSpecial(FileKinds.Of(path)))
        {
            return false;
        }

        try
        {
            // One open: the head decides whether the file is worth parsing, then the same stream is classified.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            var head = new byte[(int)Math.Min(SniffBytes, length)];
            stream.ReadExactly(head);
            var text = TranscriptLint.Engine.Documents.DocumentSniffer.Utf8Head(head);
            if (text.IndexOf("\"messages\""u8) < 0 && text.IndexOf("\"role\""u8) < 0)
            {
                return false;
            }

            return TranscriptLint.Engine.Documents.DocumentSniffer.IsTranscriptOrBrokenSession(stream, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // unreadable: it is not linted, as it would not be if it were not a transcript
        }
    }

    // A path thousands of characters long stays readable in a one-line message: its start and its end.
    private static string Shorten(string path) => path.Length <= 240 ? path : path[..100] + "…" + path[^100..];

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
