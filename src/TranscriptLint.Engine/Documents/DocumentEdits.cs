using System.Globalization;
using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;

namespace TranscriptLint.Engine.Documents;

/// <summary>Replace bytes [<paramref name="Start"/>, <paramref name="End"/>) of the original file with <paramref name="Text"/>.</summary>
/// <param name="Start">First byte replaced (an offset in the file as linted).</param>
/// <param name="End">Byte just past the last replaced one; equal to Start for an insertion.</param>
/// <param name="Text">The new bytes.</param>
public sealed record ByteEdit(int Start, int End, byte[] Text);

/// <summary>A fix edit that cannot be written into the document, with the reason.</summary>
/// <param name="message">One line.</param>
public sealed class DocumentEditException(string message) : Exception(message);

/// <summary>
/// Turns semantic fix edits into byte-range edits of a whole-document transcript: an entry is its element's span,
/// a deleted element goes with one separator, an inserted element or member is written like its neighbours
/// (same indentation, same line ending) and a replaced value is re-indented to where it sits. Every byte outside
/// the edited ranges stays as it was.
/// </summary>
internal static class DocumentEdits
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4096 };

    public static List<ByteEdit> Render(TranscriptDocument doc, IEnumerable<FixEdit> edits)
    {
        var result = new List<ByteEdit>();
        foreach (var edit in edits)
        {
            result.AddRange(Render(doc, edit));
        }

        // Stable: two insertions at one point keep the fix's own order.
        result = [.. result.OrderBy(e => e.Start).ThenBy(e => e.End)];
        for (var i = 1; i < result.Count; i++)
        {
            if (result[i].Start < result[i - 1].End)
            {
                throw new DocumentEditException("two edits of the fix overlap");
            }
        }

        return result;
    }

    private static IEnumerable<ByteEdit> Render(TranscriptDocument doc, FixEdit edit)
    {
        var element = doc.Find(edit.Target)
            ?? throw new DocumentEditException($"no entry{(edit.Target.Uuid is { } u ? " " + u : "")} starts on line {edit.Target.Line} (stale fix)");
        var span = doc.Bytes.AsSpan(element.Start, element.End - element.Start);
        switch (edit)
        {
            case DeleteEntry:
                {
                    var spans = doc.Elements.Select(e => (e.Start, e.End)).ToList();
                    yield return RemoveElement(spans, element.Index, doc.ArraySpan.Start, doc.ArraySpan.End);
                    break;
                }

            case ReplaceValue r:
                {
                    var (s, e) = r.JsonPointer.Length == 0 ? (0, span.Length) : JsonPointerLocator.Find(span, r.JsonPointer)
                        ?? throw new DocumentEditException($"'{r.JsonPointer}' does not resolve in the entry on line {edit.Target.Line}");
                    yield return new ByteEdit(element.Start + s, element.Start + e, Format(doc, r.ValueJson, element.Start + s));
                    break;
                }

            case RemoveArrayElement a:
                {
                    var array = JsonPointerLocator.Find(span, a.ArrayPointer)
                        ?? throw new DocumentEditException($"'{a.ArrayPointer}' does not resolve in the entry on line {edit.Target.Line}");
                    var items = JsonSpans.Elements(span[array.Start..]) ?? throw new DocumentEditException($"'{a.ArrayPointer}' is not an array");
                    if (a.Index < 0 || a.Index >= items.Count)
                    {
                        throw new DocumentEditException($"'{a.ArrayPointer}' has no element {a.Index}");
                    }

                    var offset = element.Start + array.Start;
                    yield return RemoveElement([.. items.Select(i => (i.Start + offset, i.End + offset))], a.Index, element.Start + array.Start, element.Start + array.End);
                    break;
                }

            case InsertEntryAfter insert:
                {
                    DocumentInsertion insertion;
                    try
                    {
                        insertion = doc.Dialect.RenderInsertion(insert.Entry, doc.Values[element.Index]);
                    }
                    catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException)
                    {
                        throw new DocumentEditException($"the {doc.Dialect.Name} dialect cannot write the inserted entry: {ex.Message}");
                    }

                    yield return insertion switch
                    {
                        NewElementAfter n => InsertAfter(doc, element.Start, element.End, n.Json),
                        AddMember m => SetMember(doc, element, m),
                        _ => throw new DocumentEditException($"unknown insertion {insertion.GetType().Name}"),
                    };
                    break;
                }

            case SetParent:
                throw new DocumentEditException($"the {doc.Dialect.Name} format has no parent links");

            default:
                throw new DocumentEditException($"unknown edit {edit.GetType().Name}");
        }
    }

    // One element goes with one separator: the comma and whitespace before the next element (or, for the last,
    // after the previous one). The only element leaves "[]", as JSON.stringify writes an empty array.
    private static ByteEdit RemoveElement(List<(int Start, int End)> spans, int index, int arrayStart, int arrayEnd)
    {
        if (spans.Count == 1)
        {
            return new ByteEdit(arrayStart + 1, arrayEnd - 1, []);
        }

        return index + 1 < spans.Count
            ? new ByteEdit(spans[index].Start, spans[index + 1].Start, [])
            : new ByteEdit(spans[index - 1].End, spans[index].End, []);
    }

    // ",<the whitespace that precedes the anchor><new element>" right after the anchor.
    private static ByteEdit InsertAfter(TranscriptDocument doc, int anchorStart, int anchorEnd, string json)
    {
        var ws = anchorStart;
        while (ws > 0 && doc.Bytes[ws - 1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            ws--;
        }

        var text = new List<byte> { (byte)',' };
        text.AddRange(doc.Bytes.AsSpan(ws, anchorStart - ws).ToArray());
        text.AddRange(Format(doc, json, anchorStart));
        return new ByteEdit(anchorEnd, anchorEnd, [.. text]);
    }

    // Sets a member of an object inside the element: replaces its value when present, else appends it after
    // the last member, written like the first one (same indentation, same ": ").
    private static ByteEdit SetMember(TranscriptDocument doc, DocumentElement element, AddMember m)
    {
        var span = doc.Bytes.AsSpan(element.Start, element.End - element.Start);
        var obj = JsonPointerLocator.Find(span, m.ObjectPointer)
            ?? throw new DocumentEditException($"'{m.ObjectPointer}' does not resolve in the entry on line {element.Entry.Line.Number}");
        var members = JsonSpans.Members(span[obj.Start..]) ?? throw new DocumentEditException($"'{m.ObjectPointer}' is not an object");
        var offset = element.Start + obj.Start;
        var nameJson = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(m.Name));
        foreach (var member in members)
        {
            var name = doc.Bytes.AsSpan(offset + member.NameStart, member.NameEnd - member.NameStart);
            if (name.SequenceEqual(nameJson))
            {
                return new ByteEdit(offset + member.ValueStart, offset + member.ValueEnd, Format(doc, m.ValueJson, offset + member.ValueStart));
            }
        }

        if (members.Count == 0)
        {
            return new ByteEdit(offset + 1, offset + 1, [.. nameJson, (byte)':', .. Format(doc, m.ValueJson, offset)]);
        }

        var first = members[0];
        var ws = first.NameStart;
        while (ws > 1 && doc.Bytes[offset + ws - 1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            ws--;
        }

        var indent = doc.Bytes.AsSpan(offset + ws, first.NameStart - ws);
        var colon = doc.Bytes.AsSpan(offset + first.NameEnd, first.ValueStart - first.NameEnd);
        var at = offset + members[^1].ValueEnd;
        byte[] text = [(byte)',', .. indent, .. nameJson, .. colon, .. Format(doc, m.ValueJson, offset + first.NameStart)];
        return new ByteEdit(at, at, text);
    }

    /// <summary>
    /// A compact JSON value written where <paramref name="at"/> sits: compact in a compact document; in a pretty
    /// one, one member or element per line, indented from that line's indentation by the document's unit. String
    /// escapes are kept as the value has them.
    /// </summary>
    public static byte[] Format(TranscriptDocument doc, string json, int at)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (!doc.IsPretty)
        {
            return bytes;
        }

        var baseIndent = doc.Text.Indentation(doc.Text.LineOf(at)).ToArray();
        var newline = doc.Bytes.AsSpan().IndexOf("\r\n"u8) >= 0 ? "\r\n"u8.ToArray() : "\n"u8.ToArray();
        return Reindent(bytes, baseIndent, doc.IndentUnit, newline);
    }

    internal static byte[] Reindent(byte[] json, byte[] baseIndent, byte[] unit, byte[] newline)
    {
        var tokens = new List<(JsonTokenType Type, byte[] Raw)>();
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            while (reader.Read())
            {
                tokens.Add((reader.TokenType, reader.ValueSpan.ToArray()));
            }
        }
        catch (JsonException ex)
        {
            throw new DocumentEditException($"the new value is not valid JSON ({ex.Message})");
        }

        var output = new List<byte>(json.Length * 2);
        var depth = 0;
        void Indent()
        {
            output.AddRange(newline);
            output.AddRange(baseIndent);
            for (var d = 0; d < depth; d++)
            {
                output.AddRange(unit);
            }
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var (type, raw) = tokens[i];
            var next = i + 1 < tokens.Count ? tokens[i + 1].Type : JsonTokenType.None;
            switch (type)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    output.Add(type == JsonTokenType.StartObject ? (byte)'{' : (byte)'[');
                    if (next is JsonTokenType.EndObject or JsonTokenType.EndArray)
                    {
                        output.Add(next == JsonTokenType.EndObject ? (byte)'}' : (byte)']');
                        i++;
                        break;
                    }

                    depth++;
                    Indent();
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    depth--;
                    Indent();
                    output.Add(type == JsonTokenType.EndObject ? (byte)'}' : (byte)']');
                    break;
                case JsonTokenType.PropertyName:
                    output.Add((byte)'"');
                    output.AddRange(raw);
                    output.AddRange("\": "u8.ToArray());
                    continue;
                case JsonTokenType.String:
                    output.Add((byte)'"');
                    output.AddRange(raw);
                    output.Add((byte)'"');
                    break;
                default:
                    output.AddRange(raw);
                    break;
            }

            // After a complete value: a comma and a new line unless its container closes next.
            var after = i + 1 < tokens.Count ? tokens[i + 1].Type : JsonTokenType.None;
            if (after is not (JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.None))
            {
                output.Add((byte)',');
                Indent();
            }
        }

        return [.. output];
    }

    /// <summary>Applies sorted, non-overlapping edits to <paramref name="bytes"/>.</summary>
    public static byte[] Apply(byte[] bytes, IReadOnlyList<ByteEdit> edits)
    {
        var output = new MemoryStream(bytes.Length + 256);
        var at = 0;
        foreach (var e in edits.OrderBy(e => e.Start).ThenBy(e => e.End))
        {
            output.Write(bytes, at, e.Start - at);
            output.Write(e.Text);
            at = e.End;
        }

        output.Write(bytes, at, bytes.Length - at);
        return output.ToArray();
    }

    internal static string N(int i) => i.ToString(CultureInfo.InvariantCulture);
}
