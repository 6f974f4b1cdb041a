using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// Any JSON Lines file whose format is not recognised: only line-level (TL1xxx) rules have something to say.
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
    public Entry ReadEntry(JsonElement root, TranscriptLine line) => new() { Line = line, Kind = EntryKind.Unknown, TypeName = root.Str("type") };

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

/// <summary>Picks the dialect of a file from its first JSON object line.</summary>
public static class DialectRegistry
{
    /// <summary>The known dialects, most specific first; the generic one last.</summary>
    public static IReadOnlyList<IDialect> All { get; } =
        [new ClaudeCodeDialect(), new CodexDialect(), new ChatDialect(), new GeminiCliDialect(), new AnthropicMessagesDialect(), new OpenAIChatBodyDialect(), new GenericJsonlDialect()];

    /// <summary>Finds a dialect by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The dialect, or null.</returns>
    public static IDialect? ByName(string name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>Detects the dialect from the first JSON object of a file.</summary>
    /// <param name="firstObject">The object, or null when the file has none.</param>
    /// <returns>The dialect.</returns>
    public static IDialect Detect(JsonElement? firstObject) =>
        firstObject is { } root ? All.First(d => d.Matches(root)) : All[^1];
}
