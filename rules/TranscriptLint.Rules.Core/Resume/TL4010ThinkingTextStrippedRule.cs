using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>
/// TL4010: the latest assistant message of the resume chain holds a signed thinking block whose text was stripped
/// (<c>"thinking": ""</c>, signature kept), and the file shows that the original response had text
/// (failure-modes-2026 F1).
/// </summary>
public sealed class TL4010ThinkingTextStrippedRule : TranscriptRule
{
    /// <summary>The Claude Code builds that wrote thinking blocks without their text while the response had it (F1).</summary>
    internal static readonly Version BadFrom = new(2, 1, 152);

    /// <summary>The last build of that window, as the issue fixed it (the 2.1.156 changelog fix did not cover every path).</summary>
    internal static readonly Version BadTo = new(2, 1, 158);

    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ThinkingTextStripped,
        "thinking-text-stripped",
        "Latest thinking block was stored without its text",
        "The latest assistant message's thinking block was stored without its text (\"thinking\": \"\", signature kept) {0}; the provider rejects the replayed block as modified",
        RuleCategories.Resume,
        Severity.Error,
        "The provider requires the thinking blocks of the latest assistant message to be sent back exactly as they were returned. Claude Code 2.1.152-2.1.158 (and some proxies) wrote a signed thinking block with its text emptied, so a resume sends a block that differs from the original and every request fails. A hollow block alone is not a finding: when thinking display is omitted the API itself returns \"thinking\": \"\" with a signature, which is how Claude Code 2.1.165 and later store every block, and those sessions resume. The rule fires only with evidence that the text was stripped: the block was written by a build of the bad window, or other thinking blocks written by the same build kept their text. The fix removes every thinking block of that one message (never only some); it is unsafe because the model loses that reasoning. It changes nothing before any other thinking block, so it does not break signatures bound to the prefix (Claude 5.1+ block binding, docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        [
            "`thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.",
            "each thinking block must contain thinking",
        ],
        ["resume", "http-400", "thinking"],
        profileSeverities:
        [
            (ProviderProfile.OpenAIChat, Severity.Note), // thinking blocks are Anthropic's; a converter drops them
            (ProviderProfile.OpenAIResponses, Severity.Note),
        ]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        var hollow = new HashSet<(int, int)>();
        var versions = new Dictionary<int, string?>(); // only for lines with a hollow block: the evidence names the first one's
        // The versions (null as "") that wrote a genuine signed thinking block with its text.
        var textVersions = new HashSet<string>(StringComparer.Ordinal);
        var versionReader = new Thinking.VersionReader();
        start.RegisterEntryAction(e =>
        {
            if (e.Entry.Kind != EntryKind.Assistant || !e.Entry.Blocks.Any(b => b.Kind == BlockKind.Thinking && b.Index >= 0) || ChainEdits.ContentArray(e.Json) is not { } content)
            {
                return;
            }

            var version = versionReader.Read(e.Json);
            foreach (var b in e.Entry.Blocks.Matching(b => b.Kind == BlockKind.Thinking && b.Index >= 0))
            {
                var block = content[b.Index];
                if (JsonValues.String(block, "signature"u8) is not { } signature || signature.ValueEquals(""u8) || Thinking.IsRedactionMarker(signature))
                {
                    continue; // no genuine signature: TL4005's finding, and no evidence either way
                }

                if (JsonValues.String(block, "thinking"u8) is not { } text)
                {
                    continue;
                }

                if (text.ValueEquals(""u8))
                {
                    hollow.Add(ChainEdits.Key(e.Entry, b));
                    versions[e.Entry.Line.Number] = version;
                }
                else if (!textVersions.Contains(version ?? "") && JsonValues.Test(text, HasRealText))
                {
                    textVersions.Add(version ?? "");
                }
            }
        });
        start.RegisterIndexAction(ctx => Check(ctx, hollow, versions, textVersions));
    });

    private static bool HasRealText(ReadOnlySpan<char> text) => !text.IsWhiteSpace() && !Thinking.IsRedactionMarker(text);

    private static void Check(IndexContext ctx, HashSet<(int, int)> hollow, Dictionary<int, string?> versions, HashSet<string> textVersions)
    {
        var index = ctx.Index;
        // A harness-made error row written after the failed request is not sent back (TL4001 reports it), so the
        // latest assistant message the provider checks is the last real one.
        if (Queries.LatestRealAssistant(index) is not (>= 0 and var m))
        {
            return;
        }

        var latest = index.MessageAt(m);
        BlockHandle? found = null;
        for (var i = 0; i < latest.CanonicalBlockCount && found is null; i++)
        {
            if (latest.CanonicalBlockAt(i) is { Kind: BlockKind.Thinking } b && hollow.Contains(ChainEdits.Key(b)))
            {
                found = b;
            }
        }

        if (found is not { } first)
        {
            return;
        }

        var version = versions.GetValueOrDefault(first.Entry.Line.Number);
        string evidence;
        if (Thinking.InRange(version, BadFrom, BadTo))
        {
            evidence = $"by Claude Code {version}, a build that stripped thinking text when writing it";
        }
        else if (textVersions.Contains(version ?? ""))
        {
            evidence = version is null
                ? "while other thinking blocks of this session kept their text"
                : $"while other thinking blocks written by the same Claude Code {version} kept their text";
        }
        else
        {
            return; // the normal on-disk form of a response sent with thinking display omitted
        }

        var fix = new Fix("Remove every thinking block of the latest assistant message", Applicability.Unsafe, ChainEdits.RemoveAllThinking(index, latest));
        ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(first.Entry, first.JsonPointer + "/thinking"), fix, evidence));
    }
}
