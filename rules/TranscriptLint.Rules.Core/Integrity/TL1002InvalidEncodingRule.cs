using System.Text;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Integrity;

/// <summary>TL1002: invalid UTF-8, a byte order mark, or NUL bytes in the file.</summary>
public sealed class TL1002InvalidEncodingRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.InvalidEncoding,
        "invalid-encoding",
        "Line is not clean UTF-8",
        "Line {0} {1}",
        RuleCategories.Integrity,
        Severity.Warning,
        "Transcripts are UTF-8 JSON Lines (or one JSON document). Runs of NUL bytes are left by interrupted appends, a byte order mark by editors (a transcript fixed by hand in an editor that saves \"UTF-8 with BOM\"), and invalid byte sequences by torn multi-byte characters; readers skip or mangle such lines, and Node's JSON.parse rejects a marked first line or document. Codex reads a rollout as one UTF-8 string and does not load one that holds an invalid sequence at all. The fix removes the mark (Safe), strips NUL bytes around a recoverable line (Safe), and replaces invalid sequences with U+FFFD, which is what Node-based harnesses already read in their place (Safe; the original stays in the backup).",
        FixAvailability.Sometimes,
        [],
        ["corruption", "encoding"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    // The mark is three bytes before the first line and holds no content: removing them changes nothing a harness reads
    // except that it can now parse the first line (or the document).
    private static Fix RemoveMark() => new("Remove the byte order mark", Applicability.Safe, [new RemoveByteOrderMark()]);

    public override void Initialize(RuleInitializationContext context)
    {
        context.RegisterLineAction(Check);

        // A whole-document session has no line actions; its mark is on the transcript. Gemini CLI reads the file with
        // JSON.parse, which rejects the mark, so the session does not load at all.
        context.RegisterTranscriptStartAction(start => start.RegisterTranscriptEndAction(ctx =>
        {
            if (ctx.Transcript.DocumentHasByteOrderMark)
            {
                var first = new TranscriptLine(1, 0, 0, LineTerminator.None, 0);
                ctx.Report(Diagnostic.Create(Descriptor, Location.OfLine(ctx.Transcript.Path, first), RemoveMark(), 1, "starts with a UTF-8 byte order mark"));
            }
        }));
    }

    private static void Check(LineContext ctx)
    {
        var flags = ctx.Flags;
        var target = new EntryRef(ctx.Line.Number, null);
        if ((flags & LineFlags.ByteOrderMark) != 0)
        {
            ctx.Report(Diagnostic.Create(Descriptor, Location.OfLine(ctx.Transcript.Path, ctx.Line), RemoveMark(), ctx.Line.Number, "starts with a UTF-8 byte order mark"));
        }

        if ((flags & LineFlags.ContainsNul) != 0)
        {
            var recovered = LineRecovery.Recover(ctx.Bytes);
            var fix = recovered.Count == 1 && ctx.Bytes.IndexOf("{\""u8) == ctx.Bytes.IndexOfAnyExcept((byte)0)
                ? new Fix("Strip the NUL bytes", Applicability.Safe, [new ReplaceValue(target, "", recovered[0])])
                : null;
            ctx.Report(Diagnostic.Create(Descriptor, Location.OfLine(ctx.Transcript.Path, ctx.Line, ColumnOf(ctx, ctx.Bytes.IndexOf((byte)0))), fix, ctx.Line.Number, "contains NUL bytes"));
        }

        if ((flags & LineFlags.InvalidUtf8) != 0)
        {
            // U+FFFD per invalid sequence, as the Unicode standard recommends and Node, Rust's from_utf8_lossy and .NET
            // all decode: the text a lenient harness reads, and sends, is unchanged; a strict one can read the file again.
            var decoded = Encoding.UTF8.GetString(ctx.Bytes);
            var fix = ctx.IsValidJson && decoded.IndexOf('\0') < 0
                ? new Fix("Replace invalid byte sequences with U+FFFD", Applicability.Safe, [new ReplaceValue(target, "", decoded)])
                : null;
            var what = ctx.Transcript.Traits.RefusesInvalidUtf8
                ? "is not valid UTF-8, and the harness reads the file as one UTF-8 string: the session does not load at all"
                : "is not valid UTF-8";
            ctx.Report(Diagnostic.Create(Descriptor, Location.OfLine(ctx.Transcript.Path, ctx.Line), fix, ctx.Line.Number, what));
        }
    }

    private static int ColumnOf(LineContext ctx, int byteIndex) =>
        byteIndex <= 0 ? 1 : Encoding.UTF8.GetCharCount(ctx.Bytes[..byteIndex]) + 1;
}
