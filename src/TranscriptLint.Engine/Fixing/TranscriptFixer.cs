using System.Runtime.CompilerServices;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Fixing;

/// <summary>A fix the fixer applied.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Title">The fix title.</param>
/// <param name="Line">The first line it touched, in the file as it was at that pass.</param>
/// <param name="Pass">The 1-based pass.</param>
public sealed record AppliedFix(string RuleId, string Title, int Line, int Pass);

/// <summary>What fixing one transcript did (nothing is written: see <see cref="SafeFileWriter"/>).</summary>
public sealed class FixOutcome
{
    /// <summary>The path shown in messages.</summary>
    public required string Path { get; init; }

    /// <summary>The bytes the fix started from (in memory, or the file read on demand).</summary>
    public required FixSource Source { get; init; }

    /// <summary>The bytes as read, as one array (for a file source, read into memory on first use).</summary>
    public byte[] Original => _original ??= Source.ToArray();

    /// <summary>The <see cref="ContentHash"/> of <see cref="Original"/>, taken when it was read.</summary>
    public UInt128 OriginalHash => Source.Hash;

    /// <summary>The bytes after every pass, as one array (made on first use; <see cref="Content"/> writes them without it).</summary>
    public byte[] Fixed => _fixed ??= Content.ToArray();

    /// <summary>The content after every pass: the bytes of the last pass plus its edits, written or linted without a copy.</summary>
    public required FixedContent Content { get; init; }

    /// <summary>Whether the fixed bytes differ from the original.</summary>
    public bool Changed => !(Content.IsSource && ReferenceEquals(Content.Source, Source)) && !Content.ContentEquals(FixedContent.Of(Source));

    private byte[]? _fixed;
    private byte[]? _original;

    /// <summary>The fixes applied, in order.</summary>
    public required IReadOnlyList<AppliedFix> Applied { get; init; }

    /// <summary>Fixes that were refused (stale, unrenderable, or failed verification), with the rule named.</summary>
    public required IReadOnlyList<FixRejection> Rejected { get; init; }

    /// <summary>The number of passes that applied something.</summary>
    public required int Passes { get; init; }

    /// <summary>False when fixes were still applicable after the last allowed pass, or the fixes went in a circle.</summary>
    public required bool Converged { get; init; }

    /// <summary>When not converged: the rules whose fixes were still applicable.</summary>
    public required IReadOnlyList<string> NonConvergedRuleIds { get; init; }

    /// <summary>The lint of the fixed bytes: what is left.</summary>
    public required FileLintResult FinalLint { get; init; }

    /// <summary>The lint of the original bytes: the findings the first pass's fixes answer (what a diff explains them by).</summary>
    public required FileLintResult FirstLint { get; init; }

    /// <summary>When pass 1 restored a file damaged as a whole (converted it from UTF-16, removed NUL padding, cut a torn session back): how; else null.</summary>
    public Reading.Restoration? Restoration { get; init; }

    /// <summary>When pass 1 restored the file: the restored bytes, which the later passes started from (what a diff shows their fixes against).</summary>
    public FixedContent? Restored { get; init; }

    /// <summary>When the file was restored: the lint of the restored bytes, whose findings the second pass's fixes answer.</summary>
    public FileLintResult? RestoredLint { get; init; }

    /// <summary>The findings the fixes a diff shows answer: the first lint's, and after a restoration the restored file's.</summary>
    public IReadOnlyList<Diagnostic> DiffFindings => RestoredLint is { } restored ? [.. FirstLint.Diagnostics, .. restored.Diagnostics] : FirstLint.Diagnostics;

    /// <summary>What a diff compares <see cref="Fixed"/> with: <see cref="Original"/>, or the restored bytes when the file was restored (line for line the original's).</summary>
    public byte[] DiffBase => _diffBase ??= Restored?.ToArray() ?? Original;

    private byte[]? _diffBase;

    /// <summary>
    /// Why nothing may be written although fixes applied (they did not converge, or they made the file something
    /// that is not a transcript); null otherwise. When set, <see cref="Fixed"/> is <see cref="Original"/>.
    /// </summary>
    public string? Refusal { get; init; }

    /// <summary>What went wrong in rules during any pass (a rule that threw, ran over its time budget, wrote to the console), each once.</summary>
    public IReadOnlyList<ToolNotification> Notifications { get; init; } = [];
}

/// <summary>
/// The fix loop: lint, plan (<see cref="FixPlan"/>), verify and apply the lint's rendered fixes (<see cref="FixPass"/>), and again
/// on the result until nothing applies, at most <see cref="FixOptions.MaxPasses"/> times (ESLint's verifyAndFix).
/// Works on a <see cref="FixSource"/> (bytes in memory, or a file read by offset) and writes nothing; the same input
/// always gives the same output bytes.
/// </summary>
/// <param name="engine">The lint engine whose rules offer the fixes.</param>
/// <param name="options">What may be applied.</param>
public sealed class TranscriptFixer(LintEngine engine, FixOptions options)
{
    /// <summary>The options.</summary>
    public FixOptions Options { get; } = options;

