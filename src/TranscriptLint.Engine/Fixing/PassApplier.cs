using System.Globalization;
using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Fixing;

/// <summary>Why a fix was not applied.</summary>
/// <param name="Candidate">The fix.</param>
/// <param name="Reason">One line saying why.</param>
public sealed record FixRejection(FixCandidate Candidate, string Reason);

/// <summary>
/// Applies one pass's planned fixes to a document: the dialect turns each semantic edit into a line edit
/// (inserted entries written in the format's own shape; values spliced in place so every other byte of the
/// line stays as it was), then the result is verified. A fix whose output fails verification is named and
/// left out, and the pass is rebuilt without it.
/// </summary>
internal static class PassApplier
{
    private static readonly JsonDocumentOptions DocOptions = new() { MaxDepth = 1024 };
    private const int NeighbourRadius = 5;

    /// <summary>What one fix changes, keyed by original 1-based line number.</summary>
    private sealed class LineChange
    {
        public bool Deleted { get; set; }

        public byte[]? NewContent { get; set; }

        public List<byte[]> InsertedAfter { get; } = [];
    }

    public sealed record PassResult(LineDocument Document, IReadOnlyList<PlannedFix> Applied, IReadOnlyList<FixRejection> Rejected);

    /// <summary>Applies the plan's fixes (all or, after verification failures, the ones that pass).</summary>
    public static PassResult Apply(LineDocument doc, IDialect dialect, IReadOnlyList<PlannedFix> plan)
    {
        var rejected = new List<FixRejection>();
        var rendered = new List<(PlannedFix Fix, Dictionary<int, LineChange> Changes)>();
        foreach (var fix in plan)
        {
            try
            {
                rendered.Add((fix, Render(doc, dialect, fix)));
            }
            catch (FixRenderException ex)
            {
                rejected.Add(new FixRejection(fix.Candidate, ex.Message));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A plugin's fix the renderer cannot make sense of: refuse it, never crash the run.
                rejected.Add(new FixRejection(fix.Candidate, $"could not be rendered ({ex.GetType().Name}: {ex.Message})"));
            }
        }

        // Verify each fix's changes; a failing fix is dropped and the pass rebuilt from the others (which
        // touch disjoint lines, so dropping one does not change what the others write).
        var accepted = new List<(PlannedFix Fix, Dictionary<int, LineChange> Changes)>();
        foreach (var (fix, changes) in rendered)
        {
            if ((Verify(doc, changes) ?? FixInvariants.Check(doc, dialect, fix, changes.ToDictionary(c => c.Key, c => new RenderedLine(c.Value.Deleted, c.Value.NewContent)))) is { } problem)
            {
                rejected.Add(new FixRejection(fix.Candidate, $"verification failed, edit reverted: {problem}"));
            }
            else
            {
                accepted.Add((fix, changes));
            }
        }

        var merged = new Dictionary<int, LineChange>();
        foreach (var (_, changes) in accepted)
        {
            foreach (var (line, change) in changes)
            {
                merged.Add(line, change); // the plan guarantees disjoint lines
            }
        }

        var result = Build(doc, merged);
        if (VerifyUntouched(doc, result, merged) is { } broken)
        {
            // The renderer broke its own contract; apply nothing rather than risk the file.
            return new PassResult(doc, [], [.. rejected, .. accepted.Select(a => new FixRejection(a.Fix.Candidate, broken))]);
        }

        return new PassResult(result, [.. accepted.Select(a => a.Fix)], rejected);
    }

