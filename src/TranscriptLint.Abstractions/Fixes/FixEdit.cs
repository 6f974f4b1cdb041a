using System.Text.Json;
using System.Text.Json.Nodes;
using TranscriptLint.Model;

namespace TranscriptLint.Fixes;

/// <summary>
/// One semantic edit of a fix. Records compare by value, so two rules proposing the same edit are applied once.
/// </summary>
/// <param name="Target">The entry (line) the edit changes.</param>
public abstract record FixEdit(EntryRef Target);

/// <summary>Delete the entry's line.</summary>
/// <param name="Target">The entry.</param>
public sealed record DeleteEntry(EntryRef Target) : FixEdit(Target);

/// <summary>Insert a new entry directly after <paramref name="Target"/>, written in the format's own shape.</summary>
/// <param name="Target">The anchor entry.</param>
/// <param name="Entry">What to insert.</param>
public sealed record InsertEntryAfter(EntryRef Target, NewEntry Entry) : FixEdit(Target);

/// <summary>
/// Replace the JSON value at <paramref name="JsonPointer"/> inside the entry with <paramref name="ValueJson"/>.
/// The pointer <c>""</c> replaces the whole line (used to keep an object recovered from a torn line).
/// </summary>
/// <param name="Target">The entry.</param>
/// <param name="JsonPointer">RFC 6901 pointer.</param>
/// <param name="ValueJson">The new value as compact JSON text.</param>
public sealed record ReplaceValue(EntryRef Target, string JsonPointer, string ValueJson) : FixEdit(Target)
{
    /// <summary>Creates the edit from a node, serialised compactly.</summary>
    /// <param name="target">The entry.</param>
    /// <param name="jsonPointer">The pointer.</param>
    /// <param name="value">The new value.</param>
    /// <returns>The edit.</returns>
    public static ReplaceValue With(EntryRef target, string jsonPointer, JsonNode? value) =>
        new(target, jsonPointer, value?.ToJsonString(CompactJson) ?? "null");

    /// <summary>Creates the edit for a string value.</summary>
    /// <param name="target">The entry.</param>
    /// <param name="jsonPointer">The pointer.</param>
    /// <param name="value">The new string.</param>
    /// <returns>The edit.</returns>
    public static ReplaceValue WithString(EntryRef target, string jsonPointer, string value) =>
        new(target, jsonPointer, JsonSerializer.Serialize(value, CompactJson));

    private static readonly JsonSerializerOptions CompactJson = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>Remove element <paramref name="Index"/> of the array at <paramref name="ArrayPointer"/>.</summary>
/// <param name="Target">The entry.</param>
/// <param name="ArrayPointer">Pointer to the array, e.g. <c>/message/content</c>.</param>
/// <param name="Index">0-based index in the array as linted.</param>
public sealed record RemoveArrayElement(EntryRef Target, string ArrayPointer, int Index) : FixEdit(Target);

/// <summary>Set the entry's parent (Claude Code <c>parentUuid</c>); null makes it a root.</summary>
/// <param name="Target">The entry.</param>
/// <param name="NewParentUuid">The new parent uuid.</param>
public sealed record SetParent(EntryRef Target, string? NewParentUuid) : FixEdit(Target);

/// <summary>
/// Remove the UTF-8 byte order mark the file starts with (the three bytes before line 1). Node's <c>JSON.parse</c>,
/// which the harnesses read transcripts with, rejects it: a JSON Lines session loses its first line, a whole-document
/// one does not load at all. Renders to nothing when the file has no mark.
/// </summary>
public sealed record RemoveByteOrderMark() : FixEdit(new EntryRef(1, null));

/// <summary>
/// Restore a file damaged as a whole the way the engine proved it can (<see cref="TranscriptInfo.Restoration"/>):
/// convert it from UTF-16 to UTF-8, remove the NUL bytes a crash left after it, or cut a whole-document session back to
/// its last complete message and close it. No harness reads such a file at all. The fixer proves the repair again on
/// the bytes it fixes, applies it alone in pass 1, and lints and fixes the transcript in the passes after it. It has no
/// text form (no SARIF replacement).
/// </summary>
public sealed record RestoreTranscript() : FixEdit(new EntryRef(1, null));

/// <summary>An entry a fix inserts, described by meaning; the dialect writes it in its own shape.</summary>
public abstract record NewEntry;

/// <summary>A synthetic tool result answering a call that never got one.</summary>
/// <param name="ToolCallId">The id of the call answered.</param>
/// <param name="Text">The result text.</param>
/// <param name="IsError">Whether the result is an error (it is, for interrupted calls).</param>
public sealed record SyntheticToolResult(string ToolCallId, string Text, bool IsError) : NewEntry
{
    /// <summary>The text written for a call that was interrupted before its result was recorded.</summary>
    public const string InterruptedText =
        "Tool call interrupted: the session stopped before a result was recorded, so no result is available. (Inserted by TranscriptLint.)";

    /// <summary>The uuid a dialect gives the inserted entry: derived from the call id, never random.</summary>
    public string DerivedUuid => DeterministicIds.ForToolResult(ToolCallId);

    /// <summary>
    /// Whether the result becomes the end of the resume chain (the call was the last message). Its timestamp is
    /// then set just after the call's, so a harness that picks the newest entry as the leaf picks the result.
    /// </summary>
    public bool EndsChain { get; init; }
}

/// <summary>
/// A synthetic assistant text message closing a turn whose tool calls were answered but never followed by the
/// model's reply (Amplifier's "incomplete assistant turn", repaired the same way by Amplifier itself).
/// </summary>
/// <param name="Text">The message text.</param>
public sealed record SyntheticAssistantText(string Text) : NewEntry
{
    /// <summary>The text written after tool results that the interrupted model never answered (Amplifier's repair text, marked as ours).</summary>
    public const string InterruptedTurnText =
        "The previous tool calls were interrupted. This response was automatically repaired. (Inserted by TranscriptLint.)";
}

/// <summary>A complete JSON object to write verbatim as its own line (e.g. one recovered from a torn line).</summary>
/// <param name="Json">The object as compact JSON text.</param>
public sealed record RawJsonEntry(string Json) : NewEntry;