    /// <summary>Fixes a transcript given as bytes, linting it fresh at every pass.</summary>
    /// <param name="original">The transcript bytes.</param>
    /// <param name="displayPath">The path shown in findings.</param>
    /// <returns>The outcome.</returns>
    public FixOutcome Fix(byte[] original, string displayPath) => Run(FixSource.Of(original), displayPath, null, null);

    /// <summary>Fixes a transcript read on demand from <paramref name="source"/> (e.g. <see cref="FixSource.OpenFile"/>: the file is not held in memory).</summary>
    /// <param name="source">The transcript bytes.</param>
    /// <param name="displayPath">The path shown in findings.</param>
    /// <param name="writeAhead">When the result will be written: told each pass's result before it is linted, to write it meanwhile.</param>
    /// <returns>The outcome.</returns>
    public FixOutcome Fix(FixSource source, string displayPath, WriteAhead? writeAhead = null) => Run(source, displayPath, null, writeAhead);

    /// <summary>
    /// Fixes a transcript from recorded findings (e.g. read back from SARIF): the first pass applies exactly the
    /// recorded fixes; later passes re-lint and apply only fixes of the same rule and title that the first pass
    /// had to defer. Refuses (throws <see cref="TranscriptChangedException"/>) when the bytes do not hash to the
    /// recorded SHA-256.
    /// </summary>
    /// <param name="original">The transcript bytes.</param>
    /// <param name="displayPath">The path shown in findings.</param>
    /// <param name="recorded">The recorded fixes.</param>
    /// <returns>The outcome.</returns>
    public FixOutcome Fix(byte[] original, string displayPath, RecordedFindings recorded) => Fix(FixSource.Of(original), displayPath, recorded);

