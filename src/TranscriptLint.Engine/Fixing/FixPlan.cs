using TranscriptLint.Fixes;

namespace TranscriptLint.Engine.Fixing;

/// <summary>A fix chosen for one pass, with the edits left once edits another fix already applies are dropped.</summary>
/// <param name="Candidate">The fix.</param>
/// <param name="Edits">Its edits still to apply (in the fix's own order).</param>
public sealed record PlannedFix(FixCandidate Candidate, IReadOnlyList<FixEdit> Edits)
{
    /// <summary>The lowest line the remaining edits touch.</summary>
    public int FirstLine => Edits.Min(e => e.Target.Line);

    /// <summary>The highest line the remaining edits touch.</summary>
    public int LastLine => Edits.Max(e => e.Target.Line);
}

/// <summary>
/// One pass's plan (ESLint's SourceCodeFixer, Ruff's apply_fixes): the fixes sorted by (first line, last line,
/// rule id, title, report order), taken left to right; a fix whose lines overlap or touch (are adjacent to) the
/// lines of a fix already taken waits for the next pass, except that fixes which only delete lines may sit side by
/// side (their byte ranges only touch, and each line goes whole: a copied block of n lines goes in one pass, not in
/// log2(n) or more); an edit another taken fix already makes is made once, and a fix whose edits are all made
/// already counts as applied.
/// </summary>
public sealed class FixPlan
{
    private FixPlan(IReadOnlyList<PlannedFix> selected, IReadOnlyList<FixCandidate> deferred, IReadOnlyList<FixCandidate> duplicates)
    {
        Selected = selected;
        Deferred = deferred;
        Duplicates = duplicates;
    }

    /// <summary>The fixes to apply this pass, left to right.</summary>
    public IReadOnlyList<PlannedFix> Selected { get; }

    /// <summary>Fixes that overlap or touch a selected one (two that only delete lines may touch); the next pass re-lints and may apply them.</summary>
    public IReadOnlyList<FixCandidate> Deferred { get; }

    /// <summary>Fixes whose every edit a selected fix already makes.</summary>
    public IReadOnlyList<FixCandidate> Duplicates { get; }

    /// <summary>The total order of fixes within one file.</summary>
    public static int Compare(FixCandidate a, FixCandidate b)
    {
        var c = a.Fix.FirstLine.CompareTo(b.Fix.FirstLine);
        if (c == 0)
        {
            c = a.Fix.LastLine.CompareTo(b.Fix.LastLine);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.RuleId, b.RuleId);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.Fix.Title, b.Fix.Title);
        }

        return c != 0 ? c : a.ReportOrder.CompareTo(b.ReportOrder);
    }

    /// <summary>Plans one pass.</summary>
    /// <param name="candidates">Every fix offered for the file (any order).</param>
    /// <param name="options">Which applicabilities are allowed.</param>
    /// <param name="exclude">Fixes to leave out (rejected by verification earlier in this pass).</param>
    /// <returns>The plan.</returns>
    public static FixPlan Create(IEnumerable<FixCandidate> candidates, FixOptions options, ISet<FixCandidate>? exclude = null)
    {
        var ordered = candidates
            .Where(c => options.Allows(c.Fix.Applicability) && (exclude is null || !exclude.Contains(c)))
            .ToList();
        ordered.Sort(Compare);

        var selected = new List<PlannedFix>();
        var deferred = new List<FixCandidate>();
        var duplicates = new List<FixCandidate>();
        var applied = new HashSet<FixEdit>();
        var lastLine = int.MinValue;
        var lastDeletesOnly = false; // whether every taken fix that reaches lastLine only deletes lines
        foreach (var candidate in ordered)
        {
            var remaining = candidate.Fix.Edits.Where(e => !applied.Contains(e)).Distinct().ToList();
            if (remaining.Count == 0)
            {
                duplicates.Add(candidate);
                continue;
            }

            var first = remaining.Min(e => e.Target.Line);
            var deletesOnly = remaining.TrueForAll(e => e is DeleteEntry);
            var touchingDeletions = first == lastLine + 1 && deletesOnly && lastDeletesOnly;
            if (lastLine != int.MinValue && first <= lastLine + 1 && !touchingDeletions)
            {
                deferred.Add(candidate); // overlaps or touches a fix already taken
                continue;
            }

            var planned = new PlannedFix(candidate, remaining);
            selected.Add(planned);
            applied.UnionWith(remaining);
            if (planned.LastLine > lastLine)
            {
                (lastLine, lastDeletesOnly) = (planned.LastLine, deletesOnly);
            }
            else if (planned.LastLine == lastLine)
            {
                lastDeletesOnly &= deletesOnly;
            }
        }

        return new FixPlan(selected, deferred, duplicates);
    }
}
