using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Documents;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// The verify stage of the one fix path, run on a rendered fix before it is applied, for every dialect: each byte
/// edit lies inside what one of the fix's semantic edits names (the line of a deleted entry, the value at a
/// pointer, an array element and its separator, the place after an anchor), so bytes outside the declared spans
/// are kept. JSON Lines then get <see cref="FixInvariants"/> and the per-line checks (valid JSON objects, thinking
/// blocks untouched); whole documents must still be documents of their dialect.
/// </summary>
internal static class FixVerification
{
    /// <summary>Checks one JSON Lines fix; returns the first problem, or null.</summary>
    public static string? Check(SourceLines source, IDialect dialect, PlannedFix fix, RenderedFix rendered)
    {
        if (Undeclared(rendered, LineSpans(source, dialect, fix.Edits)) is { } outside)
        {
            return outside;
        }

        var changes = LineChanges(source, fix.Edits, rendered);
        return CheckLines(source, changes)
            ?? FixInvariants.Check(source, dialect, fix, changes.ToDictionary(c => c.Key, c => new RenderedLine(c.Value.Deleted, c.Value.NewContent)));
    }

    /// <summary>Checks one whole-document fix; returns the first problem, or null.</summary>
    public static string? Check(TranscriptDocument doc, PlannedFix fix, RenderedFix rendered)
    {
        if (Undeclared(rendered, DocumentSpans(doc, fix.Edits)) is { } outside)
        {
            return outside;
        }

        var after = RenderedFix.Apply(doc.Bytes, rendered.Edits);
        using var reopened = TranscriptDocument.Open(after, doc.Dialect, out var problem);
        return reopened is null ? $"the result would not be a {doc.Dialect.Name} document ({problem})" : null;
    }

    /// <summary>
    /// Whether every byte outside the edits comes back, in order (a pass's combined result), read through the content's
    /// stream: the very bytes the next lint reads and the writer writes.
    /// </summary>
    public static string? KeepsOutside(ReadOnlySpan<byte> before, FixedContent after, IEnumerable<TextEdit> edits) =>
        KeepsOutside(FixSource.Of(before.ToArray()), after, edits);

    /// <inheritdoc cref="KeepsOutside(ReadOnlySpan{byte}, FixedContent, IEnumerable{TextEdit})"/>
    public static string? KeepsOutside(FixSource before, FixedContent after, IEnumerable<TextEdit> edits)
    {
        const string Changed = "internal error: bytes outside the edits changed";
        using var read = after.OpenRead();
        var buffer = new byte[1 << 16];
        var expected = new byte[1 << 16];
        var at = 0L;
        var shift = 0L;

        // The source's bytes from at to end must be in the content shifted by the edits so far.
        bool Holds(long end)
        {
            for (var from = at; from < end;)
            {
                var chunk = expected.AsSpan(0, (int)Math.Min(expected.Length, end - from));
                before.Read(from, chunk);
                if (!FixedContent.StreamHolds(read, from + shift, chunk, buffer))
                {
                    return false;
                }

                from += chunk.Length;
            }

            return true;
        }

        List<(TextEdit Edit, byte[] Bytes)> ordered;
        try
        {
            ordered = RenderedFix.InFileOrder(edits, before.Length); // the order and bounds every way of applying uses
        }
        catch (ArgumentException)
        {
            return Changed; // overlapping, or outside the bytes
        }

        foreach (var (e, inserted) in ordered)
        {
            if (!Holds(e.ByteOffset))
            {
                return Changed;
            }

            shift += inserted.Length - e.ByteLength;
            at = e.ByteEnd;
        }

        return before.Length + shift == after.Length && Holds(before.Length) ? null : Changed;
    }

    private static string? Undeclared(RenderedFix rendered, List<(long Start, long End)> declared)
    {
        foreach (var e in rendered.Edits)
        {
            if (!declared.Any(d => d.Start <= e.ByteOffset && e.ByteEnd <= d.End))
            {
                return $"line {e.StartLine}: the fix would change bytes outside the values its edits name";
            }
        }

        return null;
    }

