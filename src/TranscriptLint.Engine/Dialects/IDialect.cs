using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// One transcript format: how a line becomes an <see cref="Entry"/>, how entries become the conversation view,
/// and how semantic fix edits become lines written in the format's own shape.
/// </summary>
public interface IDialect
{
    /// <summary>The format name, e.g. <c>claude-code</c>.</summary>
    string Name { get; }

    /// <summary>Whether a line's JSON object looks like this format (used on the first object line).</summary>
    /// <param name="root">The first JSON object of the file.</param>
    /// <returns>True when the format matches.</returns>
    bool Matches(JsonElement root);

    /// <summary>Reads one JSON object line into the compact entry model.</summary>
    /// <param name="root">The line's JSON object.</param>
    /// <param name="line">The line's position.</param>
    /// <returns>The entry.</returns>
    Entry ReadEntry(JsonElement root, TranscriptLine line);

    /// <summary>Builds the conversation view once every line has been read.</summary>
    /// <param name="entries">The entries in file order.</param>
    /// <returns>The conversation.</returns>
    Conversation BuildConversation(IReadOnlyList<Entry> entries);

    /// <summary>Writes the line a fix inserts, in the format's own shape.</summary>
    /// <param name="entry">What to insert.</param>
    /// <param name="anchor">The JSON of the line it is inserted after.</param>
    /// <param name="neighbours">Nearby entries' JSON to copy envelope fields from (session, cwd, version).</param>
    /// <returns>The new line as compact JSON, without terminator.</returns>
    string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours);

    /// <summary>What the format records and how its harness resumes (rules read these, never the name). None by default.</summary>
    DialectTraits Traits => DialectTraits.None;

    /// <summary>
    /// The top-level property that holds an entry's id (<see cref="Entry.Uuid"/>) on its line (<c>uuid</c> by default):
    /// a fix names its entry by it, and the fixer checks that the line still holds that entry.
    /// </summary>
    string IdProperty => "uuid";

    /// <summary>
    /// Why a line is not the one a fix names by <paramref name="key"/> (a stale fix: the file changed since it was
    /// linted), or null when it is. <paramref name="recordId"/> is the line's id under <see cref="IdProperty"/>, null when
    /// it has none. By default the id must be the key.
    /// </summary>
    /// <param name="lineNo">The line.</param>
    /// <param name="recordId">Its id, or null.</param>
    /// <param name="key">The entry id the fix names.</param>
    /// <returns>One line saying why, or null.</returns>
    string? NotTheLineOf(int lineNo, string? recordId, string key) =>
        recordId == key ? null : $"stale fix: line {lineNo} no longer holds entry {key}";

    /// <summary>The JSON pointer of the parent field (for <see cref="SetParent"/>), or null when the format has no graph.</summary>
    string? ParentPointer { get; }
}
