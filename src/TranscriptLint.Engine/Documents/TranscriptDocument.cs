using System.Globalization;
using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Documents;

/// <summary>One element of a document's entries array: its byte span in the file and its entry.</summary>
/// <param name="Index">Index in the entries array.</param>
/// <param name="Start">Offset of its first byte in the file.</param>
/// <param name="End">Offset just past its last byte.</param>
/// <param name="Entry">The entry the dialect read from it.</param>
internal sealed record DocumentElement(int Index, int Start, int End, Entry Entry);

/// <summary>
/// A whole-document transcript held in memory: its bytes, the parsed JSON, the entries array's span and each
/// element's span and entry. Built the same way for linting and for fixing, so entry references agree.
/// </summary>
internal sealed class TranscriptDocument : IDisposable
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 1024 };

    private TranscriptDocument(byte[] bytes, int bomLength, JsonDocument json, IDocumentDialect dialect)
    {
        Bytes = bytes;
        BomLength = bomLength;
        Json = json;
        Dialect = dialect;
        Text = new TextIndex(bytes, bomLength);
    }

    public byte[] Bytes { get; }

    public int BomLength { get; }

    public JsonDocument Json { get; }

    public IDocumentDialect Dialect { get; }

    public TextIndex Text { get; }

    /// <summary>Offset of the entries array's <c>[</c> and just past its <c>]</c>.</summary>
    public (int Start, int End) ArraySpan { get; private set; }

    public IReadOnlyList<DocumentElement> Elements { get; private set; } = [];

    /// <summary>The JSON values of the elements, index for index.</summary>
    public IReadOnlyList<JsonElement> Values { get; private set; } = [];

    /// <summary>Whether the document is written on several lines (pretty printed): inserted values are indented.</summary>
    public bool IsPretty { get; private set; }

    /// <summary>The indentation one nesting level adds (two spaces for <c>JSON.stringify(x, null, 2)</c>).</summary>
    public byte[] IndentUnit { get; private set; } = [];

    /// <summary>The start of <see cref="Open"/>'s reason when the bytes are not valid UTF-8.</summary>
    internal const string InvalidUtf8Problem = "invalid UTF-8";

    /// <summary>The start of <see cref="Open"/>'s reason when the bytes do not parse as one JSON value.</summary>
    internal const string NotOneDocumentProblem = "not one JSON document";

    /// <summary>Whether a reason from <see cref="Open"/> says the bytes are damaged (rather than of another format).</summary>
    /// <param name="problem">The reason.</param>
    /// <returns>True for invalid UTF-8 or a parse error.</returns>
    internal static bool IsDamage(string problem) =>
        problem.StartsWith(InvalidUtf8Problem, StringComparison.Ordinal) || problem.StartsWith(NotOneDocumentProblem, StringComparison.Ordinal);

    // Where the first invalid byte is, as a person looks for it: its line and its byte offset in the file.
    private static string FirstInvalidUtf8(byte[] bytes, int bom)
    {
        var rest = bytes.AsSpan(bom);
        while (!rest.IsEmpty && System.Text.Rune.DecodeFromUtf8(rest, out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            rest = rest[consumed..];
        }

        var offset = bytes.Length - rest.Length;
        var line = bytes.AsSpan(0, offset).Count((byte)'\n') + 1;
        return $"line {line.ToString(System.Globalization.CultureInfo.InvariantCulture)}, byte {offset.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>Parses <paramref name="bytes"/> as a document of <paramref name="dialect"/> (or of any document dialect that matches).</summary>
    /// <returns>The document, or null with the reason.</returns>
    public static TranscriptDocument? Open(byte[] bytes, IDocumentDialect? dialect, out string? problem)
    {
        var bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        if (!System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(bom)))
        {
            // The parser accepts invalid UTF-8 inside strings and GetString then throws (found by fuzzing: lint
            // crashed on such a document). A document is read whole and rewritten whole: refuse it.
            problem = $"{InvalidUtf8Problem} at {FirstInvalidUtf8(bytes, bom)}";
            return null;
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(bytes.AsMemory(bom), ParseOptions);
        }
        catch (JsonException ex)
        {
            problem = $"{NotOneDocumentProblem} (line {(ex.LineNumber ?? 0) + 1}: {FirstSentence(ex.Message)})";
            return null;
        }

        var root = json.RootElement;
        dialect ??= DialectRegistry.All.OfType<IDocumentDialect>().FirstOrDefault(d => d.MatchesDocument(root));
        if (dialect is null || !dialect.MatchesDocument(root))
        {
            problem = dialect is null ? "a JSON document of no supported format" : $"not a {dialect.Name} document";
            json.Dispose();
            return null;
        }

        var doc = new TranscriptDocument(bytes, bom, json, dialect);
        if (!doc.Index(out problem))
        {
            doc.Dispose();
            return null;
        }

        return doc;
    }

    private bool Index(out string? problem)
    {
        var root = Json.RootElement;
        var pointer = Dialect.EntriesPointer(root);
        var body = Bytes.AsSpan(BomLength);
        if (JsonPointerLocator.Find(body, pointer) is not { } array || JsonSpans.Elements(body[array.Start..]) is not { } spans)
        {
            problem = $"'{pointer}' is not an array";
            return false;
        }

        ArraySpan = (array.Start + BomLength, array.End + BomLength);
        var values = (pointer.Length == 0 ? root : Resolve(root, pointer)).EnumerateArray().ToList();
        var elements = new List<DocumentElement>(spans.Count);
        for (var i = 0; i < spans.Count; i++)
        {
            var start = spans[i].Start + array.Start + BomLength;
            var end = spans[i].End + array.Start + BomLength;
            var startLine = Text.LineOf(start);
            var line = new TranscriptLine(startLine, start, end - start, LineTerminator.None, Encoding.UTF8.GetCharCount(Bytes, start, end - start));
            var entry = Dialect.ReadElement(values[i], line, pointer + "/" + i.ToString(CultureInfo.InvariantCulture));
            elements.Add(new DocumentElement(i, start, end, entry));
        }

        Elements = elements;
        Values = values;
        IsPretty = body.IndexOf((byte)'\n') is var nl && nl >= 0 && nl < array.End;
        IndentUnit = DetectIndentUnit();
        problem = null;
        return true;
    }

    // The second line's indentation is one level (the root's first member) in JSON.stringify/json.dumps output.
    private byte[] DetectIndentUnit()
    {
        for (var line = 2; line <= Text.LineCount; line++)
        {
            var indent = Text.Indentation(line);
            if (indent.Length > 0)
            {
                return indent.ToArray();
            }
        }

        return "  "u8.ToArray();
    }

    private static JsonElement Resolve(JsonElement root, string pointer)
    {
        var current = root;
        foreach (var token in JsonPointerLocator.Parse(pointer))
        {
            current = current.ValueKind == JsonValueKind.Array
                ? current[int.Parse(token, CultureInfo.InvariantCulture)]
                : current.GetProperty(token);
        }

        return current;
    }

    /// <summary>The element an entry reference names: the one starting on its line, told apart by its key.</summary>
    public DocumentElement? Find(EntryRef target)
    {
        DocumentElement? found = null;
        foreach (var e in Elements)
        {
            if (e.Entry.Line.Number != target.Line || (target.Uuid is not null && !GeminiCliDialect.IsKeyOf(e.Entry.Uuid, target.Uuid)))
            {
                continue;
            }

            if (found is not null)
            {
                return null; // ambiguous
            }

            found = e;
        }

        return found;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim().TrimEnd('.');
    }

    public void Dispose() => Json.Dispose();
}
