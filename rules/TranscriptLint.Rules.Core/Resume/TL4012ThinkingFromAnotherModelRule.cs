using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Resume;

/// <summary>
/// TL4012: signed thinking on the resume chain that a non-Claude model produced (through a relay or proxy), while the
/// resume goes to Claude, which rejects the foreign signature (failure-modes-2026 F2).
/// </summary>
public sealed class TL4012ThinkingFromAnotherModelRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ThinkingFromAnotherModel,
        "thinking-from-another-model",
        "Signed thinking from a model the resume does not go to",
        "The thinking of this response was produced by {0}, not by Claude, but the resume goes to {1}; Claude cannot verify a signature another model or proxy minted",
        RuleCategories.Resume,
        Severity.Warning,
        "A thinking block's signature is the provider's own and is checked when the block is sent back. A session that ran part of the time on another vendor's model through a relay or proxy (cc-switch, sub2api and similar) holds thinking blocks whose signatures Claude cannot verify, and a resume on Claude fails. The target model is the rule option targetModel, or else the model of the latest assistant message, or else Claude when the provider profile is anthropic, bedrock or vertex. A switch between Claude models is not reported: real sessions switch from Sonnet to Opus mid-session and go on (the API ignores earlier turns' thinking on those models, and on Claude Fable 5.1 and later it drops a block the model cannot read without an error). The fix removes every thinking block of each such response; it is unsafe because that reasoning is lost, and on Claude Fable 5.1 and later it changes the prefix of every later signed thinking block (docs/decisions/0001-fixes-before-signed-thinking.md).",
        FixAvailability.Always,
        ["Invalid `signature` in `thinking` block"],
        ["resume", "http-400", "thinking"],
        options: [new("targetModel", RuleOptionType.String, "The model a resume will send the session to (e.g. claude-opus-4-8); unset: the model of the latest assistant message.")],
        profileSeverities:
        [
            (ProviderProfile.OpenAIChat, Severity.Note), // thinking blocks are Anthropic's; a converter drops them
            (ProviderProfile.OpenAIResponses, Severity.Note),
        ]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static bool IsClaude(string model) => model.Contains("claude", StringComparison.OrdinalIgnoreCase);

    private static bool IsRealModel(string? model) => !string.IsNullOrEmpty(model) && model != "<synthetic>";

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        var configured = ctx.Options.GetString("targetModel", null);
        var profile = ctx.Transcript.Profile.Name;
        var target = configured ?? LatestModel(index) ?? (profile is ProviderProfile.DefaultName or "bedrock" or "vertex" ? "Claude (the " + profile + " profile)" : null);
        if (target is null || !IsClaude(target))
        {
            return; // no Claude target: another model's own thinking goes back to it, or a converter drops it
        }

        for (var m = 0; m < index.MessageCount; m++)
        {
            var message = index.MessageAt(m);
            if (message.Role != MessageRole.Assistant || message.IsSynthetic || FirstForeignThinking(message) is not { } foreign)
            {
                continue;
            }

            var fix = new Fix("Remove every thinking block of this response", Applicability.Unsafe, ChainEdits.RemoveAllThinking(index, message));
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(foreign.Entry, foreign.JsonPointer), fix, foreign.Entry.Model, target));
        }
    }

    // The model of the latest real response: its last line that names a real one.
    private static string? LatestModel(ConversationIndex index)
    {
        if (Queries.LatestRealAssistant(index) is not (>= 0 and var latest))
        {
            return null;
        }

        var message = index.MessageAt(latest);
        for (var e = message.EntryCount - 1; e >= 0; e--)
        {
            if (message.EntryAt(e).Model is var model && IsRealModel(model))
            {
                return model;
            }
        }

        return null;
    }

    // The first signed thinking block (or redacted one) another model wrote; a loop, since it runs on every response.
    private static BlockHandle? FirstForeignThinking(MessageHandle message)
    {
        for (var i = 0; i < message.CanonicalBlockCount; i++)
        {
            var b = message.CanonicalBlockAt(i);
            if ((b.Kind == BlockKind.RedactedThinking || (b.Kind == BlockKind.Thinking && b.SignatureLength > 0))
                && b.Entry.Model is var model && IsRealModel(model) && !IsClaude(model!))
            {
                return b;
            }
        }

        return null;
    }
}
