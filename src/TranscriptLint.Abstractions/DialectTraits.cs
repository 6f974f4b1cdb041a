namespace TranscriptLint;

/// <summary>
/// What a transcript format (dialect) records and how its harness resumes, as facts rules can test instead of
/// comparing <see cref="TranscriptInfo.Dialect"/> to a name. A new dialect states its traits once; every rule
/// that depends on one follows.
/// </summary>
public sealed class DialectTraits
{
    /// <summary>A format about which nothing is known: every trait false.</summary>
    public static DialectTraits None { get; } = new();

    /// <summary>Whether entries are linked by parent ids (Claude Code's <c>uuid</c>/<c>parentUuid</c>) rather than by file order.</summary>
    public bool HasParentGraph { get; init; }

    /// <summary>
    /// Whether every user and assistant line is wrapped in an envelope that must carry <c>uuid</c>, <c>type</c>,
    /// <c>sessionId</c> and a <c>message</c> with <c>role</c> and <c>content</c> (Claude Code).
    /// </summary>
    public bool HasEntryEnvelope { get; init; }

    /// <summary>
    /// Whether the harness resumes by sending the id of the last assistant response back to the provider
    /// (Claude Code's <c>diagnostics.previous_message_id</c>).
    /// </summary>
    public bool SendsPreviousMessageId { get; init; }

    /// <summary>
    /// Whether lines carry no per-line id but a timestamp (or event id) each, so a line byte-identical to an earlier
    /// one is one write made twice (Codex rollouts).
    /// </summary>
    public bool RepeatedLineIsDuplicateWrite { get; init; }

    /// <summary>
    /// Whether a record is changed by appending it again whole under the same id, the last copy taking the first
    /// one's place when the harness loads the file (Gemini CLI's JSON Lines log): a repeated id is an update, not a
    /// duplicate, and only the last copy is the record.
    /// </summary>
    public bool RecordsUpdatedByAppending { get; init; }

    /// <summary>
    /// Whether reasoning is an input item of its own that may sit anywhere in a turn (the Responses API), so the
    /// Anthropic rule that thinking comes first does not apply.
    /// </summary>
    public bool ReasoningItemsAreUnordered { get; init; }

    /// <summary>
    /// Whether the file always goes to an API where a tool output is an item or message of its own (a Codex rollout
    /// to the Responses API, a Chat Completions request body, Copilot CLI's <c>role:"tool"</c> messages), whatever
    /// provider profile is picked; a tool output followed by a prompt is then not two user messages.
    /// </summary>
    public bool ToolOutputsStayOwnItems { get; init; }

    /// <summary>
    /// Which tool calls without a result the harness answers itself when it resumes the file, so such a call breaks
    /// only other readers of the file (exports, the API called directly): Codex inserts an <c>"aborted"</c> output
    /// for every call without one (codex-rs <c>context_manager/normalize.rs</c>); so does Copilot CLI's default resume,
    /// in memory (a resume through its SDK with <c>continuePendingWork</c> answers only the last turn's,
    /// github/copilot-cli#3183); so does Claude Code from 2.1.112 before every request (<c>ensureToolResultPairing</c>:
    /// "[Tool result missing due to internal error]"; 2.1.112-2.1.199 first drop the call's row on resume, text and
    /// all), which 2.0.x did not (docs/formats/claude-code.md).
    /// </summary>
    public UnansweredCallRepair AnswersUnansweredCalls { get; init; }

    /// <summary>
    /// Whether the harness reads the whole file as one strict UTF-8 string, so that a single invalid byte sequence
    /// anywhere keeps the session from loading at all (Codex: <c>load_rollout_items</c> reads the rollout with
    /// <c>tokio::fs::read_to_string</c>). Node-based harnesses decode such bytes as U+FFFD and load the file.
    /// </summary>
    public bool RefusesInvalidUtf8 { get; init; }
}

/// <summary>Which calls without a result a harness answers itself on resume (<see cref="DialectTraits.AnswersUnansweredCalls"/>).</summary>
public enum UnansweredCallRepair
{
    /// <summary>None: a call without a result goes to the provider as it is (Gemini CLI, chat formats).</summary>
    None = 0,

    /// <summary>Only the calls of the last message, the ones a crash or kill left open.</summary>
    AtEnd,

    /// <summary>Every call without a result, wherever it is (Codex, Copilot CLI, Claude Code 2.1.112 and later).</summary>
    Anywhere,
}
