using System.Globalization;
using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Fixes;
using TranscriptLint.Model;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Fixing;

/// <summary>What a rendered fix does to one original line: deletes it, or gives it new content (or neither: only inserts after it).</summary>
/// <param name="Deleted">Whether the line goes.</param>
/// <param name="NewContent">The line's new content, when it changes.</param>
internal readonly record struct RenderedLine(bool Deleted, byte[]? NewContent);

/// <summary>
/// The promises the fixer keeps whatever a rule (or plugin) offers, checked on the rendered bytes before a pass
/// is accepted: a file that is not a transcript is never changed; a fix removes nothing its edits do not declare
/// (a DeleteEntry its line, a ReplaceValue the value at its pointer, a RemoveArrayElement one element and a
/// separator); a line that is a complete JSON value is never deleted or replaced as torn; an entry is deleted only
/// by a fix that names it; and a Safe fix never removes real content (a tool result, user or assistant text, a
/// call) unless an identical copy stays, nor answers a call with a synthetic result when the file holds a real one.
/// </summary>
internal static class FixInvariants
{
    private static readonly JsonDocumentOptions DocOptions = new() { MaxDepth = 1024 };

    /// <summary>Why a file must not be changed at all, or null.</summary>
    public static string? RefuseFile(FileLintResult lint) =>
        lint.Dialect == DialectRegistry.NoDialect || DialectRegistry.ByName(lint.Dialect) is null
            ? $"{lint.Path} is not a transcript of a supported format (dialect '{lint.Dialect}'); it is never changed"
            : null;

    /// <summary>Checks one fix's rendered lines against what its edits declare; returns the first broken promise, or null.</summary>
    public static string? Check(SourceLines doc, IDialect dialect, PlannedFix fix, IReadOnlyDictionary<int, RenderedLine> changes)
    {
        var safe = fix.Candidate.Fix.Applicability == Applicability.Safe;
        foreach (var (lineNo, change) in changes.OrderBy(c => c.Key))
        {
            ReadOnlyMemory<byte> original = doc.Content(lineNo);
            var edits = fix.Edits.Where(e => e.Target.Line == lineNo).ToList();
            var problem = change.Deleted
                ? CheckDelete(doc, dialect, lineNo, original, edits, changes, safe && !MovedByTheFix(fix, original.Span))
                : change.NewContent is { } content ? CheckRewrite(doc, dialect, lineNo, original, content, edits, safe) : null;
            if (problem is not null)
            {
                return problem;
            }
        }

        return safe ? CheckSyntheticResults(doc, dialect, fix) : null;
    }

    // A line the same fix writes again, byte for byte, elsewhere (TL3005 moving tool results up) is moved, not lost.
    private static bool MovedByTheFix(PlannedFix fix, ReadOnlySpan<byte> original)
    {
        foreach (var edit in fix.Edits)
        {
            if (edit is InsertEntryAfter { Entry: RawJsonEntry raw } && Encoding.UTF8.GetByteCount(raw.Json) == original.Length && Encoding.UTF8.GetBytes(raw.Json).AsSpan().SequenceEqual(original))
            {
                return true;
            }
        }

        return false;
    }

