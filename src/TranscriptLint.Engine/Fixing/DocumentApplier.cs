using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Documents;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// Applies one pass's planned fixes to a whole-document transcript: each fix becomes byte-range edits
/// (<see cref="DocumentEdits"/>), is verified on its own (the result must still be a document of the dialect),
/// and the fixes that pass are applied together. A fix whose ranges overlap one already taken waits for the next
/// pass, which re-lints the result.
/// </summary>
internal static class DocumentApplier
{
    public sealed record PassResult(byte[] Bytes, IReadOnlyList<PlannedFix> Applied, IReadOnlyList<FixRejection> Rejected);

    public static PassResult Apply(byte[] bytes, IDocumentDialect dialect, IReadOnlyList<PlannedFix> plan)
    {
        var rejected = new List<FixRejection>();
        using var doc = TranscriptDocument.Open(bytes, dialect, out var problem);
        if (doc is null)
        {
            return new PassResult(bytes, [], [.. plan.Select(p => new FixRejection(p.Candidate, $"the file is no longer a {dialect.Name} document: {problem}"))]);
        }

        var taken = new List<(PlannedFix Fix, List<ByteEdit> Edits)>();
        foreach (var fix in plan)
        {
            List<ByteEdit> edits;
            try
            {
                edits = DocumentEdits.Render(doc, fix.Edits);
            }
            catch (DocumentEditException ex)
            {
                rejected.Add(new FixRejection(fix.Candidate, ex.Message));
                continue;
            }

            if (taken.SelectMany(t => t.Edits).Any(t => edits.Any(e => Overlaps(t, e))))
            {
                continue; // the next pass re-lints and offers it again
            }

            if (Verify(bytes, edits, dialect) is { } broken)
            {
                rejected.Add(new FixRejection(fix.Candidate, $"verification failed, edit reverted: {broken}"));
                continue;
            }

            taken.Add((fix, edits));
        }

        var all = taken.SelectMany(t => t.Edits).ToList();
        var result = DocumentEdits.Apply(bytes, all);
        if (Verify(bytes, all, dialect) is { } failed)
        {
            return new PassResult(bytes, [], [.. rejected, .. taken.Select(t => new FixRejection(t.Fix.Candidate, $"verification failed, edit reverted: {failed}"))]);
        }

        return new PassResult(result, [.. taken.Select(t => t.Fix)], rejected);
    }

    // Touching ranges are fine (two deletions side by side); a shared insertion point is not (order unknown).
    private static bool Overlaps(ByteEdit a, ByteEdit b) =>
        (a.Start < b.End && b.Start < a.End) || (a.Start == b.Start && (a.Start == a.End || b.Start == b.End));

    private static string? Verify(byte[] before, List<ByteEdit> edits, IDocumentDialect dialect)
    {
        var after = DocumentEdits.Apply(before, edits);
        using var doc = TranscriptDocument.Open(after, dialect, out var problem);
        if (doc is null)
        {
            return $"the result would not be a {dialect.Name} document ({problem})";
        }

        // Every byte outside the edited ranges must come back as it was.
        var at = 0;
        var shift = 0;
        foreach (var e in edits.OrderBy(e => e.Start))
        {
            if (!before.AsSpan(at, e.Start - at).SequenceEqual(after.AsSpan(at + shift, e.Start - at)))
            {
                return "internal error: bytes outside the edits changed";
            }

            shift += e.Text.Length - (e.End - e.Start);
            at = e.End;
        }

        return before.AsSpan(at).SequenceEqual(after.AsSpan(at + shift)) ? null : "internal error: bytes outside the edits changed";
    }
}
