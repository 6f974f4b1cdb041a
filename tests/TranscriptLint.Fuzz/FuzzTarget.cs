using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Model;
using TranscriptLint.Reporting;
using TranscriptLint.Rules.Core;
using TranscriptLint.Tests;

namespace TranscriptLint.Fuzz;

/// <summary>A broken promise found by the fuzz target (any other exception escaping it is a finding too).</summary>
internal sealed class FuzzFinding(string message) : Exception(message);

/// <summary>
/// One fuzz input through the reader, the classifier and the fixer. Findings are exceptions: anything thrown by the
/// code under test, and <see cref="FuzzFinding"/> for a promise broken:
/// <list type="bullet">
/// <item>the line reader gives the same lines streamed (in small reads, with a small line limit) as over bytes in
/// memory, and those lines put back together are the input;</item>
/// <item>each line parses with its escaped strings masked (<see cref="EscapedStringMask"/>) to the document a plain
/// parse gives, or fails with the same error, and its bytes are put back;</item>
/// <item>classification never throws;</item>
/// <item>no rule throws (a rule crash is a notification, reported here as a finding);</item>
/// <item>a lint that keeps rows finds what one that keeps entries finds, with the same fixes (decision 0004, step 2);</item>
/// <item>each fix pass removes nothing but what its applied edits declare (<see cref="FixOracle"/>);</item>
/// <item>the whole fixer never throws, leaves a refused or unknown file unchanged, and what it changes lints as a
/// transcript of the same dialect.</item>
/// </list>
/// </summary>
internal static class FuzzTarget
{
    private static readonly IReadOnlyList<LoadedRule> Rules = new AssemblyRuleSource(typeof(RuleIdentifiers).Assembly).LoadRules(new List<ToolNotification>());

    // No watchdog thread per file: faster, and a rule that hangs shows up as a hang (AFL/libFuzzer report timeouts).
    private static readonly LintEngine Engine = new(Rules, new LintOptions { RuleTimeout = TimeSpan.Zero });
    private static readonly FixOptions Unsafe = new() { IncludeUnsafe = true };
    private static readonly LintEngine Rows = new(Rules, new LintOptions { RuleTimeout = TimeSpan.Zero, EntryRowsFrom = 0 });
    private static readonly LintEngine Kept = new(Rules, new LintOptions { RuleTimeout = TimeSpan.Zero, EntryRows = false });

    public static void Run(ReadOnlySpan<byte> data)
    {
        var bytes = data.ToArray();
        CheckReader(bytes);
        CheckMaskedParse(bytes);
        _ = FileClassifier.Classify(new MemoryStream(bytes), maxLineBytes: 256);
        CheckRowsAgree(bytes);
        CheckPasses(bytes);
        CheckFixer(bytes);
    }

    private static void CheckRowsAgree(byte[] bytes)
    {
        var rows = Rows.LintStream(new MemoryStream(bytes), "fuzz.jsonl");
        if (rows.Notifications.FirstOrDefault(n => n.Level == "error") is { } crash)
        {
            throw new FuzzFinding("a rule failed on rows: " + crash.Message);
        }

        var (withRows, withEntries) = (Findings(rows), Findings(Kept.LintStream(new MemoryStream(bytes), "fuzz.jsonl")));
        if (!withRows.SequenceEqual(withEntries))
        {
            var at = withRows.Zip(withEntries).TakeWhile(p => p.First == p.Second).Count();
            throw new FuzzFinding($"rows and kept entries differ at finding {at}: '{withRows.ElementAtOrDefault(at)}' against '{withEntries.ElementAtOrDefault(at)}'");
        }

        static List<string> Findings(FileLintResult result) =>
            [.. result.Diagnostics.Select(d => $"{d.Id} {d.Location} {d.Message} " + string.Join(" | ", d.Fixes.Select(f => $"{f.Title}: " + (result.RenderedFixes.TryGetValue(f, out var r) ? string.Join(", ", r.Edits) + r.Problem : ""))))];
    }

    private static void CheckReader(byte[] bytes)
    {
        const int MaxLine = 300; // small, so over-long lines (dropped, not kept) happen often
        using var memory = new LineReader(bytes, MaxLine);
        using var streamed = new LineReader(new TrickleStream(bytes), MaxLine);
        var rebuilt = new List<byte>();
        while (true)
        {
            var a = memory.TryReadLine(out var m);
            var b = streamed.TryReadLine(out var s);
            if (a != b)
            {
                throw new FuzzFinding($"the in-memory reader {(a ? "has" : "lacks")} a line the streamed reader {(b ? "has" : "lacks")}");
            }

            if (!a)
            {
                break;
            }

            if (m.Line != s.Line || m.Flags != s.Flags || !m.Bytes.Span.SequenceEqual(s.Bytes.Span))
            {
                throw new FuzzFinding($"line {m.Line.Number}: in memory {m.Line} {m.Flags}, streamed {s.Line} {s.Flags}");
            }

            if (m.Flags.HasFlag(LineFlags.TooLong))
            {
                // Its bytes are not kept; take them from the input to check the positions.
                rebuilt.AddRange(bytes.AsSpan((int)m.Line.ByteOffset, m.Line.ContentLength));
            }
            else
            {
                if (m.Flags.HasFlag(LineFlags.ByteOrderMark))
                {
                    rebuilt.AddRange([0xEF, 0xBB, 0xBF]);
                }

                if (m.Line.ByteOffset != rebuilt.Count)
                {
                    throw new FuzzFinding($"line {m.Line.Number} starts at {m.Line.ByteOffset}, not {rebuilt.Count}");
                }

                rebuilt.AddRange(m.Bytes.Span);
            }

            rebuilt.AddRange(LineDocument.TerminatorBytes(m.Line.Terminator));
        }

        if (!rebuilt.ToArray().AsSpan().SequenceEqual(bytes) || memory.Sha256 != streamed.Sha256 || memory.BytesRead != bytes.Length)
        {
            throw new FuzzFinding("the lines put back together are not the input");
        }
    }

