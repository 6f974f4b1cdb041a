using TranscriptLint.Engine.Fixing;
using static TranscriptLint.Tests.Fixing.FixerHarness;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// The fix's result written while its last lint runs (<see cref="WriteAhead"/>, what `transcriptlint fix` does): the
/// same bytes and backup as writing after the fix, nothing staged left behind, and a file that changes meanwhile is
/// never replaced.
/// </summary>
public sealed class WriteAheadTests : IDisposable
{
    private static readonly string[] Session = File.ReadAllLines(Path.Combine(RepoPaths.Fixtures, "samples", "clean-real-ccviewer-5c0375b4.jsonl"));

    private readonly string _dir = Directory.CreateTempSubdirectory("tl-writeahead-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A real session cut mid-line, as a crash leaves it (its first 24 lines are a complete exchange): one pass.
    private static byte[] Torn() => Utf8(string.Join('\n', Session[..24]) + "\n" + Session[24][..(Session[24].Length / 2)]);

    // Two lines glued by a lost newline, the second also written again after them (a retried write): splitting them
    // leaves a byte-identical copy, which only the second pass sees.
    private static byte[] GluedAndRetried() => Utf8(string.Join('\n', [.. Session[..10], Session[10] + Session[11], Session[11], .. Session[12..24]]) + "\n");

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(_dir, "s.jsonl");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string[] Names() => [.. Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    // Where the backup is a hard link made at the commit (Unix), only the result is staged; else a copy of the original too.
    private static int Staged(bool keepBackup, bool copyBackup) => keepBackup && (copyBackup || OperatingSystem.IsWindows()) ? 2 : 1;

    // A file system without hard links, as FAT or some network shares: the backup is copied ahead like the result.
    private static Func<string, string, bool>? NoLinks(bool copyBackup) => copyBackup ? (_, _) => false : null;

    // Fixes the file as `transcriptlint fix` does; returns the fixed bytes and how many temps were ready before the commit.
    private static (byte[] Fixed, int StagedBeforeCommit) FixAhead(string path, bool keepBackup, Action<string>? beforeCommit = null, bool copyBackup = false)
    {
        using var source = FixSource.OpenFile(path);
        using var ahead = new WriteAhead(path, source.Hash, source.Length, keepBackup, File.GetLastWriteTimeUtc(path), openTemp: null, NoLinks(copyBackup));
        var outcome = new TranscriptFixer(NewEngine(), new FixOptions()).Fix(source, "s.jsonl", ahead);
        var fixedBytes = outcome.Fixed;
        var staged = ahead.StagedFiles;
        Directory.GetFiles(Path.GetDirectoryName(path)!).Length.ShouldBe(1 + staged, "the staged temps sit beside the transcript");
        beforeCommit?.Invoke(path);
        ahead.Commit(outcome.Content);
        return (fixedBytes, staged);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void A_one_pass_fix_writes_the_same_bytes_and_backup_as_writing_after_it(bool keepBackup, bool copyBackup)
    {
        var original = Torn();
        var expected = Fix(original);
        expected.Passes.ShouldBe(1);
        var path = Write(original);

        var (fixedBytes, staged) = FixAhead(path, keepBackup, copyBackup: copyBackup);

        staged.ShouldBe(Staged(keepBackup, copyBackup), "the result (and a copied backup) were written during the fix, before the commit");
        fixedBytes.ShouldBe(expected.Fixed);
        File.ReadAllBytes(path).ShouldBe(expected.Fixed);
        if (keepBackup)
        {
            File.ReadAllBytes(path + ".bak").ShouldBe(original);
        }

        Names().ShouldBe(keepBackup ? ["s.jsonl", "s.jsonl.bak"] : ["s.jsonl"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_result_that_another_pass_replaced_is_written_again_and_the_first_is_deleted(bool copyBackup)
    {
        var original = GluedAndRetried();
        var expected = Fix(original);
        expected.Passes.ShouldBe(2);
        expected.Applied.Select(a => a.RuleId).ShouldBe(["TL1001", "TL1003"]);
        var path = Write(original);

        var (fixedBytes, staged) = FixAhead(path, keepBackup: true, copyBackup: copyBackup);

        staged.ShouldBe(Staged(keepBackup: true, copyBackup), "the last pass's result (and a copied backup): the first pass's was deleted when the second was staged");
        File.ReadAllBytes(path).ShouldBe(expected.Fixed);
        fixedBytes.ShouldBe(expected.Fixed);
        File.ReadAllBytes(path + ".bak").ShouldBe(original);
        Names().ShouldBe(["s.jsonl", "s.jsonl.bak"]);
    }

    [Fact]
    public void A_line_appended_while_the_result_was_written_ahead_is_never_lost()
    {
        var original = Torn();
        var path = Write(original);

        Should.Throw<TranscriptChangedException>(() => FixAhead(path, keepBackup: true, beforeCommit: p => File.AppendAllText(p, "{\"agent\":\"late line\"}\n")))
            .Message.ShouldContain("Stop the agent first");

        File.ReadAllBytes(path).ShouldBe([.. original, .. Utf8("{\"agent\":\"late line\"}\n")]);
        Names().ShouldBe(["s.jsonl"], "nothing was replaced: the staged backup and result are deleted");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_fix_that_is_not_committed_leaves_nothing_behind(bool copyBackup)
    {
        var original = GluedAndRetried();
        var path = Write(original);
        using (var source = FixSource.OpenFile(path))
        using (var ahead = new WriteAhead(path, source.Hash, source.Length, keepBackup: true, null, openTemp: null, NoLinks(copyBackup)))
        {
            new TranscriptFixer(NewEngine(), new FixOptions()).Fix(source, "s.jsonl", ahead).Changed.ShouldBeTrue();

            // Counted once the staging has settled: right after the fix, the second pass's staging may be between
            // deleting the first pass's temp and creating its own.
            ahead.StagedFiles.ShouldBe(Staged(keepBackup: true, copyBackup));
            Directory.GetFiles(_dir).Length.ShouldBe(1 + Staged(keepBackup: true, copyBackup)); // the transcript, the staged result (and backup)
        }

        File.ReadAllBytes(path).ShouldBe(original);
        Names().ShouldBe(["s.jsonl"]);
    }

    [Fact]
    public async Task A_pass_does_not_wait_for_the_last_one_to_be_written_and_the_commit_writes_the_result()
    {
        var original = Torn();
        var path = Write(original);
        var first = Utf8(string.Join('\n', Session[..3]) + "\n");
        var last = Utf8(string.Join('\n', Session[..4]) + "\n");
        using var slowDisk = new ManualResetEventSlim();
        using (var ahead = new WriteAhead(path, ContentHash.Of(original), original.Length, keepBackup: false, null, temp => new GatedStream(new FileStream(temp, FileMode.CreateNew), slowDisk)))
        {
            ahead.Stage(FixedContent.Of(first)); // its writing blocks until the disk "catches up"
            var next = Task.Run(() => ahead.Stage(FixedContent.Of(last)));
            var wentOn = await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(5))) == next;
            slowDisk.Set();
            await next;
            wentOn.ShouldBeTrue("the next pass goes on without waiting for the last one's writing");
            ahead.Commit(FixedContent.Of(last)).ShouldBeNull();
        }

        File.ReadAllBytes(path).ShouldBe(last);
        Names().ShouldBe(["s.jsonl"], "the first pass's staged result is deleted");
    }

    [Fact]
    public void Content_that_was_never_staged_is_written_at_the_commit()
    {
        var original = Torn();
        var path = Write(original);
        var replacement = Utf8(string.Join('\n', Session[..5]) + "\n");
        using (var ahead = new WriteAhead(path, ContentHash.Of(original), original.Length, keepBackup: false))
        {
            ahead.Commit(FixedContent.Of(replacement)).ShouldBeNull();
        }

        File.ReadAllBytes(path).ShouldBe(replacement);
        Names().ShouldBe(["s.jsonl"]);
    }

    /// <summary>A temp file on a disk that takes its time: writes wait until the gate opens.</summary>
    private sealed class GatedStream(Stream inner, ManualResetEventSlim gate) : TempFileStream(inner)
    {
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            gate.Wait();
            Inner.Write(buffer);
        }
    }
}
