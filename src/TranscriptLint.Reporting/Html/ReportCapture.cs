using System.Text.Json;
using TranscriptLint.Model;

namespace TranscriptLint.Reporting.Html;

/// <summary>
/// A rule that reports nothing: linted alone over a transcript, it keeps what the HTML report shows and the
/// engine's entries do not hold (each block's text, cut to <see cref="MaxChars"/>) and the conversation view.
/// One instance per transcript.
/// </summary>
public sealed class ReportCapture : TranscriptRule
{
    private static readonly RuleDescriptor Descriptor = new("TLHTML001", "html-report-capture", "Captures the conversation for the HTML report", "unused", "Internal", Severity.Note);

    // Keyed by where the block is (the entry's first byte and the block's pointer), not by object: a dialect may split
    // one entry into several messages (Gemini: a turn's calls, then their results) with entries of its own making.
    private readonly Dictionary<(long Offset, string Pointer), CapturedText> _texts = [];
    private readonly Dictionary<long, CapturedText> _summaries = [];
    private readonly IReadOnlyDictionary<int, IReadOnlyList<string>> _secretPointers;
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);

    /// <summary>Creates a capture.</summary>
    /// <param name="maxChars">The longest text kept per block; longer texts are cut and the rest counted.</param>
    /// <param name="secretPointers">Per line, the JSON pointers of strings TL5001 found secrets in (their originals are read to mask them).</param>
    public ReportCapture(int maxChars, IReadOnlyDictionary<int, IReadOnlyList<string>>? secretPointers = null)
    {
        MaxChars = maxChars;
        _secretPointers = secretPointers ?? new Dictionary<int, IReadOnlyList<string>>();
    }

    /// <summary>The longest text kept per block.</summary>
    public int MaxChars { get; }

    /// <summary>Per line, the pointers of the strings TL5001's fixes redact in <paramref name="result"/>.</summary>
    /// <param name="result">A lint result.</param>
    /// <returns>Line number to pointers.</returns>
    public static IReadOnlyDictionary<int, IReadOnlyList<string>> SecretPointersOf(FileLintResult result) =>
        result.Diagnostics.Where(d => d.Id == "TL5001")
            .SelectMany(d => d.Fixes).SelectMany(f => f.Edits).OfType<Fixes.ReplaceValue>()
            .GroupBy(e => e.Target.Line)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(e => e.JsonPointer).Distinct()]);

    /// <summary>The conversation view, once the transcript was linted; null when it has none (not a transcript).</summary>
    public Conversation? Conversation { get; private set; }

    /// <summary>The original strings at <c>secretPointers</c>, for masking.</summary>
    public IReadOnlyCollection<string> SecretStrings => _secrets;

    /// <inheritdoc/>
    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    /// <summary>The text of one block of an entry.</summary>
    /// <param name="entry">An entry of <see cref="Conversation"/>.</param>
    /// <param name="block">One of its blocks.</param>
    /// <returns>The text; empty when the block was not seen.</returns>
    public CapturedText TextOf(Entry entry, ContentBlock block) => _texts.TryGetValue((entry.Line.ByteOffset, block.JsonPointer), out var text) ? text : new CapturedText("", 0);

    /// <summary>A short text for an entry without blocks (system line, summary, metadata), or null.</summary>
    /// <param name="entry">An entry of <see cref="Conversation"/>.</param>
    /// <returns>The text, or null.</returns>
    public CapturedText? SummaryOf(Entry entry) => _summaries.TryGetValue(entry.Line.ByteOffset, out var s) ? s : null;

    /// <inheritdoc/>
    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        start.RegisterEntryAction(e =>
        {
            var offset = e.Entry.Line.ByteOffset;
            foreach (var block in e.Entry.Blocks)
            {
                if (JsonPointers.Resolve(e.Json, block.JsonPointer) is { } element)
                {
                    _texts[(offset, block.JsonPointer)] = BlockText.Of(element, block, MaxChars);
                }
            }

            if (e.Entry.Blocks.Count == 0 && !e.Entry.IsConversational)
            {
                _summaries[offset] = BlockText.Summary(e.Json, MaxChars);
            }
            if (_secretPointers.TryGetValue(e.Entry.Line.Number, out var pointers))
            {
                foreach (var pointer in pointers)
                {
                    if (JsonPointers.Resolve(e.Json, pointer) is { ValueKind: JsonValueKind.String } s && s.GetString() is { Length: > 0 } text)
                    {
                        _secrets.Add(text);
                    }
                }
            }
        });
        start.RegisterConversationAction(ctx =>
        {
            Conversation = ctx.Conversation;
            CaptureRecordsInsideLines(ctx);
        });
    });

    // A line can hold several records of the conversation (a Gemini CLI checkpoint's $set.messages): their blocks are
    // not the line entry's own, so they are read here, once per such line, from the line's bytes.
    private void CaptureRecordsInsideLines(ConversationContext ctx)
    {
        foreach (var group in ctx.Conversation.ResumeChain.SelectMany(m => m.Blocks)
                     .Where(b => !_texts.ContainsKey((b.Entry.Line.ByteOffset, b.Block.JsonPointer)))
                     .GroupBy(b => b.Entry.Line.ByteOffset))
        {
            if (ctx.ReadEntryBytes(group.First().Entry) is not { } bytes)
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(bytes);
                foreach (var (entry, block) in group)
                {
                    if (JsonPointers.Resolve(doc.RootElement, block.JsonPointer) is { } element)
                    {
                        _texts[(entry.Line.ByteOffset, block.JsonPointer)] = BlockText.Of(element, block, MaxChars);
                    }
                }
            }
            catch (JsonException)
            {
                // The line read while linting; if it does not parse now, its blocks keep no text.
            }
        }
    }
}

/// <summary>A block's text as kept for the report.</summary>
/// <param name="Text">The text, cut to the capture's limit.</param>
/// <param name="Omitted">How many characters were cut off the end.</param>
public readonly record struct CapturedText(string Text, long Omitted);
