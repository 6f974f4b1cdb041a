using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Reporting;
using TranscriptLint.Sarif;
using TranscriptLint.Tests.Fixing;

namespace TranscriptLint.Tests;

/// <summary>
/// Reading and parsing a file on a second thread ahead of the rules (<see cref="LintOptions.ParseAhead"/>) changes
/// nothing in what a lint finds: the same SARIF bytes for every fixture of every dialect, for large files streamed from
/// disk (bytes copied into batches) and held in memory (slices), with a line too long to copy, torn and invalid lines;
/// the same error when the read fails midway; and a rule over its budget is still stopped.
/// </summary>
public sealed class ParseAheadTests
{
    private static readonly LintOptions OneThread = new() { HashFiles = true };
    private static readonly LintOptions Ahead = new() { HashFiles = true, ParseAhead = true, ParseAheadFrom = 0 };

    public static TheoryData<string> Fixtures() => [.. FixParityTests.Inputs.Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal))];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_fixture_gives_the_same_sarif_bytes_when_parsed_ahead(string fixture)
    {
        var path = Path.Combine(RepoPaths.Root, fixture);

        var ahead = Lint(Ahead, path, fixture);

        Sarif(ahead).ShouldBe(Sarif(Lint(OneThread, path, fixture)), fixture);
    }

    [Fact]
    public void A_large_file_with_a_line_too_long_to_copy_torn_lines_and_invalid_utf8_lints_the_same_streamed_and_in_memory()
    {
        var bytes = LargeTranscript();
        bytes.Length.ShouldBeGreaterThan(10 * 1024 * 1024, "several batches, and a line over the copy limit");
        var path = Path.Combine(Path.GetTempPath(), $"tl-ahead-{Guid.NewGuid():N}.jsonl");
        File.WriteAllBytes(path, bytes);
        try
        {
            var oneThread = Lint(OneThread, path, "big.jsonl");
            oneThread.Diagnostics.ShouldContain(d => d.Id == "TL1001", "the torn line is found");
            oneThread.Diagnostics.ShouldContain(d => d.Id == "TL1002", "the invalid UTF-8 is found");
            var expected = Sarif(oneThread);

            Sarif(Lint(Ahead, path, "big.jsonl")).ShouldBe(expected, "streamed from the file: bytes copied into batches");
            using var memory = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
            Sarif(new LintEngine(FixerHarness.Rules, Ahead).LintStream(memory, "big.jsonl")).ShouldBe(expected, "held in memory: slices of the bytes");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_read_that_fails_midway_fails_the_lint_with_the_same_error()
    {
        var bytes = LargeTranscript();

        var oneThread = Should.Throw<IOException>(() => new LintEngine(FixerHarness.Rules, OneThread).LintStream(new FailingStream(bytes, 3_000_000), "t.jsonl"));
        var ahead = Should.Throw<IOException>(() => new LintEngine(FixerHarness.Rules, Ahead).LintStream(new FailingStream(bytes, 3_000_000), "t.jsonl"));

        ahead.Message.ShouldBe(oneThread.Message);
    }

    [Fact]
    public void A_rule_over_its_budget_is_stopped_and_the_file_linted_again_without_it()
    {
        var bytes = LargeTranscript();
        var path = Path.Combine(Path.GetTempPath(), $"tl-ahead-{Guid.NewGuid():N}.jsonl");
        File.WriteAllBytes(path, bytes);
        try
        {
            var rules = FixerHarness.Rules.Append(new LoadedRule(new StuckRule(), "tests")).ToList();
            var result = new LintEngine(rules, new LintOptions { ParseAhead = true, ParseAheadFrom = 0, RuleTimeout = TimeSpan.FromMilliseconds(300) }).LintFile(path, "big.jsonl");

            result.Notifications.ShouldContain(n => n.Message.Contains("TST9001", StringComparison.Ordinal) && n.Message.Contains("was stopped", StringComparison.Ordinal));
            var without = new LintEngine(FixerHarness.Rules, OneThread).LintFile(path, "big.jsonl");
            result.Diagnostics.Select(d => d.ToString()).ShouldBe(without.Diagnostics.Select(d => d.ToString()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_fixer_writes_the_same_bytes_when_its_lints_parse_ahead()
    {
        var bytes = LargeTranscript();
        var options = new FixOptions(); // safe fixes: the torn last line, the repeated sessions' duplicate lines

        var oneThread = new TranscriptFixer(new LintEngine(FixerHarness.Rules, new LintOptions()), options).Fix(bytes, "big.jsonl");
        var ahead = new TranscriptFixer(new LintEngine(FixerHarness.Rules, new LintOptions { ParseAhead = true, ParseAheadFrom = 0 }), options).Fix(bytes, "big.jsonl");

        oneThread.Applied.ShouldNotBeEmpty("the torn line is fixed");
        ahead.Applied.ShouldBe(oneThread.Applied);
        ahead.Fixed.ShouldBe(oneThread.Fixed);
    }

    [Fact]
    public void Each_document_stays_valid_until_the_next_line_is_taken_and_is_disposed_by_the_end()
    {
        var bytes = LargeTranscript();
        var taken = new List<JsonDocument>();
        using (var stream = new MemoryStream(bytes))
        using (var reader = new LineReader(stream))
        using (var ahead = new ParseAhead(reader, bytes.Length, copyBytes: true))
        {
            while (ahead.TryTake(out var line))
            {
                if (line.Document is { } document)
                {
                    IsDisposed(document).ShouldBeFalse("the consumer reads it until it takes the next line");
                    taken.Add(document);
                }
            }
        }

        taken.Count.ShouldBeGreaterThan(1_000, "many batches, and the huge line's own");
        taken.Where(d => !IsDisposed(d)).ShouldBeEmpty("the read-ahead disposes what the consumer no longer disposes");
    }

    private static bool IsDisposed(JsonDocument document)
    {
        try
        {
            _ = document.RootElement.ValueKind;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    private static FileLintResult Lint(LintOptions options, string path, string display) => new LintEngine(FixerHarness.Rules, options).LintFile(path, display);

    /// <summary>A lint's SARIF bytes, paths relative to the repository: what two ways of linting must agree on.</summary>
    internal static string Sarif(FileLintResult result)
    {
        var (sarif, _) = SarifWriter.Build(
            new SarifRunInput { Results = [result], Rules = [] },
            new SarifWriterOptions { SourceRoot = RepoPaths.Root, SourceRootUri = new Uri("file:///src/") });
        return Encoding.UTF8.GetString(sarif);
    }

    /// <summary>
    /// Real Claude Code sessions repeated past 10 MB, with CRLF and blank lines, a 5 MB line (over the 4 MB copy limit),
    /// a line of invalid UTF-8, a line of JSON that is not an object, and a torn last line.
    /// </summary>
    private static byte[] LargeTranscript()
    {
        var sessions = Directory.EnumerateFiles(Path.Combine(RepoPaths.RealCorpus, "claude-code"), "*.jsonl").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        using var output = new MemoryStream();
        for (var round = 0; output.Length < 12 * 1024 * 1024; round++)
        {
            foreach (var session in sessions)
            {
                output.Write(session);
            }

            if (round == 1)
            {
                output.Write("\r\n   \n{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\""u8);
                output.Write(Encoding.UTF8.GetBytes(new string('x', 5 * 1024 * 1024)));
                output.Write("\"}}\n"u8);
                output.Write("{\"type\":\"summary\",\"summary\":\"caf"u8);
                output.Write([0xC3, 0x28]); // invalid UTF-8
                output.Write("\"}\n"u8);
                output.Write("[1,2,3]\n"u8);
            }
        }

        output.Write("{\"type\":\"assistant\",\"message\":{\"role\":\"assis"u8);
        return output.ToArray();
    }

    /// <summary>A stream over bytes that throws once a read reaches <c>failAt</c>.</summary>
    private sealed class FailingStream(byte[] bytes, long failAt) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position + count > failAt && Position > 0
            ? throw new IOException("the disk went away")
            : base.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => Position + buffer.Length > failAt && Position > 0
            ? throw new IOException("the disk went away")
            : base.Read(buffer);
    }

    private sealed class StuckRule : TranscriptRule
    {
        private static readonly RuleDescriptor Stuck = new("TST9001", "stuck", "Stuck", "{0}", "Test", Severity.Warning);

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Stuck];

        public override void Initialize(RuleInitializationContext context) => context.RegisterEntryAction(e =>
        {
            if (e.Entry.Line.Number >= 2_000)
            {
                Thread.Sleep(Timeout.Infinite);
            }
        });
    }
}
