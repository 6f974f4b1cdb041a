using System.Diagnostics;
using TranscriptLint.Cli;

namespace TranscriptLint.Tests;

/// <summary>lint and fix on what is not a plain transcript: FIFOs, folders beyond PATH_MAX, 253-character names, repeated fixes.</summary>
public sealed class FileSafetyCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tl-files-cli-").FullName;

    public void Dispose()
    {
        // rm copes with trees deeper than PATH_MAX; Directory.Delete does not.
        using var rm = Process.Start("rm", ["-rf", _dir]);
        rm.WaitForExit();
    }

    private static string Fixture(string relative) => Path.Combine(RepoPaths.Fixtures, "claude-code", relative);

    private string Copy(string relative, string? name = null, string? folder = null)
    {
        var dir = folder is null ? _dir : Path.Combine(_dir, folder);
        Directory.CreateDirectory(dir);
        var target = Path.Combine(dir, name ?? Path.GetFileName(relative));
        File.Copy(Fixture(relative), target);
        return target;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter { NewLine = "\n" };
        var e = new StringWriter { NewLine = "\n" };
        var code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string MkFifo(string relative)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var p = Process.Start("mkfifo", [path]);
        p.WaitForExit();
        return path;
    }

    [Fact]
    public void A_fifo_given_directly_is_skipped_in_one_line_and_never_opened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fifo = MkFifo("x.jsonl");
        var link = Path.Combine(_dir, "link.jsonl");
        File.CreateSymbolicLink(link, fifo);
        foreach (var target in new[] { fifo, link })
        {
            foreach (var command in new[] { "lint", "fix" })
            {
                var (code, _, err) = Run(command, target); // would block forever if it opened the FIFO
                code.ShouldBe(2, $"{command} {target}");
                err.ShouldContain($"transcriptlint: error: skipped {target}: it is a FIFO (named pipe), not a regular file (never opened)");
            }
        }

        var fixedOne = Run("fix", fifo).Err;
        fixedOne.ShouldNotContain("0 finding(s) remain\n", Case.Sensitive, "a refusal never reads as a clean result");
        fixedOne.ShouldContain("1 input(s) refused or unreadable");
    }

    [Fact]
    public void A_fifo_in_a_folder_is_skipped_with_a_warning_and_the_other_files_are_linted_and_fixed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        MkFifo("sessions/pipe.jsonl");
        var broken = Copy("common/b-crash-mid-tool.jsonl", folder: "sessions");
        var folder = Path.Combine(_dir, "sessions");

        var lint = Run("lint", folder);
        lint.Code.ShouldBe(1, "the FIFO is only a warning; the broken session's finding decides");
        lint.Err.ShouldContain("transcriptlint: warning: skipped ");
        lint.Err.ShouldContain("pipe.jsonl: it is a FIFO (named pipe), not a regular file (never opened)");
        lint.Out.ShouldContain("TL3001");

        var json = Run("lint", folder, "--format", "json");
        json.Code.ShouldBe(1);
        System.Text.Json.JsonDocument.Parse(json.Out).Dispose(); // the warning stays on stderr

        var fix = Run("fix", folder);
        fix.Code.ShouldBe(0);
        fix.Out.ShouldContain("fixed TL3001");
        File.ReadAllBytes(broken).ShouldBe(File.ReadAllBytes(Fixture("common/b-crash-mid-tool.fixed.jsonl")));
    }

    [Fact]
    public void A_subfolder_beyond_PATH_MAX_is_reported_on_its_own_and_the_other_files_are_still_linted()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var root = Path.Combine(_dir, "root");
        Copy("common/b-crash-mid-tool.jsonl", folder: "root");
        // Built one cd at a time: each step is short, the whole path is over 4096 bytes.
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = root, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("n=$(printf 'd%.0s' $(seq 1 250)); for i in $(seq 1 18); do mkdir $n && cd $n || exit 1; done; echo '{}' > deep.jsonl");
        using (var mk = Process.Start(psi)!)
        {
            mk.WaitForExit();
            mk.ExitCode.ShouldBe(0);
        }

        var (code, stdout, stderr) = Run("lint", root);

        code.ShouldBe(2, "a folder could not be read");
        var errors = stderr.Split('\n').Where(l => l.StartsWith("transcriptlint: error: cannot read folder", StringComparison.Ordinal)).ToList();
        errors.Count.ShouldBe(1);
        errors[0].ShouldContain("beyond PATH_MAX; the other files are still linted");
        errors[0].Length.ShouldBeLessThan(400, "a 4 KB path is shortened in the message");
        stdout.ShouldContain("b-crash-mid-tool.jsonl(10,339): error TL3001");
    }

    [Fact]
    public void A_253_character_file_name_is_fixed_with_short_enough_temp_and_backup_names()
    {
        var name = new string('s', 247) + ".jsonl";
        var path = Copy("common/b-crash-mid-tool.jsonl", name);

        var (code, stdout, stderr) = Run("fix", path);

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("fixed TL3001");
        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture("common/b-crash-mid-tool.fixed.jsonl")));
        var backup = Directory.GetFiles(_dir).Single(f => f != path);
        Path.GetFileName(backup).ShouldBe(new string('s', 242) + "~" + Path.GetFileName(backup)[243..251] + ".bak");
        File.ReadAllBytes(backup).ShouldBe(File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl")));
        stderr.ShouldContain($"original kept as {backup} (undo: mv {backup} {path})");
        stderr.ShouldEndWith("1 fix(es) applied in 1 file(s); 0 finding(s) remain\n");
    }

    [Fact]
    public void Fix_then_fix_unsafe_keeps_every_backup_and_the_readme_undo_restores_the_original()
    {
        // A torn last line (Safe fix) on a session whose dangling parent has only an Unsafe fix: both runs write.
        const string Case = "TL2001/fires-dangling-parent-mid-file";
        var path = Copy(Case + ".jsonl", "SESSION.jsonl");
        File.AppendAllText(path, "{\"type\":\"user\",\"message\":{\"role\":\"us");
        var original = File.ReadAllBytes(path);

        var first = Run("fix", path);
        first.Code.ShouldBe(1, "the dangling parent is left for --unsafe-fixes");
        first.Err.ShouldContain($"original kept as {path}.bak (undo: mv {path}.bak {path})");
        var second = Run("fix", "--unsafe-fixes", path);
        second.Code.ShouldBe(0, second.Err);
        second.Err.ShouldContain($"original kept as {path}.bak.1 (undo: mv {path}.bak.1 {path})");

        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture(Case + ".unsafe-fixed.jsonl")));
        File.ReadAllBytes(path + ".bak").ShouldBe(original, "the first backup is never overwritten");
        File.ReadAllBytes(path + ".bak.1").ShouldBe(File.ReadAllBytes(Fixture(Case + ".jsonl")), "the state between the two runs");

        File.Move(path + ".bak", path, overwrite: true); // README: mv SESSION.jsonl.bak SESSION.jsonl
        File.ReadAllBytes(path).ShouldBe(original);
    }

    [Fact]
    public void A_second_fix_while_the_first_holds_the_lock_refuses_in_one_line_with_exit_2()
    {
        var path = Copy("common/b-crash-mid-tool.jsonl");
        using (Engine.Files.FixLock.Acquire(path))
        {
            var (code, stdout, stderr) = Run("fix", path);
            code.ShouldBe(2);
            stdout.ShouldBeEmpty();
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].ShouldMatch(@"^transcriptlint: error: refused: .*b-crash-mid-tool\.jsonl is being fixed by another transcriptlint \(lock \.b-crash-mid-tool\.jsonl\.tl-lock held\); wait for it to finish, then run fix again$");
            stderr.ShouldNotContain("0 finding(s) remain\n");
        }

        File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl")));
        File.Exists(path + ".bak").ShouldBeFalse();
        Run("fix", path).Code.ShouldBe(0, "the lock was released");
    }
}