    /// <inheritdoc cref="Fix(byte[], string, RecordedFindings)"/>
    /// <param name="original">The transcript bytes.</param>
    /// <param name="displayPath">The path shown in findings.</param>
    /// <param name="recorded">The recorded fixes.</param>
    /// <param name="writeAhead">When the result will be written: told each pass's result before it is linted, to write it meanwhile.</param>
    public FixOutcome Fix(FixSource original, string displayPath, RecordedFindings recorded, WriteAhead? writeAhead = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(recorded);
        var sha = original.Sha256;
        if (!string.Equals(sha, recorded.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new TranscriptChangedException($"{displayPath} is not the file the report was made from (sha-256 {sha[..12]}… differs from the recorded {Short(recorded.Sha256)}); lint it again");
        }

        return Run(original, displayPath, recorded, writeAhead);
    }

    private FixOutcome Run(FixSource original, string displayPath, RecordedFindings? recorded, WriteAhead? writeAhead)
    {
        // The content of the pass being planned: the original, or the last pass's bytes plus its edits, read through by
        // the next lint, pass and writer (a file source is never held in memory, nor is a pass's result).
        var current = FixedContent.Of(original);
        FixedContent? previous = null; // the content before the last pass, to catch fixes that undo each other
        var applied = new List<AppliedFix>();
        var rejected = new List<FixRejection>();
        var passes = 0;
        var converged = true;
        var circular = false;
        HashSet<(string, string)>? allowedAfterFirst = null;
        var notifications = new List<ToolNotification>(); // a rule that throws in any pass is reported, as lint reports it
        var lints = 0;
        LintedLines? linted = null; // the lines the last lint read, which the next pass need not split again
        FileLintResult Lint(FixedContent content)
        {
            var result = this.Lint(content, displayPath, ++lints, out linted);
            notifications.AddRange(result.Notifications.Where(n => !notifications.Contains(n)));
            return result;
        }

        FileLintResult lint = Lint(current);
        var firstLint = lint;
        string? refusal = null;

        // A transcript damaged as a whole is restored first, alone in pass 1; the passes after it fix the transcript. A
        // restoration chosen from a report (fix -i) is all that report held for the file: nothing follows it then.
        FixedContent? restored = null;
        Reading.Restoration? restoration = null;
        FileLintResult? restoredLint = null;
        if (Restoration(lint, recorded) is { } restore)
        {
            if (Restore(current, out var why) is { } file)
            {
                applied.Add(new AppliedFix(restore.RuleId, restore.Fix.Title, 1, 1));
                passes = 1;
                previous = current;
                current = restored = FixedContent.Of(file.Bytes);
                restoration = file.How;
                writeAhead?.Stage(current);
                lint = restoredLint = Lint(current);
            }
            else
            {
                rejected.Add(new FixRejection(restore, $"the file no longer restores without loss ({why})"));
            }
        }

        for (var pass = passes + 1; !(restored is not null && recorded is not null) && (FixInvariants.RefuseFile(lint) is not { } notATranscript || Stop(notATranscript)); pass++)
        {
            List<FixCandidate> candidates;
            if (pass == 1 && recorded is not null)
            {
                candidates = [.. recorded.Fixes.Select((f, i) => new FixCandidate(f.RuleId, f.Fix, i))];
            }
            else
            {
                candidates = Candidates(lint);
                if (allowedAfterFirst is not null)
                {
                    candidates = [.. candidates.Where(c => allowedAfterFirst.Contains((c.RuleId, c.Fix.Title)))];
                }
            }

            // A restoration applies only to a file damaged as a whole, before anything else (above): anywhere else, refuse it.
            foreach (var misplaced in candidates.Where(c => c.Fix.Edits.Any(e => e is RestoreTranscript)).ToList())
            {
                rejected.Add(new FixRejection(misplaced, "RestoreTranscript applies only to a whole file the engine can restore (TranscriptInfo.Restoration), alone"));
                candidates.Remove(misplaced);
            }

            var rejectedKeys = rejected.Select(r => Key(r.Candidate)).ToHashSet();
            candidates = [.. candidates.Where(c => !rejectedKeys.Contains(Key(c)))];
            if (pass > 1 || recorded is null)
            {
                candidates = RepairsFirst(candidates, lint); // after the refused ones are out: a refused repair holds nothing back
            }
            var plan = FixPlan.Create(candidates, Options);
            if (recorded is not null && allowedAfterFirst is null)
            {
                // After the recorded pass, only what it had to defer may follow (matched by rule and title).
                allowedAfterFirst = [.. plan.Deferred.Select(c => (c.RuleId, c.Fix.Title))];
            }

            if (plan.Selected.Count == 0)
            {
                break;
            }

            if (pass > Options.MaxPasses)
            {
                converged = false;
                break;
            }

            var dialect = DialectRegistry.ByName(lint.Dialect)!;
            // The recorded pass applies fixes read back from a report: they are rendered afresh, not taken from this lint.
            // A later pass starts from the last one's result, read through its pieces (never an array of the file).
            var result = FixPass.Apply(current.IsSource ? current.Source : FixSource.Over(current), dialect, plan.Selected, pass == 1 && recorded is not null ? null : lint, linted);
            rejected.AddRange(result.Rejected);
            var (appliedNow, next) = (result.Applied, result.Fixed);

            if (appliedNow.Count == 0)
            {
                continue; // every planned fix was refused; plan again without them
            }

            foreach (var p in appliedNow)
            {
                applied.Add(new AppliedFix(p.Candidate.RuleId, p.Candidate.Fix.Title, p.FirstLine, pass));
            }

            passes++;
            if (previous is not null && previous.ContentEquals(next))
            {
                circular = true; // the fixes undo each other (ESLint's circular-fix check)
                current = next;
                lint = Lint(current);
                break;
            }

            previous = current;
            current = next;
            writeAhead?.Stage(current); // written while the lint below decides whether it is the result
            lint = Lint(current);
        }

        var nonConverged = new List<string>();
        if (!converged || circular)
        {
            converged = false;
            nonConverged = [.. Candidates(lint).Where(c => Options.Allows(c.Fix.Applicability)).Select(c => c.RuleId).Distinct().Order(StringComparer.Ordinal)];
            refusal ??= circular
                ? $"the fixes undo each other ({string.Join(", ", nonConverged)}); nothing was written"
                : $"the fixes did not converge after {Options.MaxPasses} passes (still fixable: {string.Join(", ", nonConverged)}); nothing was written";
        }

        if (refusal is not null)
        {
            // Nothing half-done is ever written: the file stays as it was.
            current = FixedContent.Of(original);
            applied.Clear();
            lint = firstLint;
            restored = null;
            restoration = null;
            restoredLint = null;
        }

        return new FixOutcome
        {
            Path = displayPath,
            Source = original,
            Content = current,
            Applied = applied,
            Rejected = rejected,
            Passes = passes,
            Converged = converged,
            NonConvergedRuleIds = nonConverged,
            FinalLint = lint,
            FirstLint = firstLint,
            Restoration = restoration,
            Restored = restored,
            RestoredLint = restoredLint,
            Refusal = refusal,
            Notifications = [.. notifications],
        };

        // A file that is not a transcript is never changed: at the start nothing is done; if the fixes made it one
        // that is no longer a transcript, everything is undone.
        bool Stop(string why)
        {
            if (!ReferenceEquals(lint, firstLint))
            {
                refusal = $"the fixes would leave something that is not a transcript ({why}); nothing was written";
            }

            return false;
        }
    }

    // The not-a-transcript finding's restoration, when this run may apply it: offered on a file damaged as a whole, Safe,
    // and (from a report) chosen.
    private FixCandidate? Restoration(FileLintResult lint, RecordedFindings? recorded)
    {
        if (FixInvariants.RefuseFile(lint) is null)
        {
            return null;
        }

        if (recorded is not null)
        {
            var chosen = recorded.Fixes.Select((f, i) => new FixCandidate(f.RuleId, f.Fix, i)).Where(IsRestoration).ToList();
            return chosen.Count == 1 && chosen[0].Fix.Edits.Count == 1 ? chosen[0] : null;
        }

        return Candidates(lint).FirstOrDefault(c => IsRestoration(c) && c.Fix.Edits.Count == 1);

        bool IsRestoration(FixCandidate c) => c.RuleId == TranscriptInfo.NotATranscriptRuleId && Options.Allows(c.Fix.Applicability) && c.Fix.Edits.Any(e => e is RestoreTranscript);
    }

    // The restored file, proved again on the bytes being fixed (the lint that offered it proved it on the same bytes);
    // whether it is a transcript the next lint says (if not, nothing is written).
    private static Reading.RestoredFile? Restore(FixedContent content, out string? why)
    {
        using var stream = content.OpenRead();
        return Reading.TranscriptRestoration.Restore(stream, out why);
    }

    // A line that did not parse is missing from the conversation the other rules saw: a record glued or torn into it
    // may hold the result a call "lacks" (TL3001 would invent one beside it) or the call a result "lacks" (TL3002 would
    // delete it). While a pass can bring records back from such lines, it only repairs them; the next lint sees the
    // records. Deleting a line that holds no complete record (a torn last line) changes no conversation: no wait then.
    private List<FixCandidate> RepairsFirst(List<FixCandidate> candidates, FileLintResult lint)
    {
        if (lint.UnparsedLines.Count == 0)
        {
            return candidates;
        }

        var unparsed = lint.UnparsedLines.ToHashSet();
        var allowed = candidates.Where(c => Options.Allows(c.Fix.Applicability)).ToList();
        if (!allowed.Exists(c => c.Fix.Edits.Any(e => e is not DeleteEntry && unparsed.Contains(e.Target.Line))))
        {
            return candidates;
        }

        return [.. allowed.Where(c => c.Fix.Edits.Any(e => unparsed.Contains(e.Target.Line)))];
    }

    /// <summary>The fixes a lint offers: for each finding, the first fix the options allow, in report order.</summary>
    /// <param name="lint">The lint result.</param>
    /// <returns>The candidates.</returns>
    public List<FixCandidate> Candidates(FileLintResult lint)
    {
        var list = new List<FixCandidate>();
        for (var i = 0; i < lint.Diagnostics.Count; i++)
        {
            var d = lint.Diagnostics[i];
            if (d.Fixes.FirstOrDefault(f => Options.Allows(f.Applicability)) is { } fix)
            {
                list.Add(new FixCandidate(d.Id, fix, i));
            }
        }

        return list;
    }

    private FileLintResult Lint(FixedContent content, string displayPath, int number, out LintedLines? linted)
    {
        // No hash: these are the bytes, and FixPass is told so. The lints after the first run on compiled code, so a file
        // from 32 MiB is read ahead when the engine allows it (the first, like any cold run, gains only from 128 MiB).
        var progress = Options.Progress;
        var length = content.Length;
        var linesRead = new StrongBox<LintedLines?>();
        var result = engine.LintHeld(content, displayPath, number > 1 ? WarmParseAheadFrom : null, progress is null ? null : read => progress(new FixProgress(displayPath, number, read, length)), linesRead);
        linted = linesRead.Value;

        // No collection is forced here, though the lint's index is garbage now: the next lint's first young collections
        // reclaim it. A forced one cost 20 ms of a 100 MB fix (two lints: 40 ms) and did not lower the peak (100 MB:
        // 84-90 MiB with it, 83-87 without; 1 GB: 212-215 MiB with it, 184-198 without).
        return result;
    }

    private const long WarmParseAheadFrom = 32L << 20;

    // Rejections are remembered across passes by what the fix does, so a refused fix is not retried forever.
    private static (string, string, string) Key(FixCandidate c) =>
        (c.RuleId, c.Fix.Title, string.Join('|', c.Fix.Edits.Select(e => e.ToString())));

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] + "…" : sha;
}

/// <summary>The transcript is not the one the fixes were computed for (changed after it was read, or another file).</summary>
/// <param name="message">One line saying what differs.</param>
public sealed class TranscriptChangedException(string message) : IOException(message);