    private static string? CheckDelete(SourceLines doc, IDialect dialect, int lineNo, ReadOnlyMemory<byte> original, List<FixEdit> edits, IReadOnlyDictionary<int, RenderedLine> changes, bool safe)
    {
        var kind = CompleteValueKind(original.Span);
        if (kind is not (JsonValueKind.Undefined or JsonValueKind.Object))
        {
            return $"line {lineNo} is a complete JSON {Describe(kind)}, not a torn line; it is not deleted";
        }

        if (kind != JsonValueKind.Object)
        {
            return null; // a torn or unreadable line: deleting it is what the edit declares
        }

        using var parsed = Parse(original);
        if (parsed is null)
        {
            // Complete, but beyond what the reader parses (e.g. nested deeper than 1024): not torn, never guessed at.
            return edits.Any(e => e is DeleteEntry && e.Target.Uuid is not null) ? null : $"line {lineNo} is a complete JSON object, not a torn line; it is not deleted";
        }

        var root = parsed.RootElement;
        if (root.TryGetProperty(dialect.IdProperty, out var uuid) && uuid.ValueKind == JsonValueKind.String && !edits.Any(e => e is DeleteEntry && e.Target.Uuid is not null))
        {
            return $"line {lineNo} holds entry {uuid.GetString()}; only a fix that names the entry may delete it";
        }

        if (dialect.Traits.RecordsUpdatedByAppending && uuid.ValueKind == JsonValueKind.String && OtherCopy(doc, dialect, lineNo, uuid.GetString()!, changes) is { } other)
        {
            // The harness loads an id's last copy: deleting one copy brings back another, it does not delete the record.
            return $"line {lineNo} is one copy of record {uuid.GetString()} and line {other} holds another (the log records each change by appending the record again); deleting one copy would bring the other back, so it is not deleted";
        }

        if (safe && RealContent(dialect, root, lineNo, null) is { } what && !HasCopyElsewhere(doc, lineNo, original, changes) && !RealBlocksHaveCopies(doc, dialect, root, lineNo, original))
        {
            return $"a Safe fix may not delete {what} on line {lineNo} (only an identical copy, a harness-made or an empty entry); offer it as Unsafe";
        }

        return null;
    }

    // Another line holding the same record id that this fix does not delete too, or null.
    private static int? OtherCopy(SourceLines doc, IDialect dialect, int lineNo, string id, IReadOnlyDictionary<int, RenderedLine> changes)
    {
        var idBytes = Encoding.UTF8.GetBytes(id);
        for (var n = 1; n <= doc.Count; n++)
        {
            if (n == lineNo || (changes.TryGetValue(n, out var change) && change.Deleted))
            {
                continue;
            }

            var content = doc.Content(n);
            if (content.AsSpan().IndexOf(idBytes) < 0)
            {
                continue; // the id's text is not even on the line
            }

            using var line = Parse(content);
            if (line is not null && line.RootElement.ValueKind == JsonValueKind.Object && line.RootElement.TryGetProperty(dialect.IdProperty, out var other)
                && other.ValueKind == JsonValueKind.String && other.ValueEquals(id))
            {
                return n;
            }
        }

        return null;
    }