    // What each semantic edit of a JSON Lines fix may touch, in file bytes.
    private static List<(long Start, long End)> LineSpans(SourceLines source, IDialect dialect, IReadOnlyList<FixEdit> edits)
    {
        var spans = new List<(long, long)>();
        foreach (var edit in edits)
        {
            var n = edit.Target.Line;
            if (n < 1 || n > source.Count)
            {
                continue;
            }

            if (edit is RemoveByteOrderMark)
            {
                spans.Add(MarkSpan(source.BomLength));
                continue;
            }

            var line = source.Span(n);
            var content = source.Content(n);
            (int Start, int End)? within = edit switch
            {
                ReplaceValue { JsonPointer.Length: > 0 } r => JsonPointerLocator.Find(content, r.JsonPointer),
                SetParent when dialect.ParentPointer is { } p => JsonPointerLocator.Find(content, p),
                RemoveArrayElement a when JsonPointerLocator.Find(content, FixRenderer.ElementPointer(a.ArrayPointer, a.Index)) is not null => FixRenderer.RemovedElement(content, a, n),
                _ => null,
            };
            spans.Add(edit switch
            {
                DeleteEntry => (line.Offset, line.Next),
                ReplaceValue { JsonPointer.Length: 0 } => (line.Offset, line.ContentEnd),
                InsertEntryAfter => (line.ContentEnd, line.Next),
                _ when within is { } w => (line.Offset + w.Start, line.Offset + w.End),
                _ => (-1, -1),
            });
        }

        return spans;
    }

    // What a RemoveByteOrderMark may touch: the mark's bytes, or nothing when there is none.
    private static (long Start, long End) MarkSpan(int bomLength) => bomLength > 0 ? (0, bomLength) : (-1, -1);

    // What each semantic edit of a document fix may touch: an entry and the separators around it, a value, an
    // array element and its separator, the entry an insertion is anchored to and the gap after it.
    private static List<(long Start, long End)> DocumentSpans(TranscriptDocument doc, IReadOnlyList<FixEdit> edits)
    {
        var spans = new List<(long, long)>();
        foreach (var edit in edits)
        {
            if (edit is RemoveByteOrderMark)
            {
                spans.Add(MarkSpan(doc.BomLength));
                continue;
            }

            if (doc.Find(edit.Target) is not { } element)
            {
                continue;
            }

            var previousEnd = element.Index > 0 ? doc.Elements[element.Index - 1].End : doc.ArraySpan.Start + 1;
            var nextStart = element.Index + 1 < doc.Elements.Count ? doc.Elements[element.Index + 1].Start : doc.ArraySpan.End - 1;
            var entry = doc.Bytes.AsSpan(element.Start, element.End - element.Start);
            switch (edit)
            {
                case DeleteEntry:
                    spans.Add((previousEnd, nextStart));
                    break;
                case ReplaceValue { JsonPointer.Length: 0 }:
                    spans.Add((element.Start, element.End));
                    break;
                case ReplaceValue r when JsonPointerLocator.Find(entry, r.JsonPointer) is { } value:
                    spans.Add((element.Start + value.Start, element.Start + value.End));
                    break;
                case RemoveArrayElement a when JsonPointerLocator.Find(entry, a.ArrayPointer) is { } array:
                    spans.Add((element.Start + array.Start + 1, element.Start + array.End - 1));
                    break;
                case InsertEntryAfter:
                    spans.Add((element.Start, nextStart));
                    break;
            }
        }

        return spans;
    }

    /// <summary>What a fix does to one original line, read back from its byte edits.</summary>
    internal sealed class LineChange
    {
        public bool Deleted { get; set; }

        public byte[]? NewContent { get; set; }

        public List<byte[]> InsertedAfter { get; } = [];
    }

