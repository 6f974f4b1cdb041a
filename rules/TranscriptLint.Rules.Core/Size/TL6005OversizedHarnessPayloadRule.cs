using System.Runtime.InteropServices;
using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Size;

/// <summary>
/// TL6005: a line whose harness-only part (everything but the API-bound <c>message</c>, e.g. Claude Code's
/// <c>toolUseResult</c>) is so large that resume freezes or fails to load the session (failure-modes-2026 F10).
/// </summary>
public sealed class TL6005OversizedHarnessPayloadRule : TranscriptRule
{
    /// <summary>The default limit: 1 MB of harness-only JSON on one line.</summary>
    public const long DefaultMaxBytes = 1024 * 1024;

    /// <summary>String values of <c>toolUseResult</c> over this size are trimmed by the fix (the #21120 workaround used 50 KB).</summary>
    internal const int TrimOver = 50 * 1024;

    /// <summary>How many characters of a trimmed value the fix keeps.</summary>
    internal const int KeepChars = 1000;

    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.OversizedHarnessPayload,
        "oversized-harness-payload",
        "Harness-only data on one line is very large",
        "Line {0} holds {1} of harness-only data (largest: {2}, {3}), over the {4} limit; resume can freeze or fail to load the session",
        RuleCategories.Size,
        Severity.Warning,
        "Claude Code stores on each line more than the message it sends: toolUseResult is the UI's copy of a tool's output (a full console dump, the original file of an Edit), and progress lines carry subagent traffic. None of it goes to the provider, so the size rules on the conversation do not see it, but the harness parses every line when it lists or resumes a session, and a line of megabytes freezes the resume picker or the resume itself, or runs it out of memory ('No conversation found'). The limit is configurable (option maxBytes, default 1 MB per line). The fix trims the large string values of toolUseResult to their first 1000 characters and a marker; it is unsafe because the UI loses that detail, but nothing the provider receives changes.",
        FixAvailability.Sometimes,
        ["No conversation found with session ID"],
        ["size", "resume"],
        options: [new("maxBytes", RuleOptionType.Integer, "Largest harness-only part of one line, in bytes, that is not reported (everything on the line except the message sent to the provider).") { Default = DefaultMaxBytes, Minimum = 1 }]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        // Only formats that wrap each API message in a harness envelope have harness-only fields on a line.
        if (!start.Transcript.Traits.HasEntryEnvelope)
        {
            return;
        }

        var max = start.Options.GetInt64("maxBytes", DefaultMaxBytes);
        start.RegisterEntryAction(e =>
        {
            var json = e.Json;
            if (e.Bytes.Length <= max || json.ValueKind != JsonValueKind.Object)
            {
                return; // cheap bound first: the harness-only part is never larger than the line
            }

            long sent = 0;
            var largest = (Name: "", Size: 0L);
            foreach (var p in json.EnumerateObject())
            {
                long size = JsonMarshal.GetRawUtf8Value(p.Value).Length;
                if (p.NameEquals("message"u8) && e.Entry.IsConversational)
                {
                    sent = size;
                }
                else if (size > largest.Size)
                {
                    largest = (p.Name, size);
                }
            }

            var harness = e.Bytes.Length - sent;
            if (harness <= max)
            {
                return;
            }

            var pointer = "/" + Escape(largest.Name);
            var fix = largest.Name == "toolUseResult" && Trim(e.Entry, json.GetProperty("toolUseResult"), pointer) is { Count: > 0 } edits
                ? new Fix("Trim the large values of toolUseResult (the UI's copy of the tool output)", Applicability.Unsafe, edits)
                : null;
            e.Report(Diagnostic.Create(Descriptor, e.LocationOf(e.Entry, pointer), fix,
                ChainEdits.N(e.Entry.Line.Number), Formatting.Size(harness), largest.Name, Formatting.Size(largest.Size), Formatting.Size(max)));
        });
    });

    // Every string value over TrimOver inside toolUseResult (a few levels deep), cut to its head and a marker.
    private static List<FixEdit> Trim(Entry entry, JsonElement value, string pointer, int depth = 0)
    {
        var edits = new List<FixEdit>();
        switch (value.ValueKind)
        {
            case JsonValueKind.String when JsonMarshal.GetRawUtf8Value(value).Length > TrimOver:
                var text = value.GetString()!;
                var head = text[..Math.Min(KeepChars, text.Length)];
                if (char.IsHighSurrogate(head[^1]))
                {
                    head = head[..^1];
                }

                edits.Add(ReplaceValue.WithString(entry.Ref, pointer, head + $"\n[TRIMMED by TranscriptLint: {Formatting.Size(text.Length - head.Length)} of tool output removed from the UI copy; the model's tool_result is unchanged]"));
                break;
            case JsonValueKind.Object when depth < 3:
                foreach (var p in value.EnumerateObject())
                {
                    edits.AddRange(Trim(entry, p.Value, pointer + "/" + Escape(p.Name), depth + 1));
                }

                break;
            case JsonValueKind.Array when depth < 3:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    edits.AddRange(Trim(entry, item, pointer + "/" + ChainEdits.N(i++), depth + 1));
                }

                break;
        }

        return edits;
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