    private static void CheckMaskedParse(byte[] bytes)
    {
        for (var start = 0; start <= bytes.Length;)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            end = end < 0 ? bytes.Length : end;
            var original = bytes[start..end];
            var scratch = bytes[start..end];
            start = end + 1;
            var plain = ParseOutcome.Of(() => JsonDocument.Parse(original, LineParseOptions));
            var masked = ParseOutcome.Of(() => EscapedStringMask.Parse(scratch, LineParseOptions));
            if (!scratch.AsSpan().SequenceEqual(original))
            {
                throw new FuzzFinding("a masked line's bytes were not put back");
            }

            if (plain != masked)
            {
                throw new FuzzFinding($"the masked parse of a line differs: {masked} against {plain}");
            }
        }
    }

    private static readonly JsonDocumentOptions LineParseOptions = new() { MaxDepth = 1024 };

    private static void CheckPasses(byte[] bytes)
    {
        var input = bytes;
        for (var pass = 1; pass <= Unsafe.MaxPasses; pass++)
        {
            if (FixOracle.OnePass(Engine, Unsafe, input) is not { } result)
            {
                return;
            }

            if (result.Dialect is not IDocumentDialect
                && FixOracle.LostBytes(input, result.Output, result.Dialect, result.Applied.SelectMany(f => f.Edits)) is { } lost)
            {
                throw new FuzzFinding($"pass {pass} ({string.Join(", ", result.Applied.Select(f => f.Candidate.RuleId))}): {lost}");
            }

            if (result.Output.AsSpan().SequenceEqual(input))
            {
                return;
            }

            input = result.Output;
        }
    }

    private static void CheckFixer(byte[] bytes)
    {
        var outcome = new TranscriptFixer(Engine, Unsafe).Fix(bytes, "fuzz.jsonl");
        var crash = outcome.Notifications.FirstOrDefault(n => n.Level == "error");
        if (crash is not null)
        {
            throw new FuzzFinding("a rule failed: " + crash.Message);
        }

        if ((outcome.Refusal is not null || FixInvariants.RefuseFile(outcome.FinalLint) is not null && outcome.Applied.Count == 0) && outcome.Changed)
        {
            throw new FuzzFinding("a refused or unknown file was changed");
        }

        if (outcome.Restoration is not null && TranscriptLint.Engine.Reading.Utf16Text.BigEndian(bytes) is { } big)
        {
            // Converting from UTF-16 keeps every character: the UTF-8 the later passes started from is the same text.
            var mark = bytes.AsSpan().StartsWith(big ? [0xFE, 0xFF] : [0xFF, 0xFE]) ? 2 : 0;
            var text = new System.Text.UnicodeEncoding(big, false, throwOnInvalidBytes: true).GetString(bytes, mark, bytes.Length - mark);
            if (!string.Equals(System.Text.Encoding.UTF8.GetString(outcome.DiffBase), text, StringComparison.Ordinal))
            {
                throw new FuzzFinding("the conversion from UTF-16 changed the text");
            }
        }
        else if (outcome.Restoration is not null)
        {
            // Removing NUL padding or cutting a torn session back keeps every byte before the cut; all it adds is the
            // closing of the messages array and the document. Invalid UTF-8 is read as U+FFFD first (as Node reads it):
            // compared with that reading, nothing else may change.
            // The closing is taken off the end first: the torn tail it replaced may begin with the same whitespace, so a
            // common prefix alone would count that whitespace as kept and the closing as changed (fuzz seed 3737).
            var restored = outcome.DiffBase;
            var basis = System.Text.Unicode.Utf8.IsValid(bytes) ? bytes : TranscriptLint.Engine.Reading.LenientUtf8.Decode(bytes);
            var closing = System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.UTF8.GetString(restored), "\\r?\\n[ \\t]*\\]\\r?\\n\\}$");
            var body = restored.AsSpan(0, restored.Length - (closing.Success ? System.Text.Encoding.UTF8.GetByteCount(closing.Value) : 0));
            if (!basis.AsSpan().StartsWith(body))
            {
                var kept = basis.AsSpan().CommonPrefixLength(body);
                throw new FuzzFinding($"a restoration changed bytes before its cut (at byte {kept}: '{System.Text.Encoding.UTF8.GetString(body[kept..Math.Min(body.Length, kept + 40)])}')");
            }
        }

        if (outcome.Changed)
        {
            using var stream = new MemoryStream(outcome.Fixed);
            var after = Engine.LintStream(stream, "fuzz.jsonl");
            var before = outcome.FinalLint;
            if (FixInvariants.RefuseFile(after) is { } why)
            {
                throw new FuzzFinding("the fixed file is not a transcript: " + why);
            }

            if (after.Dialect != before.Dialect)
            {
                throw new FuzzFinding($"the fixed file changed dialect: {before.Dialect} -> {after.Dialect}");
            }
        }
    }

    /// <summary>A read-only seekable stream that hands out at most a few bytes per read, to exercise the reader's refills.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1 + (int)(Position % 7)));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1 + (int)(Position % 7))]);
    }
}
