using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;

namespace TranscriptLint.Sarif;

/// <summary>A text replacement in the original file: character offsets and the matching line/column region.</summary>
internal sealed record TextReplacement(long CharOffset, long CharLength, string Inserted, int StartLine, int StartColumn, int EndLine, int EndColumn);

/// <summary>
/// Turns a fix's semantic edits into text replacements in the ORIGINAL file's coordinates (SARIF §3.57: every
/// deleted region is expressed against the unmodified artifact). Inserted lines are written by the dialect.
/// </summary>
internal static class FixRenderer
{
    private const int NeighbourLines = 3;

    /// <summary>The lines rendering <paramref name="fix"/> needs to see.</summary>
    public static IEnumerable<int> LinesNeeded(Fix fix)
    {
        foreach (var edit in fix.Edits)
        {
            var n = edit.Target.Line;
            yield return n;
            if (edit is InsertEntryAfter)
            {
                for (var i = Math.Max(1, n - NeighbourLines); i <= n + NeighbourLines; i++)
                {
                    yield return i;
                }
            }

            if (n > 1)
            {
                yield return n - 1; // its terminator decides the one an appended last line gets
            }
        }
    }

    /// <summary>Renders the fix, or returns null with the reason it cannot be expressed as text replacements.</summary>
    public static List<TextReplacement>? Render(Fix fix, SourceSnapshot source, IDialect? dialect, out string? problem)
    {
        var replacements = new List<TextReplacement>();
        foreach (var edit in fix.Edits)
        {
            var r = RenderEdit(edit, source, dialect, out problem);
            if (r is null)
            {
                return null;
            }

            replacements.Add(r);
        }

        problem = null;
        return Merge(replacements, out problem);
    }

    private static TextReplacement? RenderEdit(FixEdit edit, SourceSnapshot source, IDialect? dialect, out string? problem)
    {
        problem = null;
        var n = edit.Target.Line;
        if (source.Line(n) is not { Text: { } text, CharStart: >= 0 } line)
        {
            problem = $"line {n} is not in the file or is too long to rewrite as text";
            return null;
        }

        switch (edit)
        {
            case DeleteEntry:
                return line.Terminator.Length > 0
                    ? new TextReplacement(line.CharStart, text.Length + line.Terminator.Length, "", n, 1, n + 1, 1)
                    : new TextReplacement(line.CharStart, text.Length, "", n, 1, n, text.Length + 1);

            case InsertEntryAfter insert:
                if (dialect is null)
                {
                    problem = "the transcript's dialect is unknown";
                    return null;
                }

                string rendered;
                try
                {
                    rendered = Render(insert.Entry, n, source, dialect);
                }
                catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
                {
                    problem = $"the {dialect.Name} dialect cannot write the inserted entry: {ex.Message}";
                    return null;
                }

                if (line.Terminator.Length > 0)
                {
                    return new TextReplacement(line.NextLineStart, 0, rendered + line.Terminator, n + 1, 1, n + 1, 1);
                }

                var newline = source.Line(n - 1) is { Terminator: { Length: > 0 } t } ? t : "\n";
                return new TextReplacement(line.CharEnd, 0, newline + rendered, n, text.Length + 1, n, text.Length + 1);

            case ReplaceValue replace when replace.JsonPointer.Length == 0:
                return new TextReplacement(line.CharStart, text.Length, replace.ValueJson, n, 1, n, text.Length + 1);

            case ReplaceValue replace:
                return Span(line, replace.JsonPointer, replace.ValueJson, widenOverComma: false, out problem);

            case RemoveArrayElement remove:
                return Span(line, remove.ArrayPointer + "/" + remove.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), "", widenOverComma: true, out problem);

            case SetParent setParent:
                if (dialect?.ParentPointer is not { } parentPointer)
                {
                    problem = "the transcript's dialect has no parent field";
                    return null;
                }

                var value = setParent.NewParentUuid is { } p ? JsonSerializer.Serialize(p) : "null";
                return Span(line, parentPointer, value, widenOverComma: false, out problem);

            default:
                problem = $"unknown edit {edit.GetType().Name}";
                return null;
        }
    }

    private static TextReplacement? Span(SourceLine line, string pointer, string inserted, bool widenOverComma, out string? problem)
    {
        problem = null;
        var bytes = line.Bytes;
        if (JsonPointerLocator.Find(bytes, pointer) is not { } span)
        {
            problem = $"'{pointer}' does not resolve on line {line.Number}";
            return null;
        }

        var (start, end) = span;
        if (widenOverComma)
        {
            // Take the separating comma with the element: the one after it, else the one before it.
            var after = SkipSpace(bytes, end, +1);
            if (after < bytes.Length && bytes[after] == (byte)',')
            {
                end = SkipSpace(bytes, after + 1, +1);
            }
            else
            {
                var before = SkipSpace(bytes, start - 1, -1);
                if (before >= 0 && bytes[before] == (byte)',')
                {
                    start = before;
                }
            }
        }

        var startCol = JsonPointerLocator.ColumnOf(bytes, start);
        var endCol = JsonPointerLocator.ColumnOf(bytes, end);
        return new TextReplacement(line.CharStart + startCol - 1, endCol - startCol, inserted, line.Number, startCol, line.Number, endCol);
    }

    private static int SkipSpace(byte[] bytes, int i, int step)
    {
        while (i >= 0 && i < bytes.Length && bytes[i] is (byte)' ' or (byte)'\t')
        {
            i += step;
        }

        return i;
    }

    private static string Render(NewEntry entry, int anchorLine, SourceSnapshot source, IDialect dialect)
    {
        var documents = new List<JsonDocument>();
        try
        {
            var anchor = Parse(source.Line(anchorLine), documents) ?? Parse("{}"u8.ToArray(), documents)!.Value;
            var neighbours = new List<JsonElement>();
            for (var d = 1; d <= NeighbourLines; d++)
            {
                foreach (var i in new[] { anchorLine - d, anchorLine + d })
                {
                    if (Parse(source.Line(i), documents) is { } e)
                    {
                        neighbours.Add(e);
                    }
                }
            }

            return dialect.RenderNewEntry(entry, anchor, neighbours);
        }
        finally
        {
            foreach (var d in documents)
            {
                d.Dispose();
            }
        }
    }

    private static JsonElement? Parse(SourceLine? line, List<JsonDocument> documents) =>
        line is { Text: not null } ? Parse(line.Bytes, documents) : null;

    private static JsonElement? Parse(byte[] bytes, List<JsonDocument> documents)
    {
        try
        {
            var doc = JsonDocument.Parse(bytes);
            documents.Add(doc);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Sorts replacements and joins those that touch; overlapping edits cannot be expressed.</summary>
    private static List<TextReplacement>? Merge(List<TextReplacement> replacements, out string? problem)
    {
        problem = null;
        var sorted = replacements.OrderBy(r => r.CharOffset).ThenBy(r => r.CharLength).ToList();
        var merged = new List<TextReplacement>();
        foreach (var r in sorted)
        {
            if (merged.Count > 0)
            {
                var last = merged[^1];
                var lastEnd = last.CharOffset + last.CharLength;
                if (r.CharOffset < lastEnd)
                {
                    problem = $"two edits overlap on line {r.StartLine}";
                    return null;
                }

                if (r.CharOffset == lastEnd)
                {
                    merged[^1] = last with
                    {
                        CharLength = last.CharLength + r.CharLength,
                        Inserted = last.Inserted + r.Inserted,
                        EndLine = r.EndLine,
                        EndColumn = r.EndColumn,
                    };
                    continue;
                }
            }

            merged.Add(r);
        }

        return merged;
    }
}