    private static string? CheckRewrite(SourceLines doc, IDialect dialect, int lineNo, ReadOnlyMemory<byte> original, ReadOnlyMemory<byte> content, List<FixEdit> edits, bool safe)
    {
        if (edits.OfType<ReplaceValue>().Any(r => r.JsonPointer.Length == 0))
        {
            // The whole line is replaced: meant for damaged lines (a torn write, NULs), never for a complete value;
            // except where the new line is the old one with each invalid UTF-8 sequence read as U+FFFD, the text every
            // lenient reader already sees (proven byte for byte here, whatever the rule claims).
            if (LenientUtf8.IsRepairOf(original.Span, content.Span))
            {
                return null;
            }

            var kind = CompleteValueKind(original.Span);
            return safe && kind != JsonValueKind.Undefined
                ? $"line {lineNo} is a complete JSON {Describe(kind)}; a Safe fix may not replace it whole"
                : kind is not (JsonValueKind.Undefined or JsonValueKind.Object) ? $"line {lineNo} is a complete JSON {Describe(kind)}, not a torn line; it is not replaced" : null;
        }

        var spans = new List<(int Start, int End)>();
        foreach (var edit in edits)
        {
            var pointer = edit switch
            {
                ReplaceValue r => r.JsonPointer,
                SetParent => dialect.ParentPointer,
                RemoveArrayElement a => a.ArrayPointer + "/" + a.Index.ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
            if (pointer is null || JsonPointerLocator.Find(original.Span, pointer) is not { } span)
            {
                continue;
            }

            if (edit is RemoveArrayElement remove)
            {
                // The element and the separator beside it (either side).
                var prefix = remove.ArrayPointer + "/";
                var before = remove.Index > 0 ? JsonPointerLocator.Find(original.Span, prefix + (remove.Index - 1).ToString(CultureInfo.InvariantCulture)) : null;
                var after = JsonPointerLocator.Find(original.Span, prefix + (remove.Index + 1).ToString(CultureInfo.InvariantCulture));
                span = (before?.End ?? span.Start, after?.Start ?? span.End);
                if (safe && RealElement(dialect, original, lineNo, pointer) is { } what && !ElementHasCopyElsewhere(doc, lineNo, original[span.Start..span.End], span.Start))
                {
                    return $"a Safe fix may not remove {what} ({pointer}) on line {lineNo} (only an identical copy, a harness-made or an empty block); offer it as Unsafe";
                }
            }

            spans.Add(span);
        }

        return KeepsEverythingElse(original.Span, content.Span, spans) ? null : $"line {lineNo}: the fix would remove bytes outside the values its edits name";
    }

    /// <summary>Whether every byte of <paramref name="before"/> outside the spans is in <paramref name="after"/>, in order, with only the spans' replacements between.</summary>
    internal static bool KeepsEverythingElse(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, List<(int Start, int End)> spans)
    {
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var kept = new List<(int Start, int End)>();
        var at = 0;
        foreach (var (start, end) in spans)
        {
            if (start > at)
            {
                kept.Add((at, start));
            }

            at = Math.Max(at, end);
        }

        kept.Add((at, before.Length));
        if (spans.Count == 0)
        {
            return before.SequenceEqual(after);
        }

        // The first kept piece starts the line, the last ends it; the others follow in order (earliest match).
        var cursor = 0;
        for (var i = 0; i < kept.Count; i++)
        {
            var piece = before[kept[i].Start..kept[i].End];
            if (i == 0 && kept[i].Start == 0)
            {
                if (!after.StartsWith(piece))
                {
                    return false;
                }

                cursor = piece.Length;
                continue;
            }

            if (i == kept.Count - 1)
            {
                return after.Length - piece.Length >= cursor && after.EndsWith(piece);
            }

            var found = after[cursor..].IndexOf(piece);
            if (found < 0)
            {
                return false;
            }

            cursor += found + piece.Length;
        }

        return true;
    }

    /// <summary>A Safe fix inserting a synthetic result for a call whose real result is elsewhere in the file would replace it.</summary>
    private static string? CheckSyntheticResults(SourceLines doc, IDialect dialect, PlannedFix fix)
    {
        foreach (var insert in fix.Edits.OfType<InsertEntryAfter>())
        {
            if (insert.Entry is not SyntheticToolResult synthetic)
            {
                continue;
            }

            var needle = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(synthetic.ToolCallId));
            if (doc.FirstLine((n, content) => content.IndexOf(needle) >= 0 && HoldsResult(dialect, content, n, synthetic.ToolCallId)) is var holder and > 0)
            {
                return $"line {holder} holds the real result of {synthetic.ToolCallId}; a Safe fix does not answer the call with a synthetic one";
            }
        }

        return null;
    }

    private static bool HoldsResult(IDialect dialect, ReadOnlySpan<byte> content, int lineNo, string toolId)
    {
        using var parsed = Parse(content.ToArray());
        return parsed is not null && Read(dialect, parsed.RootElement, lineNo) is { } entry
            && entry.Blocks.Any(b => b.Kind == BlockKind.ToolResult && b.ToolId == toolId);
    }

    /// <summary>What real content an entry holds (for the message), or null when it is harness-made, meta or empty.</summary>
    private static string? RealContent(IDialect dialect, JsonElement root, int lineNo, string? pointer)
    {
        if (Read(dialect, root, lineNo) is not { } entry || !entry.IsConversational || entry.IsSynthetic || entry.IsMeta)
        {
            return null;
        }

        var block = entry.Blocks.FirstOrDefault(b => (pointer is null || b.JsonPointer == pointer) && IsReal(b));
        return block is null ? null : Words(block.Kind, entry.Role);
    }

    private static string? RealElement(IDialect dialect, ReadOnlyMemory<byte> line, int lineNo, string pointer)
    {
        using var parsed = Parse(line);
        return parsed is null ? null : RealContent(dialect, parsed.RootElement, lineNo, pointer);
    }

