namespace TranscriptLint.Cli.Sessions;

/// <summary>An agent harness whose recorded sessions transcriptlint can find on this machine.</summary>
public enum Harness
{
    ClaudeCode,
    Codex,
    GeminiCli,
    CopilotCli,
    Amplifier,
}

/// <summary>Where one harness keeps its sessions, and why there (the default, or the variable that moved it).</summary>
/// <param name="Harness">The harness.</param>
/// <param name="Folder">The folder searched.</param>
/// <param name="Why">How the folder was found, e.g. "default" or "CODEX_HOME".</param>
public sealed record SessionRoot(Harness Harness, string Folder, string Why);

/// <summary>One session file found under a <see cref="SessionRoot"/>.</summary>
/// <param name="Harness">The harness that wrote it.</param>
/// <param name="Path">Full path of the transcript.</param>
/// <param name="Id">The session id the harness resumes by (from the file or folder name).</param>
/// <param name="LastWriteUtc">When the harness last wrote it.</param>
public sealed record SessionFile(Harness Harness, string Path, string Id, DateTime LastWriteUtc);

/// <summary>
/// The default session folders of every supported harness, as each harness itself resolves them:
/// Claude Code <c>$CLAUDE_CONFIG_DIR</c> or <c>~/.claude</c>, then <c>projects/&lt;encoded cwd&gt;/&lt;id&gt;.jsonl</c>;
/// Codex <c>$CODEX_HOME</c> or <c>~/.codex</c>, then <c>sessions/YYYY/MM/DD/rollout-…-&lt;id&gt;.jsonl</c>;
/// Gemini CLI <c>$GEMINI_CLI_HOME</c> or the home folder, then <c>.gemini/tmp/&lt;project&gt;/chats/session-*.jsonl</c>
/// (<c>.json</c> before April 2026; gemini-cli packages/core/src/utils/paths.ts <c>homedir()</c>);
/// Copilot CLI <c>$COPILOT_HOME</c> or <c>~/.copilot</c>, then <c>session-state/&lt;id&gt;/events.jsonl</c>;
/// Amplifier <c>~/.amplifier/projects/&lt;slug&gt;/sessions/&lt;id&gt;/transcript.jsonl</c> (ADR-0001 of amplifier-app-cli).
/// Enumerating never opens a file.
/// </summary>
public static class SessionLocator
{
    /// <summary>Display names, as the harnesses call themselves.</summary>
    public static string Name(Harness h) => h switch
    {
        Harness.ClaudeCode => "Claude Code",
        Harness.Codex => "Codex",
        Harness.GeminiCli => "Gemini CLI",
        Harness.CopilotCli => "Copilot CLI",
        _ => "Amplifier",
    };

    /// <summary>The session folders of every harness for this environment (whether they exist or not).</summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="home">The home folder.</param>
    public static IReadOnlyList<SessionRoot> Roots(Func<string, string?> environment, string home)
    {
        (string Dir, string Why) From(string variable, string fallback) =>
            environment(variable) is { Length: > 0 } set ? (set, variable) : (fallback, "default");

        var claude = From("CLAUDE_CONFIG_DIR", Path.Join(home, ".claude"));
        var codex = From("CODEX_HOME", Path.Join(home, ".codex"));
        var gemini = From("GEMINI_CLI_HOME", home);
        var copilot = From("COPILOT_HOME", Path.Join(home, ".copilot"));
        return
        [
            new(Harness.ClaudeCode, Path.Join(claude.Dir, "projects"), claude.Why),
            new(Harness.Codex, Path.Join(codex.Dir, "sessions"), codex.Why),
            new(Harness.GeminiCli, Path.Join(gemini.Dir, ".gemini", "tmp"), gemini.Why),
            new(Harness.CopilotCli, Path.Join(copilot.Dir, "session-state"), copilot.Why),
            new(Harness.Amplifier, Path.Join(home, ".amplifier", "projects"), "default"),
        ];
    }

