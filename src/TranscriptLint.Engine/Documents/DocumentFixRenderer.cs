using System.Text;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Fixes;

namespace TranscriptLint.Engine.Documents;

/// <summary>A text replacement in a document's original text: SARIF coordinates (UTF-16, BOM excluded, 1-based lines and columns).</summary>
/// <param name="CharOffset">0-based offset of the first replaced character.</param>
/// <param name="CharLength">Replaced characters.</param>
/// <param name="Inserted">The new text.</param>
/// <param name="StartLine">Line of the first replaced character.</param>
/// <param name="StartColumn">Its column.</param>
/// <param name="EndLine">Line of the end of the replaced range.</param>
/// <param name="EndColumn">Column just past it.</param>
public sealed record DocumentTextReplacement(long CharOffset, long CharLength, string Inserted, int StartLine, int StartColumn, int EndLine, int EndColumn);

/// <summary>
/// Renders a fix for a whole-document transcript the way the fixer applies it (<see cref="DocumentEdits"/>), as
/// replacements in the original text, for reports that carry fixes (SARIF).
/// </summary>
public static class DocumentFixRenderer
{
    /// <summary>The fix as text replacements, or null with the reason it cannot be written into this document.</summary>
    /// <param name="file">The document's bytes as linted.</param>
    /// <param name="dialect">Its dialect.</param>
    /// <param name="edits">The fix's edits.</param>
    /// <param name="problem">Why not, when null is returned.</param>
    /// <returns>The replacements in file order.</returns>
    public static IReadOnlyList<DocumentTextReplacement>? Render(byte[] file, IDocumentDialect dialect, IEnumerable<FixEdit> edits, out string? problem)
    {
        using var doc = TranscriptDocument.Open(file, dialect, out problem);
        if (doc is null)
        {
            return null;
        }

        List<ByteEdit> bytes;
        try
        {
            bytes = DocumentEdits.Render(doc, edits);
        }
        catch (DocumentEditException ex)
        {
            problem = ex.Message;
            return null;
        }

        return [.. bytes.Select(e => new DocumentTextReplacement(
            Encoding.UTF8.GetCharCount(file, doc.BomLength, e.Start - doc.BomLength),
            Encoding.UTF8.GetCharCount(file, e.Start, e.End - e.Start),
            Encoding.UTF8.GetString(e.Text),
            doc.Text.LineOf(e.Start),
            doc.Text.ColumnOf(e.Start),
            doc.Text.LineOf(e.End),
            doc.Text.ColumnOf(e.End)))];
    }
}
