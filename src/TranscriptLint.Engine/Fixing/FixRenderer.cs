using System.Globalization;
using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Documents;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Model;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// The one place semantic fix edits become text: each dialect's edits are rendered here to byte edits of the
/// file as linted, with their SARIF text coordinates. The lint result carries what this returns; the SARIF writer
/// shows it and the fixer applies it, so the fix GitHub shows and the bytes <c>fix</c> writes are the same.
/// JSON Lines: inserted entries are written by the dialect in its own shape, values are spliced in place so every
/// other byte of the line stays as it was. Whole documents: <see cref="DocumentEdits"/>.
/// </summary>
internal static class FixRenderer
{
    private const int NeighbourRadius = 5;
    private static readonly JsonDocumentOptions DocOptions = new() { MaxDepth = 1024 };

    /// <summary>Renders edits of a JSON Lines transcript; never throws (a problem is returned in the result).</summary>
    public static RenderedFix Render(SourceLines source, IDialect dialect, IReadOnlyList<FixEdit> edits) =>
        Guarded(() =>
        {
            var result = MarkRemoval(edits, source.BomLength);
            foreach (var group in edits.Where(e => e is not RemoveByteOrderMark).GroupBy(e => e.Target.Line))
            {
                foreach (var (start, end, text) in RenderLine(source, dialect, group.Key, [.. group]))
                {
                    result.Add(Edit(source, start, end, text));
                }
            }

            return Sorted(result);
        });

    /// <summary>Renders edits of a whole-document transcript; never throws.</summary>
    public static RenderedFix Render(TranscriptDocument document, IReadOnlyList<FixEdit> edits) =>
        Guarded(() =>
        {
            List<ByteEdit> bytes;
            try
            {
                bytes = DocumentEdits.Render(document, edits.Where(e => e is not RemoveByteOrderMark));
            }
            catch (DocumentEditException ex)
            {
                throw new FixRenderException(ex.Message);
            }

            var file = document.Bytes;
            var bom = document.BomLength;
            return Sorted([.. MarkRemoval(edits, bom), .. bytes.Select(e => new TextEdit(
                e.Start,
                e.End - e.Start,
                Encoding.UTF8.GetString(e.Text),
                Encoding.UTF8.GetCharCount(file, bom, e.Start - bom),
                Encoding.UTF8.GetCharCount(file, e.Start, e.End - e.Start),
                document.Text.LineOf(e.Start),
                document.Text.ColumnOf(e.Start),
                document.Text.LineOf(e.End),
                document.Text.ColumnOf(e.End)))]);
        });

    // A RemoveByteOrderMark edit, the same for every format: the mark is before line 1's first character (SARIF counts
    // characters after it), so the edit has bytes and no text region, and SARIF's replacement names the bytes.
    private static List<TextEdit> MarkRemoval(IReadOnlyList<FixEdit> edits, int bomLength) =>
        !edits.Any(e => e is RemoveByteOrderMark) ? []
        : bomLength > 0 ? [new TextEdit(0, bomLength, "", -1, -1, 1, 1, 1, 1) { BeforeText = true }]
        : throw new FixRenderException("the file does not start with a byte order mark (stale fix)");

