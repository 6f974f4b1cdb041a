using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// A format stored as ONE JSON document (a saved API request body, a Gemini CLI session) rather than one object
/// per line. Its entries are the elements of one array inside the document (e.g. <c>/messages</c>); each entry's
/// <see cref="TranscriptLine"/> is that element's byte span (Number = the physical line it starts on), its pointers
/// are relative to the element, and fixes become byte-range edits inside the document.
/// </summary>
public interface IDocumentDialect : IDialect
{
    /// <summary>Whether a whole parsed document is in this format.</summary>
    /// <param name="root">The document's root value.</param>
    /// <returns>True when the format matches.</returns>
    bool MatchesDocument(JsonElement root);

    /// <summary>The pointer of the array whose elements are the entries (<c>/messages</c>; <c>""</c> for a root array).</summary>
    /// <param name="root">The document's root value.</param>
    /// <returns>The pointer.</returns>
    string EntriesPointer(JsonElement root);

    /// <summary>Reads one element of the entries array.</summary>
    /// <param name="element">The element.</param>
    /// <param name="span">Its position: start line, byte offset and length in the file.</param>
    /// <param name="pointer">Its pointer in the document, e.g. <c>/messages/3</c>.</param>
    /// <returns>The entry; its <see cref="Entry.Uuid"/> identifies it among entries that start on one line.</returns>
    Entry ReadElement(JsonElement element, TranscriptLine span, string pointer);

    /// <summary>Says how an inserted entry is written in this format: a new element, or a member added to the anchor.</summary>
    /// <param name="entry">What to insert.</param>
    /// <param name="anchor">The element it is inserted after (or into).</param>
    /// <returns>The insertion.</returns>
    DocumentInsertion RenderInsertion(NewEntry entry, JsonElement anchor);
}

/// <summary>How a document dialect writes an inserted entry.</summary>
public abstract record DocumentInsertion;

/// <summary>A new element of the entries array, right after the anchor.</summary>
/// <param name="Json">The element as compact JSON; the writer indents it like its neighbours.</param>
public sealed record NewElementAfter(string Json) : DocumentInsertion;

/// <summary>A member added at the end of an object inside the anchor (Gemini writes a call's result on the call).</summary>
/// <param name="ObjectPointer">Pointer to the object, relative to the anchor element.</param>
/// <param name="Name">The member name.</param>
/// <param name="ValueJson">The value as compact JSON.</param>
public sealed record AddMember(string ObjectPointer, string Name, string ValueJson) : DocumentInsertion;