    /// <summary>The roots of this process's environment and home.</summary>
    public static IReadOnlyList<SessionRoot> Roots() =>
        Roots(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The session files under <paramref name="root"/>; a folder that cannot be read is skipped.</summary>
    public static IEnumerable<SessionFile> Find(SessionRoot root)
    {
        if (!Directory.Exists(root.Folder))
        {
            return [];
        }

        return root.Harness switch
        {
            // Subagent files (agent-*.jsonl beside the session, or <id>/subagents/) are not resumed by themselves.
            Harness.ClaudeCode => Files(root.Folder, 1, "*.jsonl")
                .Where(f => !Path.GetFileName(f).StartsWith("agent-", StringComparison.Ordinal))
                .Select(f => Make(root.Harness, f, Path.GetFileNameWithoutExtension(f))),
            Harness.Codex => Files(root.Folder, 4, "rollout-*.jsonl").Select(f => Make(root.Harness, f, CodexId(f))),
            Harness.GeminiCli => Files(root.Folder, 2, "session-*.json*")
                .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "chats" && Path.GetExtension(f) is ".json" or ".jsonl")
                .Select(f => Make(root.Harness, f, GeminiShortId(f))),
            Harness.CopilotCli => Files(root.Folder, 1, "events.jsonl").Select(f => Make(root.Harness, f, Path.GetFileName(Path.GetDirectoryName(f))!)),
            _ => Files(root.Folder, 3, "transcript.jsonl")
                .Where(f => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(f))) == "sessions")
                .Select(f => Make(root.Harness, f, Path.GetFileName(Path.GetDirectoryName(f))!)),
        };
    }

    /// <summary>The session a transcript path is, when it lies in a harness's session folder (for the resume hint after a fix).</summary>
    public static SessionFile? Identify(string fullPath, IReadOnlyList<SessionRoot>? roots = null)
    {
        foreach (var root in roots ?? Roots())
        {
            var folder = Path.TrimEndingDirectorySeparator(root.Folder) + Path.DirectorySeparatorChar;
            if (fullPath.StartsWith(folder, StringComparison.Ordinal))
            {
                return Find(root).FirstOrDefault(f => f.Path == fullPath);
            }
        }

        return null;
    }

    /// <summary>The command that resumes the session in its harness (after the harness has been quit).</summary>
    /// <param name="harness">The harness.</param>
    /// <param name="id">The session id.</param>
    /// <param name="project">The project folder the harness was started in, when known (Claude Code, Gemini CLI and Amplifier look sessions up by it).</param>
    public static string ResumeCommand(Harness harness, string id, string? project)
    {
        var resume = harness switch
        {
            Harness.ClaudeCode => $"claude --resume {id}",
            Harness.Codex => $"codex resume {id}",
            Harness.GeminiCli => $"gemini --resume {id}",
            Harness.CopilotCli => $"copilot --resume={id}",
            _ => $"amplifier session resume {id}",
        };
        var projectScoped = harness is Harness.ClaudeCode or Harness.GeminiCli or Harness.Amplifier;
        return projectScoped && project is { Length: > 0 } ? $"cd {Shell.Quote(Shell.Tilde(project))} && {resume}" : resume;
    }

    /// <summary>The program to quit before fixing (a running harness keeps writing to the file).</summary>
    public static string Program(Harness harness) => harness switch
    {
        Harness.ClaudeCode => "claude",
        Harness.Codex => "codex",
        Harness.GeminiCli => "gemini",
        Harness.CopilotCli => "copilot",
        _ => "amplifier",
    };

    private static SessionFile Make(Harness harness, string path, string id)
    {
        DateTime written;
        try
        {
            written = File.GetLastWriteTimeUtc(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            written = DateTime.MinValue;
        }

        return new SessionFile(harness, path, id, written);
    }

    // rollout-2025-09-01T10-11-12-<uuid>.jsonl: the id Codex resumes by is the trailing uuid.
    private static string CodexId(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        return stem.Length >= 36 && Guid.TryParse(stem[^36..], out _) ? stem[^36..] : stem;
    }

    // session-2025-09-01T10-11-<first 8 of the id>.json(l); the full id is inside the file (SessionDetails reads it).
    private static string GeminiShortId(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var dash = stem.LastIndexOf('-');
        return dash >= 0 ? stem[(dash + 1)..] : stem;
    }

    private static IEnumerable<string> Files(string root, int depth, string pattern)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = depth, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint, MatchCasing = MatchCasing.CaseSensitive };
        try
        {
            return [.. Directory.EnumerateFiles(root, pattern, options)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

/// <summary>Shell quoting and home-relative display for the commands transcriptlint prints.</summary>
public static class Shell
{
    /// <summary>The path quoted for a POSIX shell, only when it needs it.</summary>
    public static string Quote(string path) =>
        path.Length > 0 && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '~' or '+' or ',' or ':' or '@' or '=')
            && !(path.Contains('~') && !path.StartsWith("~/", StringComparison.Ordinal))
            ? path
            : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The path with the home folder written as <c>~</c>, when that stays a path the shell expands (no quoting needed).</summary>
    public static string Tilde(string path, string? home = null)
    {
        home ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 1 && path.StartsWith(home.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            var tilde = "~" + path[home.TrimEnd('/').Length..];
            return Quote(tilde) == tilde ? tilde : path;
        }

        return path;
    }
}