    private static Dictionary<int, LineChange> Render(LineDocument doc, IDialect dialect, PlannedFix fix)
    {
        var changes = new Dictionary<int, LineChange>();
        foreach (var group in fix.Edits.GroupBy(e => e.Target.Line))
        {
            var lineNo = group.Key;
            if (lineNo < 1 || lineNo > doc.Lines.Count)
            {
                throw new FixRenderException($"line {lineNo} does not exist (the file has {doc.Lines.Count} lines)");
            }

            var original = doc.Lines[lineNo - 1].Content;
            foreach (var uuid in group.Select(e => e.Target.Uuid).Where(u => u is not null).Distinct())
            {
                if (UuidOf(original) != uuid)
                {
                    throw new FixRenderException($"stale fix: line {lineNo} no longer holds entry {uuid}");
                }
            }

            var change = new LineChange();
            var edits = group.ToList();
            change.Deleted = edits.Any(e => e is DeleteEntry);
            var whole = edits.OfType<ReplaceValue>().Where(r => r.JsonPointer.Length == 0).Select(r => r.ValueJson).Distinct().ToList();
            var inPlace = edits.Where(e => e is SetParent or RemoveArrayElement || (e is ReplaceValue r && r.JsonPointer.Length > 0)).ToList();
            if (whole.Count > 1 || (whole.Count == 1 && inPlace.Count > 0) || (change.Deleted && (whole.Count > 0 || inPlace.Count > 0)))
            {
                throw new FixRenderException($"conflicting edits on line {lineNo}");
            }

            if (whole.Count == 1)
            {
                change.NewContent = Encoding.UTF8.GetBytes(whole[0]);
            }
            else if (inPlace.Count > 0)
            {
                change.NewContent = Splice(original, inPlace, dialect, lineNo);
            }

            foreach (var insert in edits.OfType<InsertEntryAfter>())
            {
                change.InsertedAfter.Add(Encoding.UTF8.GetBytes(RenderInsert(doc, dialect, lineNo, insert.Entry)));
            }

            changes[lineNo] = change;
        }

        return changes;
    }

