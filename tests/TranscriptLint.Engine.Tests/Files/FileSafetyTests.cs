using System.Diagnostics;
using System.Text;
using TranscriptLint.Engine.Files;
using TranscriptLint.Engine.Fixing;
using static TranscriptLint.Tests.Fixing.FixerHarness;

namespace TranscriptLint.Tests.Files;

/// <summary>Backups, temp and lock names, the per-file lock, the open-writer probe and special files.</summary>
public sealed class FileSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tl-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, Utf8(text));
        return path;
    }

    private static string? Replace(string path, string newText, bool keepBackup = true, Action? beforeRename = null)
    {
        var now = File.ReadAllBytes(path);
        return SafeFileWriter.Replace(path, ContentHash.Of(now), now.Length, Utf8(newText), keepBackup, beforeRename: beforeRename);
    }

    private string[] Names() => [.. Directory.GetFileSystemEntries(_dir).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_first_backup_is_never_overwritten_and_later_runs_number_theirs()
    {
        var path = Write("s.jsonl", "original\n");
        Replace(path, "first fix\n").ShouldBe(path + ".bak");
        Replace(path, "second fix\n").ShouldBe(path + ".bak.1");
        Replace(path, "third fix\n").ShouldBe(path + ".bak.2");

        File.ReadAllText(path + ".bak").ShouldBe("original\n", "README's undo (mv FILE.bak FILE) brings the original back after any number of runs");
        File.ReadAllText(path + ".bak.1").ShouldBe("first fix\n");
        File.ReadAllText(path + ".bak.2").ShouldBe("second fix\n");
        Names().ShouldBe(["s.jsonl", "s.jsonl.bak", "s.jsonl.bak.1", "s.jsonl.bak.2"]);
    }

    [Fact]
    public void A_253_character_name_gets_temp_and_backup_names_within_NAME_MAX()
    {
        var name = new string('s', 247) + ".jsonl";
        name.Length.ShouldBe(253);
        var path = Write(name, "original\n");

        var backup = Replace(path, "fixed\n")!;
        var second = Replace(path, "fixed again\n")!;

        File.ReadAllText(path).ShouldBe("fixed again\n");
        File.ReadAllText(backup).ShouldBe("original\n");
        File.ReadAllText(second).ShouldBe("fixed\n");
        Path.GetFileName(backup).ShouldEndWith(".bak");
        Path.GetFileName(second).ShouldEndWith(".bak.1");
        foreach (var n in new[] { Path.GetFileName(backup), Path.GetFileName(second), SidecarNames.Lock(name), SidecarNames.NewTemp(name) })
        {
            Encoding.UTF8.GetByteCount(n).ShouldBeLessThanOrEqualTo(SidecarNames.NameMax, n);
        }

        SidecarNames.Backup(name, 0).ShouldBe(SidecarNames.Backup(name, 0), "names are deterministic");
        SidecarNames.IsTempOf(name, SidecarNames.NewTemp(name)).ShouldBeTrue();
        Names().Length.ShouldBe(3, "no temp file is left");
    }

    [Fact]
    public void Multi_byte_names_are_cut_at_a_character_boundary()
    {
        var name = string.Concat(Enumerable.Repeat("é", 124)) + ".jsonl"; // 254 bytes
        var stem = SidecarNames.Backup(name, 12);
        Encoding.UTF8.GetByteCount(stem).ShouldBeLessThanOrEqualTo(255);
        stem.ShouldNotContain("\uFFFD");
        stem.ShouldEndWith(".bak.12");
    }

    [Fact]
    public void Temp_files_of_an_interrupted_run_are_removed_when_the_next_fix_takes_the_lock()
    {
        var path = Write("s.jsonl", "x\n");
        var stale = Write(SidecarNames.NewTemp("s.jsonl"), "half a fix");
        var legacy = Write(".s.jsonl.0123456789ab.tmp", "half a fix from 0.1");
        var other = Write(SidecarNames.NewTemp("t.jsonl"), "another transcript's temp");
        var unrelated = Write(".s.jsonl.notes", "kept");

        using (var held = FixLock.Acquire(path))
        {
            held.RemovedTempFiles.Order(StringComparer.Ordinal).ShouldBe(new[] { legacy, stale }.Order(StringComparer.Ordinal));
            File.Exists(held.LockPath).ShouldBeTrue();
        }

        File.Exists(other).ShouldBeTrue("only the temps of the transcript being fixed are touched");
        File.Exists(unrelated).ShouldBeTrue();
        Names().ShouldBe([".s.jsonl.notes", Path.GetFileName(other), "s.jsonl"], "the lock file is deleted on release");
    }

    [Fact]
    public void A_second_fix_on_the_same_file_is_refused_while_the_first_holds_the_lock()
    {
        var path = Write("s.jsonl", "x\n");
        using (FixLock.Acquire(path))
        {
            var refused = Should.Throw<TranscriptBusyException>(() => FixLock.Acquire(path, "s.jsonl"));
            refused.Message.ShouldStartWith("s.jsonl is being fixed by another transcriptlint");
            refused.Message.ShouldContain("wait for it to finish");
        }

        using var again = FixLock.Acquire(path); // released: free again
        again.Transcript.ShouldBe(Path.GetFullPath(path));
    }

    [Fact]
    public void A_line_appended_right_before_the_rename_is_never_lost()
    {
        var path = Write("s.jsonl", "{\"a\":1}\n");
        Should.Throw<TranscriptChangedException>(() => Replace(path, "{\"a\":2}\n", beforeRename: () => File.AppendAllText(path, "{\"agent\":\"late line\"}\n")))
            .Message.ShouldContain("Stop the agent first");
        File.ReadAllText(path).ShouldBe("{\"a\":1}\n{\"agent\":\"late line\"}\n");
        // The backup is renamed into place with the new bytes, after the last check: nothing was replaced, so none is kept.
        Names().ShouldBe(["s.jsonl"], "the staged backup and new bytes are removed");
    }

    [Fact]
    public void A_process_that_holds_the_file_open_for_appending_is_named_and_fix_refuses()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var path = Write("s.jsonl", "{\"a\":1}\n");
        using var agent = HoldOpenForAppend(path);
        var writers = OpenWriterProbe.Find(path);
        writers.Select(w => w.Pid).ShouldBe([agent.Id]);
        writers[0].Command.ShouldStartWith("sleep");

        var refused = Should.Throw<TranscriptBusyException>(() => FixLock.Acquire(path, "s.jsonl"));
        refused.Message.ShouldContain($"s.jsonl is open for writing by pid {agent.Id} (sleep");
        refused.Message.ShouldContain("stop the agent");
        Should.Throw<TranscriptBusyException>(() => Replace(path, "{\"a\":2}\n"));
        File.ReadAllText(path).ShouldBe("{\"a\":1}\n");
        Names().ShouldBe(["s.jsonl"], "neither a backup, a temp nor the lock is left");

        agent.Kill();
        agent.WaitForExit();
        OpenWriterProbe.Find(path).ShouldBeEmpty();
        OpenWriterProbe.Find(Write("read-only-use.jsonl", "x\n")).ShouldBeEmpty("a process reading a file is not a writer");
    }

    [Fact]
    public void Fifos_sockets_and_devices_are_told_apart_without_opening_them()
    {
        var regular = Write("s.jsonl", "x\n");
        FileKinds.Of(regular).ShouldBe(FileKind.Regular);
        FileKinds.Of(_dir).ShouldBe(FileKind.Directory);
        FileKinds.Of(Path.Combine(_dir, "missing.jsonl")).ShouldBe(FileKind.Missing);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fifo = Path.Combine(_dir, "pipe.jsonl");
        Process.Start("mkfifo", [fifo])!.WaitForExit();
        FileKinds.Of(fifo).ShouldBe(FileKind.Fifo);
        var link = Path.Combine(_dir, "link.jsonl");
        File.CreateSymbolicLink(link, fifo);
        FileKinds.Of(link).ShouldBe(FileKind.Fifo, "links are followed");
        FileKinds.Of("/dev/null").ShouldBe(FileKind.CharacterDevice);
        Should.Throw<NotARegularFileException>(() => FileKinds.EnsureNotSpecial(link, "link.jsonl")).Message
            .ShouldBe("link.jsonl is a FIFO (named pipe), not a regular file; skipped without opening it");
    }

    /// <summary>An "agent": a child process with the file open O_APPEND (bash's <c>&gt;&gt;</c>), idle until killed.</summary>
    internal static Process HoldOpenForAppend(string path)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec sleep 300 >>\"$0\"");
        psi.ArgumentList.Add(path);
        var p = Process.Start(psi)!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!OpenWriterProbe.Find(path).Any(w => w.Command.StartsWith("sleep", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20); // until the child has exec'ed with the descriptor open
        }

        return p;
    }
}
