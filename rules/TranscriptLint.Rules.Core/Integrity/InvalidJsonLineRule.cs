using System.Text;
using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Integrity;

/// <summary>TL1001: a line is not one valid JSON object (torn write, objects run together, NULs, stray text).</summary>
public sealed class InvalidJsonLineRule : TranscriptRule
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

    private const int MaxRecoveryCandidates = 64;

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
        Fix fix;
        if (ctx.IsLastLine && line.Terminator == LineTerminator.None)
        {
            fix = new Fix("Delete the torn last line", Applicability.Safe, [new DeleteEntry(target)]);
        }
        else if (!ctx.Flags.HasFlag(LineFlags.TooLong) && Recover(bytes) is { Count: > 0 } objects)
        {
            var edits = new List<FixEdit> { new ReplaceValue(target, "", objects[0]) };
            edits.AddRange(objects.Skip(1).Select(o => new InsertEntryAfter(target, new RawJsonEntry(o))));
            var title = objects.Count == 1 ? "Keep the complete object recovered from the damaged line" : $"Split the line into its {objects.Count} complete objects";

            // Objects written back to back with no newline (Claude Code 2.0.76-2.1.17 glues a summary or
            // file-history-snapshot row onto the previous one) lose nothing when split: every byte is kept and
            // only line breaks are added. Anything else (a torn prefix, NULs, spaces between) drops bytes.
            var lossless = objects.Count > 1 && IsExactConcatenation(bytes, objects);
            fix = new Fix(title, lossless ? Applicability.Safe : Applicability.Unsafe, edits);
        }
        else
        {
            fix = new Fix("Delete the unreadable line", Applicability.Unsafe, [new DeleteEntry(target)]);
        }

        var location = Location.OfLine(ctx.Transcript.Path, line, column);
        ctx.Report(Diagnostic.Create(Descriptor, location, fix, line.Number, ctx.ParseError ?? "unreadable"));
    }

    /// <summary>
    /// Finds the complete JSON objects in a damaged line: the whole line once NULs are stripped, objects run
    /// together, or the complete object that starts after a torn prefix (<c>…"prNu{"parentUuid"…</c>).
    /// </summary>
    internal static List<string> Recover(ReadOnlySpan<byte> raw)
    {
        var bytes = StripNul(raw);
        if (ReadObjects(bytes, 0) is { } whole)
        {
            return whole;
        }

        var candidates = 0;
        for (var i = 1; i + 1 < bytes.Length && candidates < MaxRecoveryCandidates; i++)
        {
            if (bytes[i] == (byte)'{' && bytes[i + 1] == (byte)'"')
            {
                candidates++;
                if (ReadObjects(bytes, i) is { } tail)
                {
                    return tail;
                }
            }
        }

        return [];
    }

    /// <summary>Whether the line is exactly the objects, back to back, with no other byte.</summary>
    internal static bool IsExactConcatenation(ReadOnlySpan<byte> line, IReadOnlyList<string> objects)
    {
        var offset = 0;
        foreach (var o in objects)
        {
            var encoded = Encoding.UTF8.GetBytes(o);
            if (offset + encoded.Length > line.Length || !line.Slice(offset, encoded.Length).SequenceEqual(encoded))
            {
                return false;
            }

            offset += encoded.Length;
        }

        return offset == line.Length;
    }

    private static byte[] StripNul(ReadOnlySpan<byte> raw)
    {
        var result = new byte[raw.Length];
        var n = 0;
        foreach (var b in raw)
        {
            if (b != 0)
            {
                result[n++] = b;
            }
        }

        Array.Resize(ref result, n);
        return result;
    }

    private static List<string>? ReadObjects(byte[] bytes, int start)
    {
        var span = bytes.AsSpan(start).TrimEnd(" \t"u8);
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 1024 });
        var found = new List<string>();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                var from = (int)reader.TokenStartIndex;
                reader.Skip();
                found.Add(Encoding.UTF8.GetString(span[from..(int)reader.BytesConsumed]));
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return found.Count > 0 && reader.BytesConsumed == span.Length ? found : null;
    }
}
