using System.Diagnostics;
using System.Globalization;
using System.Text;
using TranscriptLint.Engine.Files;
using Xunit.Abstractions;

namespace TranscriptLint.Tests;

/// <summary>
/// <c>fix</c> as separate processes under kill -9, a second <c>fix</c> and an agent that keeps appending. CI runs a
/// few rounds of each; the stress run takes more from the environment (TL_KILL_ROUNDS, TL_KILL_SEED,
/// TL_CONCURRENT_TRIALS, TL_APPEND_TRIALS, TL_STRESS_LINES), see docs/fix-safety.md:
/// <c>TL_KILL_ROUNDS=50 dotnet test tests/TranscriptLint.Cli.Tests --filter FixUnderStress --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class FixUnderStressTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tl-stress-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int Setting(string name, int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : ciDefault;

    /// <summary>The crash-mid-tool sample (a Safe TL3001 fix) grown with file-history snapshots to several MB after its first prompt.</summary>
    private static byte[] LargeBrokenTranscript()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Fixtures, "claude-code", "common", "b-crash-mid-tool.jsonl"));
        var text = new StringBuilder();
        // The padding goes after the first prompt (line 4): before it, the prompt would lie beyond the 64 KB head
        // Claude Code reads to list sessions, a TL7001 finding that no fix removes.
        const int HeadLines = 4;
        foreach (var line in lines.Take(HeadLines))
        {
            text.Append(line).Append('\n');
        }

        var padding = new string('x', 900);
        for (var i = 0; i < Setting("TL_STRESS_LINES", 2000); i++)
        {
            var id = new Guid(i, 0, 0, new byte[8]).ToString();
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"file-history-snapshot\",\"messageId\":\"{id}\",\"snapshot\":{{\"messageId\":\"{id}\",\"trackedFileBackups\":{{\"src/f{i}.ts\":{{\"backupFileName\":\"{padding}\",\"version\":1}}}},\"timestamp\":\"2026-02-12T09:14:10.231Z\"}},\"isSnapshotUpdate\":true}}\n");
        }

        foreach (var line in lines.Skip(HeadLines))
        {
            text.Append(line).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static Process StartFix(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "transcriptlint.dll"));
        psi.ArgumentList.Add("fix");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(psi)!;
    }

    private static (int Exit, string Out, string Err) Finish(Process p)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill();
            throw new TimeoutException("fix did not finish");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private string[] Leftovers(string name) =>
        [.. Directory.GetFiles(_dir).Select(p => Path.GetFileName(p)!).Where(n => SidecarNames.IsTempOf(name, n) || n == SidecarNames.Lock(name)).Order(StringComparer.Ordinal)];

    private void Reset(string path, byte[] original)
    {
        foreach (var f in Directory.GetFiles(_dir))
        {
            File.Delete(f);
        }

        File.WriteAllBytes(path, original);
    }

    /// <summary>Fixes a copy elsewhere: the bytes a complete fix writes, and how long a whole run takes.</summary>
    private (byte[] Fixed, TimeSpan Duration) Calibrate(byte[] original)
    {
        var dir = Directory.CreateTempSubdirectory("tl-stress-ref-").FullName;
        try
        {
            var path = Path.Combine(dir, "s.jsonl");
            File.WriteAllBytes(path, original);
            var clock = Stopwatch.StartNew();
            var (exit, _, err) = Finish(StartFix(dir, "--no-backup", path));
            clock.Stop();
            exit.ShouldBe(0, err);
            var fixedBytes = File.ReadAllBytes(path);
            fixedBytes.ShouldNotBe(original);
            return (fixedBytes, clock.Elapsed);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Kill_9_at_random_points_leaves_the_original_or_the_complete_fix_and_the_next_run_removes_every_temp_file()
    {
        var rounds = Setting("TL_KILL_ROUNDS", 3);
        var seed = Setting("TL_KILL_SEED", 9);
        var original = LargeBrokenTranscript();
        var (expected, duration) = Calibrate(original);
        var path = Path.Combine(_dir, "s.jsonl");
        var schedule = new Random(seed); // the same kill points (as fractions of a whole run) for a seed
        int keptOriginal = 0, complete = 0, withTemp = 0, finishedFirst = 0;
        for (var round = 0; round < rounds; round++)
        {
            Reset(path, original);
            var delay = duration * (0.05 + (0.9 * schedule.NextDouble()));
            using var fix = StartFix(_dir, path);
            Thread.Sleep(delay);
            if (fix.HasExited)
            {
                finishedFirst++;
            }
            else
            {
                fix.Kill(); // SIGKILL on Unix: no finally block, no handler runs
            }

            fix.WaitForExit();
            var now = File.ReadAllBytes(path);
            var isOriginal = now.AsSpan().SequenceEqual(original);
            (isOriginal || now.AsSpan().SequenceEqual(expected)).ShouldBeTrue($"round {round}: the transcript is neither the original nor the complete fix ({now.Length} bytes)");
            keptOriginal += isOriginal ? 1 : 0;
            complete += isOriginal ? 0 : 1;
            foreach (var backup in Directory.GetFiles(_dir, "s.jsonl.bak*"))
            {
                File.ReadAllBytes(backup).ShouldBe(original, $"round {round}: a backup is always the whole original");
            }

            withTemp += Leftovers("s.jsonl").Any(n => n.Contains(SidecarNames.TempMarker, StringComparison.Ordinal)) ? 1 : 0;

            var next = Finish(StartFix(_dir, path));
            next.Exit.ShouldBe(0, $"round {round}: {next.Err}");
            File.ReadAllBytes(path).ShouldBe(expected);
            Leftovers("s.jsonl").ShouldBeEmpty($"round {round}: the next run removes what the killed one left");
        }

        output.WriteLine($"kill -9: {rounds} rounds (seed {seed}, {original.Length / 1e6:0.0} MB, a whole run {duration.TotalSeconds:0.0} s): " +
            $"{keptOriginal} left the original, {complete} the complete fix, {withTemp} left a temp file (removed by the next run), {finishedFirst} finished before the kill; 0 corrupt");
    }

    [Fact]
    public void Two_fixes_on_one_file_at_once_one_wins_and_the_backup_holds_the_original()
    {
        var trials = Setting("TL_CONCURRENT_TRIALS", 2);
        var original = LargeBrokenTranscript();
        var (expected, _) = Calibrate(original);
        var path = Path.Combine(_dir, "s.jsonl");
        var refusals = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            Reset(path, original);
            using var a = StartFix(_dir, path);
            using var b = StartFix(_dir, path);
            var results = new[] { Finish(a), Finish(b) };

            results.Count(r => r.Out.Contains("fixed TL3001", StringComparison.Ordinal)).ShouldBe(1, $"trial {trial}: exactly one run applies the fix");
            foreach (var r in results.Where(r => !r.Out.Contains("fixed TL3001", StringComparison.Ordinal)))
            {
                if (r.Exit == 2)
                {
                    refusals++;
                    r.Err.ShouldContain("is being fixed by another transcriptlint");
                }
                else
                {
                    r.Exit.ShouldBe(0, $"trial {trial}: the later run found nothing to do: {r.Err}");
                }
            }

            File.ReadAllBytes(path).ShouldBe(expected);
            File.ReadAllBytes(path + ".bak").ShouldBe(original, $"trial {trial}: the backup holds the original");
            File.Exists(path + ".bak.1").ShouldBeFalse();
            Leftovers("s.jsonl").ShouldBeEmpty();
        }

        output.WriteLine($"concurrent fix: {trials} trials, {refusals} with the second run refused (exit 2) while the first held the lock, {trials - refusals} where it ran after; every .bak held the original");
    }

    [Fact]
    public void An_agent_appending_while_fix_runs_never_loses_a_line()
    {
        var trials = Setting("TL_APPEND_TRIALS", 2);
        var original = LargeBrokenTranscript();
        var path = Path.Combine(_dir, "s.jsonl");
        var refused = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            Reset(path, original);
            var appended = new List<string>();
            using var fix = StartFix(_dir, path); // prints a few lines only: its pipes cannot fill before Finish reads them
            Thread.Sleep(TimeSpan.FromMilliseconds(200 * (trial % 3))); // a first append early, late or in between
            do
            {
                var line = $"{{\"type\":\"agent-append\",\"trial\":{trial},\"n\":{appended.Count}}}";
                File.AppendAllText(path, line + "\n"); // open, append, close: as an agent writes a line
                appended.Add(line);
                Thread.Sleep(25);
            }
            while (!fix.HasExited);

            var (exit, _, stderr) = Finish(fix);
            var final = File.ReadAllText(path).Split('\n');
            foreach (var line in appended)
            {
                final.ShouldContain(line, $"trial {trial}: an appended line was lost (fix exit {exit}: {stderr})");
            }

            if (exit == 2)
            {
                refused++;
                stderr.ShouldContain("changed after it was read");
                stderr.ShouldContain("Stop the agent first");
            }

            Leftovers("s.jsonl").ShouldBeEmpty();
        }

        output.WriteLine($"append during fix: {trials} trials, {refused} refused (the file changed under fix), {trials - refused} fixed before the first append reached it; 0 lines lost");
    }

    [Fact]
    public void An_agent_that_keeps_the_file_open_is_named_and_its_later_write_is_not_lost()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var path = Path.Combine(_dir, "s.jsonl");
        var original = File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "claude-code", "common", "b-crash-mid-tool.jsonl"));
        File.WriteAllBytes(path, original);
        // The agent: a shell holding the session open with O_APPEND; it writes a line when told to, like Claude Code after fix.
        var psi = new ProcessStartInfo("bash") { RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec 3>>\"$0\"; read -r line; printf '%s\\n' \"$line\" >&3");
        psi.ArgumentList.Add(path);
        using var agent = Process.Start(psi)!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (OpenWriterProbe.Find(path).Count == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        var (exit, stdout, stderr) = Finish(StartFix(_dir, path));

        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain($"is open for writing by pid {agent.Id} (bash");
        stderr.ShouldContain("stop the agent (quit the session) first");
        File.ReadAllBytes(path).ShouldBe(original, "nothing was replaced under the agent");

        agent.StandardInput.WriteLine("{\"type\":\"agent-append\",\"after\":\"fix\"}");
        agent.StandardInput.Close();
        agent.WaitForExit();
        File.ReadAllText(path).ShouldEndWith("{\"type\":\"agent-append\",\"after\":\"fix\"}\n", Case.Sensitive, "the agent's line went into the file, not an unlinked one");
        Leftovers("s.jsonl").ShouldBeEmpty();
        File.Exists(path + ".bak").ShouldBeFalse();
    }
}
