using TranscriptLint.Engine.Fixing;
using static TranscriptLint.Tests.Fixing.FixerHarness;

namespace TranscriptLint.Tests.Fixing;

public sealed class SafeFileWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tl-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Replaces_the_file_and_keeps_a_backup_of_the_original()
    {
        var original = Utf8("{\"a\":1}\n");
        var path = Write("s.jsonl", original);
        SafeFileWriter.Replace(path, ContentHash.Of(original), original.Length, Utf8("{\"a\":2}\n"), keepBackup: true);
        File.ReadAllBytes(path).ShouldBe(Utf8("{\"a\":2}\n"));
        File.ReadAllBytes(path + ".bak").ShouldBe(original);
        Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["s.jsonl", "s.jsonl.bak"]);
    }

    // A modification time no copy made by the test can have.
    private static readonly DateTime LongAgo = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private (byte[] Original, string Path) WrittenLongAgo()
    {
        var original = Utf8("{\"a\":1}\n");
        var path = Write("s.jsonl", original);
        File.SetLastWriteTimeUtc(path, LongAgo);
        return (original, path);
    }

    [Fact]
    public void The_backup_is_the_original_file_itself_where_the_file_system_has_hard_links()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // copied there (below)
        }

        var (original, path) = WrittenLongAgo();

        SafeFileWriter.Replace(path, ContentHash.Of(original), original.Length, Utf8("{\"a\":2}\n"), keepBackup: true, expectedWriteTimeUtc: LongAgo);

        File.ReadAllBytes(path + ".bak").ShouldBe(original);
        File.GetLastWriteTimeUtc(path + ".bak").ShouldBe(LongAgo, "the original under a second name, not a copy written now");
        File.AppendAllText(path, "{\"a\":3}\n");
        File.ReadAllBytes(path + ".bak").ShouldBe(original, "the fixed file is a new one: writing it leaves the backup alone");
        Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["s.jsonl", "s.jsonl.bak"]);
    }

    [Fact]
    public void Without_hard_links_the_backup_is_a_checked_copy()
    {
        var (original, path) = WrittenLongAgo();
        var links = 0;

        using (var staged = new StagedReplacement(path, ContentHash.Of(original), original.Length, keepBackup: true, LongAgo) { Link = (_, _) => ++links < 0 })
        {
            staged.StageResult(s => s.Write(Utf8("{\"a\":2}\n")));
            staged.StagedFiles.ShouldBe(2, "the copy of the original is staged beside the result");
            staged.Commit().ShouldBe(path + ".bak");
        }

        links.ShouldBe(1, "asked once, when the first result was staged");
        File.ReadAllBytes(path).ShouldBe(Utf8("{\"a\":2}\n"));
        File.ReadAllBytes(path + ".bak").ShouldBe(original);
        File.GetLastWriteTimeUtc(path + ".bak").ShouldNotBe(LongAgo, "a copy written by the fix");
        Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["s.jsonl", "s.jsonl.bak"]);
    }

    [Fact]
    public void A_link_refused_at_the_commit_after_the_probe_allowed_one_falls_back_to_a_checked_copy()
    {
        var original = Utf8("{\"a\":1}\n");
        var path = Write("s.jsonl", original);
        var links = 0;

        using (var staged = new StagedReplacement(path, ContentHash.Of(original), original.Length, keepBackup: true, null) { Link = (from, to) => ++links == 1 && HardLinkOrCopy(from, to) })
        {
            staged.StageResult(s => s.Write(Utf8("{\"a\":2}\n")));
            staged.StagedFiles.ShouldBe(1, "the probe allowed a link: only the result is staged");
            staged.Commit().ShouldBe(path + ".bak");
        }

        links.ShouldBe(2);
        File.ReadAllBytes(path).ShouldBe(Utf8("{\"a\":2}\n"));
        File.ReadAllBytes(path + ".bak").ShouldBe(original);
        Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["s.jsonl", "s.jsonl.bak"]);
    }

    // Stands in for a successful probe link wherever the test runs: a file under the probe's name, deleted by the probe.
    private static bool HardLinkOrCopy(string from, string to)
    {
        File.Copy(from, to);
        return true;
    }

    [Fact]
    public void No_backup_when_asked_and_the_file_mode_is_kept()
    {
        var original = Utf8("{\"a\":1}\n");
        var path = Write("s.jsonl", original);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        SafeFileWriter.Replace(path, ContentHash.Of(original), original.Length, Utf8("{\"a\":2}\n"), keepBackup: false);
        File.Exists(path + ".bak").ShouldBeFalse();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public void Refuses_when_the_file_changed_after_it_was_read()
    {
        var original = Utf8("{\"a\":1}\n");
        var path = Write("s.jsonl", original);
        File.AppendAllText(path, "{\"a\":3}\n"); // an agent appended meanwhile
        var appended = File.ReadAllBytes(path);
        Should.Throw<TranscriptChangedException>(() => SafeFileWriter.Replace(path, ContentHash.Of(original), original.Length, Utf8("{\"a\":2}\n"), keepBackup: true));
        File.ReadAllBytes(path).ShouldBe(appended);
        File.Exists(path + ".bak").ShouldBeFalse();

        // Same length, different bytes: the hash catches it.
        File.WriteAllBytes(path, Utf8("{\"a\":9}\n"));
        Should.Throw<TranscriptChangedException>(() => SafeFileWriter.Replace(path, ContentHash.Of(original), original.Length, Utf8("{\"a\":2}\n"), keepBackup: false));
    }

    [Fact]
    public void A_write_that_fails_half_way_leaves_the_original_intact_and_no_temp_file()
    {
        var original = Utf8(string.Concat(Enumerable.Repeat("{\"type\":\"user\",\"uuid\":\"x\"}\n", 1000)));
        var path = Write("s.jsonl", original);
        var fixedBytes = Utf8(string.Concat(Enumerable.Repeat("{\"type\":\"user\",\"uuid\":\"y\"}\n", 1000)));

        Should.Throw<IOException>(() => SafeFileWriter.Replace(path, ContentHash.Of(original), original.Length, fixedBytes, keepBackup: false,
            openTemp: temp => new FailingStream(new FileStream(temp, FileMode.CreateNew), failAfter: 4096)));

        File.ReadAllBytes(path).ShouldBe(original);
        Directory.GetFiles(_dir).Select(Path.GetFileName).ShouldBe(["s.jsonl"]);
    }

    [Fact]
    public void A_symlinked_transcript_is_replaced_through_the_link()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var original = Utf8("{\"a\":1}\n");
        var real = Write("real.jsonl", original);
        var link = Path.Combine(_dir, "link.jsonl");
        File.CreateSymbolicLink(link, real);
        SafeFileWriter.Replace(link, ContentHash.Of(original), original.Length, Utf8("{\"a\":2}\n"), keepBackup: false);
        new FileInfo(link).LinkTarget.ShouldNotBeNull();
        File.ReadAllBytes(real).ShouldBe(Utf8("{\"a\":2}\n"));
    }

    /// <summary>A stream that writes some bytes, then fails like a full disk.</summary>
    private sealed class FailingStream(Stream inner, int failAfter) : TempFileStream(inner)
    {
        private int _written;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var room = Math.Max(0, failAfter - _written);
            Inner.Write(buffer[..Math.Min(room, buffer.Length)]);
            _written += Math.Min(room, buffer.Length);
            if (buffer.Length > room)
            {
                Inner.Flush();
                throw new IOException("No space left on device");
            }
        }
    }
}
