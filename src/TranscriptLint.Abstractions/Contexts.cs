using System.Text.Json;
using TranscriptLint.Model;

namespace TranscriptLint;

/// <summary>What every action context shares: the transcript, options, and reporting.</summary>
public abstract class RuleActionContext
{
    /// <summary>The transcript being linted.</summary>
    public abstract TranscriptInfo Transcript { get; }

    /// <summary>The options configured for the rule that registered the action.</summary>
    public abstract RuleOptions Options { get; }

    /// <summary>Reports a finding. The descriptor must be one the rule declared.</summary>
    /// <param name="diagnostic">The finding.</param>
    public abstract void Report(Diagnostic diagnostic);

    /// <summary>A location for an entry (optionally a value inside it) in this transcript.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="jsonPointer">Optional pointer into the entry.</param>
    /// <returns>The location.</returns>
    public Location LocationOf(Entry entry, string? jsonPointer = null) => Location.Of(Transcript.Path, entry, jsonPointer);

    /// <summary>
    /// Reads an entry of this transcript again from its position in the file: the bytes its entry action saw (the
    /// line without its terminator, or a document element's text). For the rare comparison a rule needs after the
    /// entry has streamed past (is this duplicate a byte-identical copy?), so it need keep neither the text nor a hash
    /// of every entry. Valid until the next call.
    /// </summary>
    /// <param name="entry">An entry of this transcript.</param>
    /// <returns>The bytes; null when the host cannot read entries again, or the entry is not one of this transcript's.</returns>
    public virtual ReadOnlyMemory<byte>? ReadEntryBytes(Entry entry) => null;
}

/// <summary>Passed to transcript-start actions: register the per-transcript actions here.</summary>
public abstract class TranscriptStartContext : RuleActionContext
{
    /// <summary>Registers an action for every physical line (valid JSON or not).</summary>
    /// <param name="action">The action.</param>
    public abstract void RegisterLineAction(Action<LineContext> action);

    /// <summary>Registers an action for every parsed entry, while its JSON is available.</summary>
    /// <param name="action">The action.</param>
    public abstract void RegisterEntryAction(Action<EntryContext> action);

    /// <summary>Registers an action on the conversation view, after the whole file is read.</summary>
    /// <param name="action">The action.</param>
    public abstract void RegisterConversationAction(Action<ConversationContext> action);

    /// <summary>
    /// Registers an action run for every tool call of the transcript, in file order, with its input parsed and its
    /// result's text, whatever the format (see <see cref="ToolCall"/>). Runs once the file is read, before
    /// conversation actions. Later copies of a line written twice (TL1003) are left out.
    /// </summary>
    /// <param name="action">The action.</param>
    public virtual void RegisterToolCallAction(Action<ToolCallContext> action) =>
        throw new NotSupportedException("This host does not provide the tool-call view (contract 1.1).");

    /// <summary>
    /// Registers an action on the conversation index (<see cref="ConversationIndex"/>), after the whole file is read,
    /// beside the rule's conversation actions. What a conversation action reads from <see cref="Conversation"/>, an index
    /// action reads through handles, which a host can serve without keeping an object per entry (decision 0004).
    /// </summary>
    /// <param name="action">The action.</param>
    public virtual void RegisterIndexAction(Action<IndexContext> action) =>
        throw new NotSupportedException("This host does not provide the conversation index (contract 1.1).");

    /// <summary>Registers an action run last, after conversation actions.</summary>
    /// <param name="action">The action.</param>
    public abstract void RegisterTranscriptEndAction(Action<TranscriptEndContext> action);
}

/// <summary>
/// Passed to line actions. Valid only during the callback: the host reuses the object for the next line, so keep what
/// you read from it (the line, a count), never the context itself.
/// </summary>
public abstract class LineContext : RuleActionContext
{
    /// <summary>The line's position.</summary>
    public abstract TranscriptLine Line { get; }

    /// <summary>What the reader noticed about the line's bytes.</summary>
    public abstract LineFlags Flags { get; }

    /// <summary>The line's raw bytes (without terminator); valid only during the callback.</summary>
    public abstract ReadOnlySpan<byte> Bytes { get; }

    /// <summary>Whether the line parsed as one JSON object.</summary>
    public abstract bool IsValidJson { get; }

    /// <summary>When the line is not valid JSON: what is wrong, one line.</summary>
    public abstract string? ParseError { get; }

    /// <summary>When the line is not valid JSON: the 0-based byte position of the error within the line.</summary>
    public abstract long ParseErrorBytePosition { get; }

    /// <summary>Whether this is the last line of the file.</summary>
    public abstract bool IsLastLine { get; }

    /// <summary>Whether the line is empty or whitespace.</summary>
    public abstract bool IsBlank { get; }
}

