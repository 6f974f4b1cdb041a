using System.Text;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Lookup;

/// <summary>
/// TL7002: the newest custom-title line of a Claude Code session lies before the tail that Claude Code reads for the
/// title, so /resume &lt;title&gt; does not find the session (failure-modes-2026 F3).
/// </summary>
public sealed class TL7002TitleOutsideTailWindowRule : TranscriptRule
{
    /// <summary>The tail Claude Code reads for the title (65,536 bytes in 2.1.81; 16,384 in 2.1.31-2.1.42).</summary>
    public const long DefaultWindowBytes = 64 * 1024;

    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.TitleOutsideTailWindow,
        "title-outside-tail-window",
        "Session title lies before the part of the file the session list reads",
        "The session's title \"{0}\" (line {1}) lies {2} before the end of the file, beyond the last {3} that Claude Code reads for the title; /resume {0} does not find the session",
        RuleCategories.Lookup,
        Severity.Warning,
        "Claude Code reads a session's custom title (set with /rename) from the last bytes of its file only (16 KB in 2.1.31-2.1.42, 64 KB in later builds). A session renamed early that then grew keeps its title lines far from the end, so /resume <title> reports the session as not found and the picker shows no name, although /resume <id> works. The window is the option windowBytes. The fix appends a byte-identical copy of the newest custom-title line at the end of the file: metadata only, nothing the provider receives changes, and Claude Code takes the last title it reads, so it is safe.",
        FixAvailability.Always,
        ["Session not found"],
        ["resume", "lookup"],
        options: [new("windowBytes", RuleOptionType.Integer, "How many bytes of the tail of a session file Claude Code reads for its title (65536 in current builds, 16384 in 2.1.31-2.1.42).") { Default = DefaultWindowBytes, Minimum = 1 }]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        if (!start.Transcript.Traits.HasEntryEnvelope)
        {
            return;
        }

        var window = start.Options.GetInt64("windowBytes", DefaultWindowBytes);
        long size = 0;
        Entry? title = null;
        Entry? last = null;
        string? titleJson = null;
        string? titleText = null;
        start.RegisterLineAction(l => size = Math.Max(size, l.Line.ByteOffset + l.Line.ContentLength));
        start.RegisterEntryAction(e =>
        {
            last = e.Entry;
            if (e.Entry.TypeName == "custom-title" && JsonValues.Text(e.Json, "customTitle"u8) is { } name)
            {
                title = e.Entry;
                titleText = name;
                titleJson = Encoding.UTF8.GetString(e.Bytes);
            }
        });
        start.RegisterTranscriptEndAction(ctx =>
        {
            if (title is not { } line || last is not { } end || titleJson is null || line.Line.ByteOffset >= size - window)
            {
                return;
            }

            var fix = new Fix("Append a copy of the newest custom-title line at the end of the file", Applicability.Safe, [new InsertEntryAfter(end.Ref, new RawJsonEntry(titleJson))]);
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(line), fix, titleText, ChainEdits.N(line.Line.Number), Formatting.Size(size - line.Line.ByteOffset), Formatting.Size(window)));
        });
    });
}
