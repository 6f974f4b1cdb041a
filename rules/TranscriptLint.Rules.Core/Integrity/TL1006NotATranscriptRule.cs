using TranscriptLint.Fixes;

namespace TranscriptLint.Rules.Core.Integrity;

/// <summary>
/// TL1006: the file is not a transcript of any supported dialect (binary, compressed, a JSON document, an unknown
/// JSON Lines shape). The engine classifies every file before rules run; on such a file only this rule's start
/// action runs, so it gets exactly one finding, and the fixer never changes it; except a transcript damaged as a whole
/// that the engine proved it can restore without loss (UTF-16, NUL padding, a Gemini CLI session cut off): its one fix
/// restores it, and the next pass lints it as usual.
/// </summary>
public sealed class TL1006NotATranscriptRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.NotATranscript,
        "not-a-transcript",
        "File is not a transcript",
        "This file is not a transcript of a supported format: it looks like {0}. No other rule was run on it, {1}",
        RuleCategories.Integrity,
        Severity.Error,
        "Before any rule runs, each file is classified: a supported transcript format (Claude Code, Codex, chat/Amplifier JSON Lines), or not a transcript (binary or compressed data, mostly invalid UTF-8, a JSON document that is not JSON Lines, JSON Lines whose objects match no supported format). A file that is not a transcript gets this one finding, saying what it looks like, instead of hundreds of findings from rules that expected something else, and fix never changes it. The one exception is a transcript damaged as a whole that can be restored without losing anything a reader could use (saved as UTF-16 by Windows PowerShell 5.1 or Notepad, padded with NUL bytes by a crash, a Gemini CLI session cut off while it was rewritten): its Safe fix restores it, and fix then lints and fixes the transcript.",
        FixAvailability.Sometimes,
        [],
        ["corruption"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(Check);

    private static void Check(TranscriptStartContext ctx)
    {
        if (ctx.Transcript.NotATranscript is not { } looksLike)
        {
            return;
        }

        var location = new Location { Path = ctx.Transcript.Path, StartLine = 1, EndLine = 1, StartColumn = 1, EndColumn = 1 };
        if (ctx.Transcript.Restoration is { } restoration)
        {
            // The engine proved the repair on the bytes (every character or complete record kept) and that it gives a
            // transcript; no harness reads the file as it is.
            var restore = new Fix(restoration, Applicability.Safe, [new RestoreTranscript()]);
            ctx.Report(Diagnostic.Create(Descriptor, location, restore, looksLike, $"and fix restores it first ({char.ToLowerInvariant(restoration[0])}{restoration[1..]}), then lints and fixes it"));
            return;
        }

        ctx.Report(Diagnostic.Create(Descriptor, location, null, looksLike, "and fix leaves it unchanged"));
    }
}
