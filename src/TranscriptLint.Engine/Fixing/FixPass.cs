using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Documents;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Fixing;

/// <summary>Why a fix was not applied.</summary>
/// <param name="Candidate">The fix.</param>
/// <param name="Reason">One line saying why.</param>
public sealed record FixRejection(FixCandidate Candidate, string Reason);

/// <summary>
/// One pass of the fixer, the same for every dialect: take each planned fix's rendered edits (the ones the lint
/// result carries, which reports show; rendered here only for fixes read back from a report or trimmed by the
/// plan), verify them (<see cref="FixVerification"/>), and apply the fixes that pass together. A fix whose edits
/// overlap one already taken waits for the next pass, which re-lints the result.
/// </summary>
internal static class FixPass
{
    public sealed record Result(FixedContent Fixed, IReadOnlyList<PlannedFix> Applied, IReadOnlyList<FixRejection> Rejected);

    /// <summary>Applies the plan's fixes (all, or the ones that pass verification) to <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The file as linted.</param>
    /// <param name="dialect">Its dialect.</param>
    /// <param name="plan">The fixes of this pass.</param>
    /// <param name="lint">The lint of exactly these bytes (the caller's guarantee when it carries no hash), whose rendered fixes are used; null to render every fix here.</param>
    public static Result Apply(byte[] bytes, IDialect dialect, IReadOnlyList<PlannedFix> plan, FileLintResult? lint) =>
        Apply(FixSource.Of(bytes), dialect, plan, lint);

    /// <inheritdoc cref="Apply(byte[], IDialect, IReadOnlyList{PlannedFix}, FileLintResult?)"/>
    public static Result Apply(FixSource bytes, IDialect dialect, IReadOnlyList<PlannedFix> plan, FileLintResult? lint) => Apply(bytes, dialect, plan, lint, null);

    /// <inheritdoc cref="Apply(byte[], IDialect, IReadOnlyList{PlannedFix}, FileLintResult?)"/>
    /// <param name="bytes">The bytes to fix.</param>
    /// <param name="dialect">Their dialect.</param>
    /// <param name="plan">The fixes of this pass.</param>
    /// <param name="lint">The lint of exactly these bytes, or null.</param>
    /// <param name="linted">The lines that lint read (its line index), or null to split the bytes into lines here.</param>
    internal static Result Apply(FixSource bytes, IDialect dialect, IReadOnlyList<PlannedFix> plan, FileLintResult? lint, LintedLines? linted)
    {
        // The fixer lints the very bytes it passes here (held or opened, unhashed); a lint that carries a hash is
        // checked against it. Either way, a lint of other bytes is not used: every fix is rendered afresh instead.
        if (lint is not null && (lint.Length != bytes.Length || (lint.Sha256.Length > 0 && lint.Sha256 != bytes.Sha256)))
        {
            lint = null; // not the bytes it rendered against (nor the lines it read)
        }

        if (dialect is IDocumentDialect documentDialect)
        {
            // A whole-document format is parsed whole (as its lint does): its bytes are in memory for the pass.
            var array = bytes.ToArray();
            using var doc = TranscriptDocument.Open(array, documentDialect, out var problem);
            if (doc is null)
            {
                return new Result(FixedContent.Of(bytes), [], [.. plan.Select(p => new FixRejection(p.Candidate, $"the file is no longer a {dialect.Name} document: {problem}"))]);
            }

            var result = Apply(bytes, plan, lint, edits => FixRenderer.Render(doc, edits), (fix, rendered) => FixVerification.Check(doc, fix, rendered));
            using var after = TranscriptDocument.Open(result.Fixed.ToArray(), documentDialect, out var broken);
            return after is null
                ? new Result(FixedContent.Of(bytes), [], [.. result.Rejected, .. result.Applied.Select(a => new FixRejection(a.Candidate, $"verification failed, edit reverted: the result would not be a {dialect.Name} document ({broken})"))])
                : result;
        }

        var source = SourceLines.Of(bytes, lint is null ? null : linted);
        return Apply(bytes, plan, lint, edits => FixRenderer.Render(source, dialect, edits), (fix, rendered) => FixVerification.Check(source, dialect, fix, rendered));
    }