    /// <summary>
    /// Reads a JSON Lines fix's byte edits back as line changes (the renderer writes one edit per deleted line,
    /// per spliced value and per run of inserted lines; JSON Lines content holds no raw newline, so inserted text
    /// splits into lines at its terminators).
    /// </summary>
    internal static Dictionary<int, LineChange> LineChanges(SourceLines source, IReadOnlyList<FixEdit> edits, RenderedFix rendered)
    {
        var changes = new Dictionary<int, LineChange>();
        var used = new HashSet<TextEdit>(ReferenceEqualityComparer.Instance);
        foreach (var group in edits.Where(e => e is not RemoveByteOrderMark).GroupBy(e => e.Target.Line).OrderBy(g => g.Key))
        {
            var n = group.Key;
            if (n < 1 || n > source.Count)
            {
                continue;
            }

            var line = source.Span(n);
            var change = new LineChange { Deleted = group.Any(e => e is DeleteEntry) };
            changes[n] = change;
            if (change.Deleted)
            {
                var deletion = rendered.Edits.FirstOrDefault(e => e.ByteOffset == line.Offset && e.ByteEnd == line.Next);
                if (deletion is not null && used.Add(deletion))
                {
                    change.InsertedAfter.AddRange(Lines(deletion.Inserted));
                }

                continue;
            }

            if (group.Any(e => e is InsertEntryAfter))
            {
                var at = line.Terminator == Model.LineTerminator.None ? line.ContentEnd : line.Next;
                var insertion = rendered.Edits.FirstOrDefault(e => e.ByteLength == 0 && e.ByteOffset == at && !used.Contains(e) && (e.Inserted.StartsWith('\n') || e.Inserted.StartsWith("\r\n", StringComparison.Ordinal) || e.Inserted.EndsWith('\n')));
                if (insertion is not null && used.Add(insertion))
                {
                    change.InsertedAfter.AddRange(Lines(insertion.Inserted));
                }
            }

            var within = rendered.Edits.Where(e => !used.Contains(e) && e.ByteOffset >= line.Offset && e.ByteEnd <= line.ContentEnd).ToList();
            if (within.Count > 0)
            {
                used.UnionWith(within);
                var content = source.Content(n);
                change.NewContent = RenderedFix.Apply(content, within.Select(e => e with { ByteOffset = e.ByteOffset - line.Offset }));
            }
        }

        return changes;
    }

    private static IEnumerable<byte[]> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Select(System.Text.Encoding.UTF8.GetBytes);

    /// <summary>Checks one fix's touched lines: valid JSON objects, thinking blocks and signatures unchanged.</summary>
    private static string? CheckLines(SourceLines source, Dictionary<int, LineChange> changes)
    {
        foreach (var (lineNo, change) in changes.OrderBy(c => c.Key))
        {
            if (change.NewContent is { } content)
            {
                using var after = FixRenderer.TryParse(content);
                if (after is null)
                {
                    return $"line {lineNo} would not be a valid JSON object";
                }

                using var before = FixRenderer.TryParse(source.Content(lineNo));
                if (before is not null && !ThinkingBlocks(before.RootElement).SequenceEqual(ThinkingBlocks(after.RootElement), StringComparer.Ordinal))
                {
                    return $"line {lineNo}: a thinking block or its signature would change";
                }
            }

            foreach (var inserted in change.InsertedAfter)
            {
                using var parsed = FixRenderer.TryParse(inserted);
                if (parsed is null)
                {
                    return $"the entry inserted after line {lineNo} would not be a valid JSON object";
                }
            }
        }

        return null;
    }

    /// <summary>The raw JSON text of each thinking / redacted_thinking block of a line (signatures included).</summary>
    internal static IEnumerable<string> ThinkingBlocks(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message"u8, out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("content"u8, out var content) || content.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var block in content.EnumerateArray())
        {
            // Raw bytes, compared as they are: a line may hold invalid UTF-8 that a string conversion would reject.
            if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String
                && (type.ValueEquals("thinking") || type.ValueEquals("redacted_thinking")))
            {
                yield return Convert.ToBase64String(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(block));
            }
        }
    }
}