    private static string RenderInsert(LineDocument doc, IDialect dialect, int lineNo, NewEntry entry)
    {
        var docs = new List<JsonDocument>();
        try
        {
            var anchorDoc = TryParse(doc.Lines[lineNo - 1].Content);
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
                    if (n >= 1 && n <= doc.Lines.Count && TryParse(doc.Lines[n - 1].Content) is { } nd)
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
    private static byte[] Splice(ReadOnlyMemory<byte> line, List<FixEdit> edits, IDialect dialect, int lineNo)
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
                        var (s, e) = Locate(line, ElementPointer(a.ArrayPointer, a.Index), lineNo);
                        if (JsonPointerLocator.Find(line.Span, ElementPointer(a.ArrayPointer, a.Index + 1)) is { } next)
                        {
                            spans.Add((s, next.Start, []));
                        }
                        else if (a.Index > 0 && JsonPointerLocator.Find(line.Span, ElementPointer(a.ArrayPointer, a.Index - 1)) is { } previous)
                        {
                            spans.Add((previous.End, e, []));
                        }
                        else
                        {
                            spans.Add((s, e, []));
                        }

                        break;
                    }
            }
        }

        spans.Sort((x, y) => y.Start.CompareTo(x.Start));
        for (var i = 1; i < spans.Count; i++)
        {
            if (spans[i].End > spans[i - 1].Start)
            {
                throw new FixRenderException($"overlapping edits inside line {lineNo}");
            }
        }

        // One output array, written once: the spans are in descending order and disjoint.
        var result = GC.AllocateUninitializedArray<byte>(line.Length + spans.Sum(s => s.Value.Length - (s.End - s.Start)));
        var from = 0;
        var to = 0;
        for (var i = spans.Count - 1; i >= 0; i--)
        {
            var (start, end, value) = spans[i];
            line.Span[from..start].CopyTo(result.AsSpan(to));
            to += start - from;
            value.CopyTo(result, to);
            to += value.Length;
            from = end;
        }

        line.Span[from..].CopyTo(result.AsSpan(to));
        return result;
    }

    private static (int Start, int End) Locate(ReadOnlyMemory<byte> line, string pointer, int lineNo) =>
        JsonPointerLocator.Find(line.Span, pointer) ?? throw new FixRenderException($"'{pointer}' does not resolve in line {lineNo}");

    private static string ElementPointer(string arrayPointer, int index) => arrayPointer + "/" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Puts the new document together; lines no change targets are copied as they are.</summary>
    private static LineDocument Build(LineDocument doc, Dictionary<int, LineChange> changes)
    {
        var newline = doc.Newline;
        var lines = new List<DocLine>(doc.Lines.Count + 8);
        var lastSurvives = true;
        for (var i = 0; i < doc.Lines.Count; i++)
        {
            var original = doc.Lines[i];
            changes.TryGetValue(i + 1, out var change);
            if (change is null || !change.Deleted)
            {
                lines.Add(original with { Content = change?.NewContent ?? original.Content });
            }
            else if (i == doc.Lines.Count - 1)
            {
                lastSurvives = false;
            }

            foreach (var inserted in change?.InsertedAfter ?? [])
            {
                lines.Add(new DocLine(inserted, newline));
            }
        }

        // Every line but the last ends with a newline; the last keeps the original file's final newline or
        // its absence. When the last line itself was deleted (a torn write), the last whole line keeps its own.
        var endsWithoutNewline = doc.Lines.Count > 0 && doc.Lines[^1].Terminator == LineTerminator.None;
        for (var i = 0; i < lines.Count; i++)
        {
            var isLast = i == lines.Count - 1;
            if (!isLast && lines[i].Terminator == LineTerminator.None)
            {
                lines[i] = lines[i] with { Terminator = newline };
            }
            else if (isLast && endsWithoutNewline && lastSurvives)
            {
                lines[i] = lines[i] with { Terminator = LineTerminator.None };
            }
        }

        return new LineDocument(doc.HasBom, lines);
    }

    /// <summary>Checks one fix's touched lines: valid JSON objects, thinking blocks and signatures unchanged.</summary>
    private static string? Verify(LineDocument doc, Dictionary<int, LineChange> changes)
    {
        foreach (var (lineNo, change) in changes.OrderBy(c => c.Key))
        {
            if (change.NewContent is { } content)
            {
                using var after = TryParse(content);
                if (after is null)
                {
                    return $"line {lineNo} would not be a valid JSON object";
                }

                using var before = TryParse(doc.Lines[lineNo - 1].Content);
                if (before is not null && !ThinkingBlocks(before.RootElement).SequenceEqual(ThinkingBlocks(after.RootElement), StringComparer.Ordinal))
                {
                    return $"line {lineNo}: a thinking block or its signature would change";
                }
            }

            foreach (var inserted in change.InsertedAfter)
            {
                using var parsed = TryParse(inserted);
                if (parsed is null)
                {
                    return $"the entry inserted after line {lineNo} would not be a valid JSON object";
                }
            }
        }

        return null;
    }

    private static string? VerifyUntouched(LineDocument before, LineDocument after, Dictionary<int, LineChange> changes)
    {
        // Walk the new document: untargeted original lines must come back byte-identical and in order.
        var j = 0;
        for (var i = 0; i < before.Lines.Count; i++)
        {
            changes.TryGetValue(i + 1, out var change);
            if (change is { Deleted: true })
            {
                j += change.InsertedAfter.Count;
                continue;
            }

            if (j >= after.Lines.Count)
            {
                return "internal error: lines went missing";
            }

            if (change is null && !after.Lines[j].Content.Span.SequenceEqual(before.Lines[i].Content.Span))
            {
                return $"internal error: untargeted line {i + 1} changed";
            }

            j += 1 + (change?.InsertedAfter.Count ?? 0);
        }

        return j == after.Lines.Count ? null : "internal error: unexpected lines";
    }

    /// <summary>The raw JSON text of each thinking / redacted_thinking block of a line (signatures included).</summary>
    internal static IEnumerable<string> ThinkingBlocks(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var block in content.EnumerateArray())
        {
            // Raw bytes, compared as they are: a line may hold invalid UTF-8 that a string conversion would reject.
            if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                && (type.ValueEquals("thinking") || type.ValueEquals("redacted_thinking")))
            {
                yield return Convert.ToBase64String(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(block));
            }
        }
    }

    internal static JsonDocument? TryParse(ReadOnlyMemory<byte> content)
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

    private static string? UuidOf(ReadOnlyMemory<byte> content)
    {
        using var d = TryParse(content);
        return d is not null && d.RootElement.TryGetProperty("uuid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
    }

    private sealed class FixRenderException(string message) : Exception(message);
}