/// <summary>
/// Passed to entry actions. Valid only during the callback: the host reuses the object for the rule's next entry, so
/// keep <see cref="Entry"/> (or what you read from <see cref="Json"/>), never the context itself.
/// </summary>
public abstract class EntryContext : RuleActionContext
{
    /// <summary>The parsed entry.</summary>
    public abstract Entry Entry { get; }

    /// <summary>The entry's JSON; valid only during the callback.</summary>
    public abstract JsonElement Json { get; }

    /// <summary>The line's raw bytes (without terminator); valid only during the callback.</summary>
    public abstract ReadOnlySpan<byte> Bytes { get; }
}

/// <summary>Passed to conversation actions.</summary>
public abstract class ConversationContext : RuleActionContext
{
    /// <summary>The conversation view.</summary>
    public abstract Conversation Conversation { get; }
}

/// <summary>Passed to index actions.</summary>
public abstract class IndexContext : RuleActionContext
{
    /// <summary>The conversation index.</summary>
    public abstract ConversationIndex Index { get; }

    /// <summary>
    /// Reads an entry of the index again from its position in the file, as <see cref="RuleActionContext.ReadEntryBytes(Entry)"/>
    /// does, without making its <see cref="Entry"/>: on a host that keeps rows, <see cref="EntryHandle.ToEntry"/> parses
    /// the line, and a rule that only compares bytes need not pay for that.
    /// </summary>
    /// <param name="entry">An entry of <see cref="Index"/>.</param>
    /// <returns>The bytes; null for <see cref="EntryHandle.None"/>, or when the host cannot read entries again.</returns>
    public virtual ReadOnlyMemory<byte>? ReadEntryBytes(EntryHandle entry) => entry.IsNone ? null : ReadEntryBytes(entry.ToEntry());

    /// <summary>A location for an entry (optionally a value inside it) in this transcript.</summary>
    /// <param name="entry">An entry of <see cref="Index"/>.</param>
    /// <param name="jsonPointer">Optional pointer into the entry.</param>
    /// <returns>The location.</returns>
    public Location LocationOf(EntryHandle entry, string? jsonPointer = null) => new()
    {
        Path = Transcript.Path,
        StartLine = entry.Line.Number,
        EndLine = entry.Line.Number,
        EntryUuid = entry.Uuid,
        JsonPointer = jsonPointer,
    };
}

/// <summary>Passed to tool-call actions.</summary>
public abstract class ToolCallContext : RuleActionContext
{
    /// <summary>The call, its parsed input and its result.</summary>
    public abstract ToolCall ToolCall { get; }

    /// <summary>The conversation view, for rules that relate the call to the rest of the transcript.</summary>
    public abstract Conversation Conversation { get; }

    /// <summary>Where the call is: its input when it has one, else the call's block.</summary>
    public Location CallLocation => LocationOf(ToolCall.Entry, ToolCall.InputPointer ?? ToolCall.Block.JsonPointer);

    /// <summary>Where the result is, or null when no result answers the call.</summary>
    public Location? ResultLocation => ToolCall is { ResultEntry: { } entry, ResultBlock: { } block } ? LocationOf(entry, block.JsonPointer) : null;
}

/// <summary>Passed to transcript-end actions.</summary>
public abstract class TranscriptEndContext : RuleActionContext
{
    /// <summary>The number of physical lines read.</summary>
    public abstract int LineCount { get; }
}

/// <summary>The options configured for one rule (from <c>.transcriptlint.json</c>).</summary>
public sealed class RuleOptions
{
    private readonly IReadOnlyDictionary<string, JsonElement> _values;

    /// <summary>Creates options from configured values.</summary>
    /// <param name="values">Option name to value.</param>
    public RuleOptions(IReadOnlyDictionary<string, JsonElement> values) => _values = values;

    /// <summary>No options configured.</summary>
    public static RuleOptions Empty { get; } = new(new Dictionary<string, JsonElement>());

    /// <summary>Every configured value by option name (the host checks them against <see cref="RuleDescriptor.Options"/>).</summary>
    public IReadOnlyDictionary<string, JsonElement> Values => _values;

    /// <summary>Reads an integer option.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="defaultValue">The value when unset.</param>
    /// <returns>The value.</returns>
    public long GetInt64(string name, long defaultValue) =>
        _values.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : defaultValue;

    /// <summary>Reads a boolean option.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="defaultValue">The value when unset.</param>
    /// <returns>The value.</returns>
    public bool GetBoolean(string name, bool defaultValue) =>
        _values.TryGetValue(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : defaultValue;

    /// <summary>Reads a string option.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="defaultValue">The value when unset.</param>
    /// <returns>The value.</returns>
    public string? GetString(string name, string? defaultValue) =>
        _values.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : defaultValue;
}