    private static bool IsReal(ContentBlock b) => b.Kind switch
    {
        BlockKind.Text or BlockKind.ToolResult => b.TextLength > 0 || !b.IsWhitespaceOnly,
        BlockKind.ToolCall or BlockKind.Image or BlockKind.ServerToolCall or BlockKind.ServerToolResult => true,
        _ => false,
    };

    private static string Words(BlockKind kind, string? role) => kind switch
    {
        BlockKind.ToolResult or BlockKind.ServerToolResult => "a real tool result",
        BlockKind.ToolCall or BlockKind.ServerToolCall => "a real tool call",
        BlockKind.Image => "a real image",
        _ => $"real {role ?? "message"} text",
    };

    /// <summary>Whether every real block of the entry (an object: a tool result with its id, a text block) occurs byte for byte elsewhere.</summary>
    private static bool RealBlocksHaveCopies(SourceLines doc, IDialect dialect, JsonElement root, int lineNo, ReadOnlyMemory<byte> line)
    {
        if (Read(dialect, root, lineNo) is not { } entry)
        {
            return false;
        }

        foreach (var block in entry.Blocks.Where(IsReal))
        {
            if (JsonPointerLocator.Find(line.Span, block.JsonPointer) is not { } span || line.Span[span.Start] != (byte)'{'
                || !ElementHasCopyElsewhere(doc, lineNo, line[span.Start..span.End], span.Start))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a byte-identical copy of a deleted line stays in the file (a duplicate).</summary>
    private static bool HasCopyElsewhere(SourceLines doc, int lineNo, ReadOnlyMemory<byte> content, IReadOnlyDictionary<int, RenderedLine> changes) =>
        doc.HasEqualLine(content.Span, n => n == lineNo || (changes.TryGetValue(n, out var c) && c.Deleted));

    /// <summary>Whether the removed element's bytes occur elsewhere in the file than at its own place.</summary>
    private static bool ElementHasCopyElsewhere(SourceLines doc, int lineNo, ReadOnlyMemory<byte> element, int ownStart)
    {
        var trimmed = element.Span.Trim(" \t,"u8);
        if (trimmed.IsEmpty)
        {
            return false;
        }

        var needle = trimmed.ToArray();
        var elementLength = element.Length;
        return doc.FirstLine((n, line) =>
        {
            var offset = 0;
            while (line.IndexOf(needle) is var at and >= 0)
            {
                // Its own occurrence lies inside the removed span of its own line.
                var own = n == lineNo && offset + at >= ownStart && offset + at < ownStart + elementLength;
                if (!own)
                {
                    return true;
                }

                line = line[(at + 1)..];
                offset += at + 1;
            }

            return false;
        }) > 0;
    }

    private static Entry? Read(IDialect dialect, JsonElement root, int lineNo)
    {
        try
        {
            return dialect.ReadEntry(root, new TranscriptLine(lineNo, 0, 0, LineTerminator.LineFeed, 0));
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static JsonDocument? Parse(ReadOnlyMemory<byte> content)
    {
        try
        {
            var bytes = System.Text.Unicode.Utf8.IsValid(content.Span) ? content : LenientUtf8.Decode(content.Span);
            var d = JsonDocument.Parse(bytes, DocOptions);
            if (d.RootElement.ValueKind == JsonValueKind.Object)
            {
                return d;
            }

            d.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The kind of the JSON value a line holds when it is exactly one complete value (any nesting depth, invalid
    /// UTF-8 read as U+FFFD, surrounding whitespace allowed); Undefined when it is not one.
    /// </summary>
    internal static JsonValueKind CompleteValueKind(ReadOnlySpan<byte> line)
    {
        byte[]? decoded = null;
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            decoded = LenientUtf8.Decode(line);
            line = decoded;
        }

        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = int.MaxValue });
            if (!reader.Read())
            {
                return JsonValueKind.Undefined;
            }

            var first = reader.TokenType;
            reader.Skip();
            if (reader.Read())
            {
                return JsonValueKind.Undefined; // cannot happen without AllowMultipleValues; kept for clarity
            }

            return FileClassifier.ValueKindOf(first);
        }
        catch (JsonException)
        {
            return JsonValueKind.Undefined;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
