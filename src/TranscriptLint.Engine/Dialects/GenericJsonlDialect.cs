using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// JSON Lines of an unrecognised format, read only when the user forces it (<c>dialect: jsonl</c>): only
/// line-level (TL1xxx) rules have something to say. Detection never picks it: a file whose objects match no
/// supported format is not a transcript (TL1006) and is never changed.
/// </summary>
public sealed class GenericJsonlDialect : IDialect
{
    /// <inheritdoc/>
    public string Name => "jsonl";

    /// <inheritdoc/>
    public string? ParentPointer => null;

    /// <inheritdoc/>
    public bool Matches(JsonElement root) => true;

    /// <inheritdoc/>
    public Entry ReadEntry(JsonElement root, TranscriptLine line) => new() { Line = line, Kind = EntryKind.Unknown, TypeName = root.Str("type"u8) };

    /// <inheritdoc/>
    public Conversation BuildConversation(IReadOnlyList<Entry> entries) => new EmptyConversation(entries);

    /// <inheritdoc/>
    public string RenderNewEntry(NewEntry entry, JsonElement anchor, IReadOnlyList<JsonElement> neighbours) => entry is RawJsonEntry raw
        ? raw.Json
        : throw new NotSupportedException("Unknown transcript formats cannot receive inserted entries.");
}

/// <summary>A conversation view with entries but no messages.</summary>
internal sealed class EmptyConversation(IReadOnlyList<Entry> entries) : Conversation
{
    public override IReadOnlyList<Entry> Entries => entries;

    public override IReadOnlyList<Message> ResumeChain => [];

    public override IReadOnlyList<Entry> ChainEntries => [];

    public override Entry? ResumeLeaf => null;

    public override bool HasParentGraph => false;

    public override string? SessionId => null;

    public override Entry? FindByUuid(string uuid) => null;

    public override IReadOnlyList<Entry> ChildrenOf(string uuid) => [];

    public override bool IsInResumeContext(Entry entry) => false;

    public override Message? MessageOf(Entry entry) => null;

    public override Entry? ChainChildOf(Entry entry) => null;
}

/// <summary>Picks the dialect of a file from its JSON object lines (see <see cref="FileClassifier"/>).</summary>
public static class DialectRegistry
{
    /// <summary>The name given to a file that is not a transcript of any supported dialect (or is empty).</summary>
    public const string NoDialect = "none";

    /// <summary>The known dialects, most specific first; the generic one (only ever forced) last.</summary>
    public static IReadOnlyList<IDialect> All { get; } =
        [new ClaudeCodeDialect(), new CodexDialect(), new ChatDialect(), new CopilotCliDialect(), new GeminiCliJsonlDialect(), new GeminiCliDialect(), new AnthropicMessagesDialect(), new OpenAIChatBodyDialect(), new GenericJsonlDialect()];

    /// <summary>
    /// The JSON Lines dialects detection may pick, in the order they are tried: every one but the generic reader
    /// (whole-document dialects are found by <see cref="Documents.DocumentSniffer"/>). A Gemini CLI log goes first: its
    /// records have a <c>type</c> of <c>user</c> that Claude Code's looser check would take, and its own check excludes
    /// every other format's lines.
    /// </summary>
    public static IReadOnlyList<IDialect> Specific { get; } =
        [.. All.Where(d => d is not (GenericJsonlDialect or IDocumentDialect)).OrderBy(d => d is GeminiCliJsonlDialect ? 0 : 1)];

    /// <summary>Finds a dialect by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The dialect, or null.</returns>
    public static IDialect? ByName(string name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>The dialect one JSON object line belongs to.</summary>
    /// <param name="root">The object.</param>
    /// <returns>The dialect, or null when no supported format matches.</returns>
    public static IDialect? Detect(JsonElement root) => Specific.FirstOrDefault(d => d.Matches(root));
}