    private static RenderedFix Guarded(Func<RenderedFix> render)
    {
        try
        {
            return render();
        }
        catch (FixRenderException ex)
        {
            return RenderedFix.Unrenderable(ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A plugin's fix the renderer cannot make sense of: refused, never a crash of the run.
            return RenderedFix.Unrenderable($"could not be rendered ({ex.GetType().Name}: {ex.Message})");
        }
    }

    // Stable: two insertions at one point keep the fix's own order.
    private static RenderedFix Sorted(List<TextEdit> unsorted)
    {
        var edits = unsorted.OrderBy(e => e.ByteOffset).ThenBy(e => e.ByteLength).ToList();
        for (var i = 1; i < edits.Count; i++)
        {
            if (edits[i].ByteOffset < edits[i - 1].ByteEnd)
            {
                throw new FixRenderException($"two edits of the fix overlap on line {edits[i].StartLine}");
            }
        }

        return new RenderedFix(edits);
    }

    private static TextEdit Edit(SourceLines source, long start, long end, byte[] text)
    {
        var (startLine, startColumn, startChar) = source.Position(start);
        var (endLine, endColumn, endChar) = source.Position(end);
        var known = startChar >= 0 && endChar >= 0;
        return new TextEdit(start, end - start, Encoding.UTF8.GetString(text), known ? startChar : -1, known ? endChar - startChar : -1, startLine, startColumn, endLine, endColumn);
    }

    /// <summary>
    /// The byte edits of one line's edits: a deleted line goes with its terminator (entries inserted after it take
    /// its place); a line replaced or spliced keeps its terminator; entries inserted after a line start the next
    /// line, and after a last line without newline they get the file's newline before them, so the file still ends
    /// without one.
    /// </summary>
    private static IEnumerable<(long Start, long End, byte[] Text)> RenderLine(SourceLines source, IDialect dialect, int lineNo, List<FixEdit> edits)
    {
        if (lineNo < 1 || lineNo > source.Count)
        {
            throw new FixRenderException($"line {lineNo} does not exist (the file has {source.Count} lines)");
        }

        var original = source.Content(lineNo);
        foreach (var uuid in edits.Select(e => e.Target.Uuid).OfType<string>().Distinct())
        {
            if (dialect.NotTheLineOf(lineNo, IdOf(original, dialect.IdProperty), uuid) is { } stale)
            {
                throw new FixRenderException(stale);
            }
        }

        var deleted = edits.Any(e => e is DeleteEntry);
        var whole = edits.OfType<ReplaceValue>().Where(r => r.JsonPointer.Length == 0).Select(r => r.ValueJson).Distinct().ToList();
        var inPlace = edits.Where(e => e is SetParent or RemoveArrayElement || (e is ReplaceValue r && r.JsonPointer.Length > 0)).ToList();
        if (whole.Count > 1 || (whole.Count == 1 && inPlace.Count > 0) || (deleted && (whole.Count > 0 || inPlace.Count > 0)))
        {
            throw new FixRenderException($"conflicting edits on line {lineNo}");
        }

        var newline = LineTerminatorBytes(source.Newline);
        var inserted = edits.OfType<InsertEntryAfter>().Select(i => Encoding.UTF8.GetBytes(RenderInsert(source, dialect, lineNo, i.Entry))).ToList();
        var span = source.Span(lineNo);
        var result = new List<(long, long, byte[])>();
        if (deleted)
        {
            result.Add((span.Offset, span.Next, [.. inserted.SelectMany(i => i.Concat(newline))]));
            return result;
        }

        if (whole.Count == 1)
        {
            result.Add((span.Offset, span.ContentEnd, Encoding.UTF8.GetBytes(whole[0])));
        }
        else
        {
            result.AddRange(Splice(original, inPlace, dialect, lineNo).Select(s => (span.Offset + s.Start, span.Offset + s.End, s.Value)));
        }

        if (inserted.Count > 0)
        {
            result.Add(span.Terminator == LineTerminator.None
                ? (span.ContentEnd, span.ContentEnd, [.. inserted.SelectMany(i => newline.Concat(i))])
                : (span.Next, span.Next, [.. inserted.SelectMany(i => i.Concat(newline))]));
        }

        return result;
    }

    private static byte[] LineTerminatorBytes(LineTerminator t) => t == LineTerminator.CarriageReturnLineFeed ? "\r\n"u8.ToArray() : "\n"u8.ToArray();

    private static string RenderInsert(SourceLines source, IDialect dialect, int lineNo, NewEntry entry)
    {
        var docs = new List<JsonDocument>();
        try
        {
            var anchorDoc = TryParse(source.Content(lineNo));
            if (anchorDoc is null && entry is not RawJsonEntry)
            {
                throw new FixRenderException($"cannot insert after line {lineNo}: it is not a JSON object");
            }

            if (anchorDoc is not null)
            {
                docs.Add(anchorDoc);
            }

            var neighbours = new List<JsonElement>();
            for (var d = 1; d <= NeighbourRadius; d++)
            {
                foreach (var n in new[] { lineNo - d, lineNo + d })
                {
                    if (n >= 1 && n <= source.Count && TryParse(source.Content(n)) is { } nd)
                    {
                        docs.Add(nd);
                        neighbours.Add(nd.RootElement);
                    }
                }
            }

            try
            {
                return dialect.RenderNewEntry(entry, anchorDoc?.RootElement ?? default, neighbours);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException)
            {
                throw new FixRenderException($"the {dialect.Name} dialect cannot write the inserted entry: {ex.Message}");
            }
        }
        finally
        {
            foreach (var d in docs)
            {
                d.Dispose();
            }
        }
    }

    // Replaces only the targeted values' bytes; everything else in the line (thinking blocks, signatures, key
    // order, escapes) stays byte-identical.
    private static List<(int Start, int End, byte[] Value)> Splice(byte[] line, List<FixEdit> edits, IDialect dialect, int lineNo)
    {
        var spans = new List<(int Start, int End, byte[] Value)>();
        foreach (var edit in edits)
        {
            switch (edit)
            {
                case ReplaceValue r:
                    {
                        var (s, e) = Locate(line, r.JsonPointer, lineNo);
                        spans.Add((s, e, Encoding.UTF8.GetBytes(r.ValueJson)));
                        break;
                    }

                case SetParent p:
                    {
                        var pointer = dialect.ParentPointer ?? throw new FixRenderException($"the {dialect.Name} dialect has no parent field");
                        var value = p.NewParentUuid is null ? "null" : JsonSerializer.Serialize(p.NewParentUuid);
                        var (s, e) = Locate(line, pointer, lineNo);
                        spans.Add((s, e, Encoding.UTF8.GetBytes(value)));
                        break;
                    }

                case RemoveArrayElement a:
                    {
                        var (s, e) = RemovedElement(line, a, lineNo);
                        spans.Add((s, e, []));
                        break;
                    }
            }
        }

        spans.Sort((x, y) => x.Start.CompareTo(y.Start));
        for (var i = 1; i < spans.Count; i++)
        {
            if (spans[i].Start < spans[i - 1].End)
            {
                throw new FixRenderException($"overlapping edits inside line {lineNo}");
            }
        }

        return spans;
    }

    /// <summary>An element and the separator beside it: up to the next element, else from the end of the previous one.</summary>
    internal static (int Start, int End) RemovedElement(byte[] line, RemoveArrayElement a, int lineNo)
    {
        var (s, e) = Locate(line, ElementPointer(a.ArrayPointer, a.Index), lineNo);
        if (JsonPointerLocator.Find(line, ElementPointer(a.ArrayPointer, a.Index + 1)) is { } next)
        {
            return (s, next.Start);
        }

        return a.Index > 0 && JsonPointerLocator.Find(line, ElementPointer(a.ArrayPointer, a.Index - 1)) is { } previous ? (previous.End, e) : (s, e);
    }

    private static (int Start, int End) Locate(byte[] line, string pointer, int lineNo) =>
        JsonPointerLocator.Find(line, pointer) ?? throw new FixRenderException($"'{pointer}' does not resolve in line {lineNo}");

    internal static string ElementPointer(string arrayPointer, int index) => arrayPointer + "/" + index.ToString(CultureInfo.InvariantCulture);

    internal static JsonDocument? TryParse(byte[] content)
    {
        try
        {
            var d = JsonDocument.Parse(content, DocOptions);
            if (d.RootElement.ValueKind == JsonValueKind.Object)
            {
                return d;
            }

            d.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? IdOf(byte[] content, string idProperty)
    {
        using var d = TryParse(content);
        return d is not null && d.RootElement.TryGetProperty(idProperty, out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
    }

    private sealed class FixRenderException(string message) : Exception(message);
}
