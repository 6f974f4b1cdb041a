using System.Text;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Integrity;

/// <summary>TL1001: a line is not one valid JSON object (torn write, objects run together, NULs, stray text).</summary>
public sealed class TL1001InvalidJsonLineRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.InvalidJsonLine,
        "invalid-json-line",
        "Line is not one valid JSON object",
        "Line {0} is not a valid JSON object: {1}",
        RuleCategories.Integrity,
        Severity.Error,
        "Every line of a JSONL transcript must hold exactly one JSON object. Torn writes after a crash or kill, two objects run together by a non-atomic append (Claude Code 2.0.76-2.1.17 glues a summary or file-history-snapshot row onto the previous row), and runs of NUL bytes make a line unreadable; older harnesses stop resuming at the first such line. Splitting complete objects that were written back to back keeps every byte and is safe; dropping a torn prefix or NULs is not.",
        FixAvailability.Always,
        ["SyntaxError: Unexpected end of JSON input", "Unexpected token in JSON"],
        ["corruption"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterLineAction(Check);

    private static void Check(LineContext ctx)
    {
        if (ctx.IsValidJson || ctx.IsBlank)
        {
            return;
        }

        var line = ctx.Line;
        var bytes = ctx.Bytes;
        var column = bytes.IsEmpty ? 1 : Encoding.UTF8.GetCharCount(bytes[..(int)Math.Clamp(ctx.ParseErrorBytePosition, 0, bytes.Length)]) + 1;
        var target = new EntryRef(line.Number, null);
        var readWhole = !ctx.Flags.HasFlag(LineFlags.TooLong); // a too-long line's bytes were not all read
        Fix fix;
        if (ctx.IsLastLine && line.Terminator == LineTerminator.None)
        {
            // A write cut off at the end of the file: only its cut-off part goes. Complete records before the cut (a
            // record glued to the one being written, or a whole record followed by a crash's NUL padding) are kept.
            fix = readWhole && LineRecovery.CompletePrefix(bytes) is { Count: > 0 } complete
                ? new Fix(complete.Count == 1 ? "Keep the complete object and drop the torn rest of the last line" : $"Keep the {complete.Count} complete objects and drop the torn rest of the last line", Applicability.Safe, Recovered(target, complete))
                : new Fix("Delete the torn last line", Applicability.Safe, [new DeleteEntry(target)]);
        }
        else if (readWhole && LineRecovery.Recover(bytes) is { Count: > 0 } objects)
        {
            var edits = Recovered(target, objects);
            var title = objects.Count == 1 ? "Keep the complete object recovered from the damaged line" : $"Split the line into its {objects.Count} complete objects";

            // Objects written back to back with no newline (Claude Code 2.0.76-2.1.17 glues a summary or
            // file-history-snapshot row onto the previous one) lose nothing when split: every byte is kept and
            // only line breaks are added. Anything else (a torn prefix, NULs, spaces between) drops bytes.
            var lossless = objects.Count > 1 && LineRecovery.IsExactConcatenation(bytes, objects);
            fix = new Fix(title, lossless ? Applicability.Safe : Applicability.Unsafe, edits);
        }
        else
        {
            fix = new Fix("Delete the unreadable line", Applicability.Unsafe, [new DeleteEntry(target)]);
        }

        var location = Location.OfLine(ctx.Transcript.Path, line, column);
        ctx.Report(Diagnostic.Create(Descriptor, location, fix, line.Number, ctx.ParseError ?? "unreadable"));
    }

    // The line becomes its first object; the others follow it as lines of their own.
    private static List<FixEdit> Recovered(EntryRef target, List<string> objects)
    {
        var edits = new List<FixEdit> { new ReplaceValue(target, "", objects[0]) };
        foreach (var o in objects.Skip(1))
        {
            edits.Add(new InsertEntryAfter(target, new RawJsonEntry(o))); // a loop: a lambda here cost a closure on every line
        }

        return edits;
    }
}