    private static Result Apply(FixSource bytes, IReadOnlyList<PlannedFix> plan, FileLintResult? lint, Func<IReadOnlyList<Fixes.FixEdit>, RenderedFix> render, Func<PlannedFix, RenderedFix, string?> verify)
    {
        var rejected = new List<FixRejection>();
        var taken = new List<(PlannedFix Fix, RenderedFix Rendered)>();
        var takenRanges = new TakenRanges();
        foreach (var fix in plan)
        {
            // The plan drops edits another fix of the pass already makes; such a fix is rendered for what is left.
            var whole = fix.Edits.Count == fix.Candidate.Fix.Edits.Count;
            var rendered = (whole ? lint?.RenderedFixOf(fix.Candidate.Fix) : null) ?? render(fix.Edits);
            if (rendered.Problem is { } problem)
            {
                rejected.Add(new FixRejection(fix.Candidate, problem));
                continue;
            }

            if (rendered.Edits.Any(takenRanges.Overlaps))
            {
                continue; // the next pass re-lints and offers it again
            }

            if (verify(fix, rendered) is { } broken)
            {
                rejected.Add(new FixRejection(fix.Candidate, $"verification failed, edit reverted: {broken}"));
                continue;
            }

            taken.Add((fix, rendered));
            foreach (var e in rendered.Edits)
            {
                takenRanges.Add(e);
            }
        }

        var all = taken.SelectMany(t => t.Rendered.Edits).ToList();
        var result = FixedContent.Apply(bytes, all);
        if (FixVerification.KeepsOutside(bytes, result, all) is { } failed)
        {
            // The renderer broke its own contract; apply nothing rather than risk the file.
            return new Result(FixedContent.Of(bytes), [], [.. rejected, .. taken.Select(t => new FixRejection(t.Fix.Candidate, failed))]);
        }

        return new Result(result, [.. taken.Select(t => t.Fix)], rejected);
    }

    // Touching ranges are fine (two deletions side by side); a shared insertion point is not (order unknown).
    private static bool Overlaps(long aStart, long aEnd, long bStart, long bEnd) =>
        (aStart < bEnd && bStart < aEnd) || (aStart == bStart && (aStart == aEnd || bStart == bEnd));

    /// <summary>
    /// The byte ranges of the edits taken so far, sorted by start. They do not overlap one another (each was checked
    /// against those before it, and one fix's edits are rendered apart: <see cref="FixedContent.Apply(FixSource, IEnumerable{TextEdit})"/> refuses any that
    /// overlap), so sorted by start they are sorted by end too, and a new edit can only overlap the range before its start
    /// and those starting inside it: a pass of 10,000 fixes checks each against a few neighbours, not every edit taken.
    /// </summary>
    private sealed class TakenRanges
    {
        private readonly List<(long Start, long End)> _ranges = [];

        public bool Overlaps(TextEdit edit)
        {
            for (var i = Math.Max(0, FirstStartingAtOrAfter(edit.ByteOffset) - 1); i < _ranges.Count && _ranges[i].Start <= edit.ByteEnd; i++)
            {
                if (FixPass.Overlaps(_ranges[i].Start, _ranges[i].End, edit.ByteOffset, edit.ByteEnd))
                {
                    return true;
                }
            }

            return false;
        }

        public void Add(TextEdit edit)
        {
            var at = FirstStartingAtOrAfter(edit.ByteOffset);
            while (at < _ranges.Count && _ranges[at].Start == edit.ByteOffset)
            {
                at++; // after a zero-length range at the same start (never both zero-length: that overlaps)
            }

            _ranges.Insert(at, (edit.ByteOffset, edit.ByteEnd));
        }

        private int FirstStartingAtOrAfter(long start)
        {
            int lo = 0, hi = _ranges.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_ranges[mid].Start < start)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}
