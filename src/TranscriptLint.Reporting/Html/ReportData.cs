using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Reporting.Html;

/// <summary>
/// Writes the report's data: one JSON document the page's script renders (summary, then per transcript the resume
/// chain as messages, the entries a resume does not send, and every finding pinned to its message). Texts are cut
/// to <see cref="HtmlReportOptions.MaxValueChars"/>, and shorter once the content budget is spent; every cut says how
/// much was left out. Same input, same bytes.
/// </summary>
internal sealed class ReportData
{
    // Off-chain entries listed one by one (with their text) per transcript; more are only counted.
    private const int MaxOffChainListed = 2000;

    // Once the content budget is spent, texts are cut to this.
    private const int ShortChars = 200;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    private readonly HtmlReportOptions _options;
    private readonly int _valueChars;
    private long _contentLeft;

    private ReportData(HtmlReportOptions options, int valueChars, long contentBudget)
    {
        _options = options;
        _valueChars = valueChars;
        _contentLeft = contentBudget;
    }

    /// <summary>The data as UTF-8 JSON: the written part of the stream's own buffer (not copied again).</summary>
    public static ArraySegment<byte> Write(IReadOnlyList<ReportInput> inputs, IReadOnlyList<ToolNotification> notifications, HtmlReportOptions options, int valueChars, long contentBudget)
    {
        var data = new ReportData(options, valueChars, contentBudget);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            data.WriteRoot(w, inputs, notifications);
        }

        return stream.TryGetBuffer(out var written) ? written : stream.ToArray();
    }

    private void WriteRoot(Utf8JsonWriter w, IReadOnlyList<ReportInput> inputs, IReadOnlyList<ToolNotification> notifications)
    {
        var all = inputs.SelectMany(i => i.Result.Diagnostics).ToList();
        w.WriteStartObject();
        w.WriteString("tool", "transcriptlint");
        w.WriteString("version", typeof(ReportData).Assembly.GetName().Version?.ToString(3));
        w.WriteBoolean("secretsMasked", !_options.ShowSecrets);
        w.WriteStartObject("totals");
        w.WriteNumber("files", inputs.Count);
        w.WriteNumber("filesWithFindings", inputs.Count(i => i.Result.Diagnostics.Count > 0));
        w.WriteNumber("findings", all.Count);
        w.WriteNumber("errors", all.Count(d => d.Severity == Severity.Error));
        w.WriteNumber("warnings", all.Count(d => d.Severity == Severity.Warning));
        w.WriteNumber("notes", all.Count(d => d.Severity == Severity.Note));
        w.WriteNumber("fixable", all.Count(d => d.Fixes.Any(f => f.Applicability == Applicability.Safe)));
        w.WriteNumber("unsafeFixable", all.Count(d => d.Fixes.Any(f => f.Applicability == Applicability.Unsafe) && !d.Fixes.Any(f => f.Applicability == Applicability.Safe)));
        w.WriteEndObject();

        w.WriteStartArray("rules");
        foreach (var g in all.GroupBy(d => d.Id, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var d = g.First().Descriptor;
            w.WriteStartObject();
            w.WriteString("id", g.Key);
            w.WriteString("name", d.Name);
            w.WriteString("title", d.Title);
            w.WriteString("severity", SeverityName(g.Max(x => x.Severity)));
            w.WriteNumber("count", g.Count());
            w.WriteNumber("files", inputs.Count(i => i.Result.Diagnostics.Any(x => x.Id == g.Key)));
            WriteOptional(w, "help", d.HelpUri);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        // Worst first: errors, then warnings, then notes, then path.
        var order = Enumerable.Range(0, inputs.Count)
            .OrderByDescending(i => Count(inputs[i], Severity.Error))
            .ThenByDescending(i => Count(inputs[i], Severity.Warning))
            .ThenByDescending(i => Count(inputs[i], Severity.Note))
            .ThenBy(i => inputs[i].Result.Path, StringComparer.Ordinal)
            .ToList();
        w.WriteStartArray("files");
        foreach (var i in order)
        {
            WriteFile(w, inputs[i]);
        }

        w.WriteEndArray();
        WriteNotifications(w, notifications.Where(n => n.Path is null).ToList());
        w.WriteEndObject();
    }

    private static int Count(ReportInput input, Severity severity) => input.Result.Diagnostics.Count(d => d.Severity == severity);

    private void WriteFile(Utf8JsonWriter w, ReportInput input)
    {
        var r = input.Result;
        var conversation = input.Capture?.Conversation;
        var mask = _options.ShowSecrets ? SecretMask.None : MaskFor(input);
        w.WriteStartObject();
        w.WriteString("path", r.Path);
        w.WriteString("dialect", r.Dialect);
        w.WriteNumber("bytes", r.Length);
        w.WriteNumber("lines", r.LineCount);
        w.WriteString("sha256", r.Sha256);
        w.WriteNumber("errors", Count(input, Severity.Error));
        w.WriteNumber("warnings", Count(input, Severity.Warning));
        w.WriteNumber("notes", Count(input, Severity.Note));
        WriteOptional(w, "note", input.Note ?? (conversation is null ? "No conversation could be read from this file; its findings are listed by line." : null));

        // By the entry's first byte, not the object: a dialect may split one entry into several messages.
        var messageOfEntry = new Dictionary<long, int>();
        var offChainOfEntry = new Dictionary<long, int>();
        var entriesByLine = new Dictionary<int, Entry>();
        if (conversation is not null)
        {
            foreach (var e in conversation.Entries)
            {
                entriesByLine.TryAdd(e.Line.Number, e);
            }

            WriteMessages(w, input.Capture!, conversation, mask, HiddenThinkingLines(input), messageOfEntry);
            WriteOffChain(w, input, conversation, mask, offChainOfEntry);
        }

        w.WriteStartArray("findings");
        foreach (var d in r.Diagnostics)
        {
            // The uuid names the entry (in whole-document formats the line is the pointed value's, inside the entry).
            var entry = d.Location.EntryUuid is { } uuid && conversation?.FindByUuid(uuid) is { } byUuid
                ? byUuid
                : entriesByLine.GetValueOrDefault(d.Location.StartLine);
            var message = entry is not null && messageOfEntry.TryGetValue(entry.Line.ByteOffset, out var m) ? m : -1;
            var off = entry is not null && message < 0 && offChainOfEntry.TryGetValue(entry.Line.ByteOffset, out var o) ? o : -1;
            WriteFinding(w, input, d, message, off, mask);
        }

        w.WriteEndArray();
        WriteNotifications(w, r.Notifications);
        w.WriteEndObject();
    }

    private void WriteMessages(Utf8JsonWriter w, ReportCapture capture, Conversation conversation, SecretMask mask, HashSet<int> hiddenThinking, Dictionary<long, int> messageOfEntry)
    {
        var chain = conversation.ResumeChain;
        var callAt = new Dictionary<string, int>(StringComparer.Ordinal);
        var resultAt = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var message in chain)
        {
            foreach (var b in message.Blocks)
            {
                if (b.Block.ToolId is { } id)
                {
                    if (b.Block.Kind is BlockKind.ToolCall or BlockKind.ServerToolCall)
                    {
                        callAt.TryAdd(id, message.Index);
                    }
                    else if (b.Block.Kind is BlockKind.ToolResult or BlockKind.ServerToolResult)
                    {
                        resultAt.TryAdd(id, message.Index);
                    }
                }
            }
        }

        w.WriteStartArray("messages");
        foreach (var message in chain)
        {
            foreach (var e in message.Entries)
            {
                messageOfEntry.TryAdd(e.Line.ByteOffset, message.Index);
            }

            w.WriteStartObject();
            w.WriteNumber("i", message.Index);
            w.WriteString("role", message.Role.ToString().ToLowerInvariant());
            w.WriteStartArray("lines");
            foreach (var line in message.Entries.Select(e => e.Line.Number).Distinct().Take(50))
            {
                w.WriteNumberValue(line);
            }

            w.WriteEndArray();
            WriteOptional(w, "uuid", message.FirstEntry.Uuid);
            WriteOptional(w, "model", message.Entries.Select(e => e.Model).LastOrDefault(m => m is not null));
            WriteOptional(w, "time", message.FirstEntry.Timestamp);
            if (message.IsSynthetic)
            {
                w.WriteString("synthetic", SyntheticText(message.Entries.Aggregate(SyntheticReason.None, (a, e) => a | e.Synthetic)));
            }

            if (message.Entries.Any(e => e.IsMeta))
            {
                w.WriteBoolean("meta", true);
            }

            if (message.RecoveredEntries.Count > 0)
            {
                w.WriteNumber("recovered", message.RecoveredEntries.Count);
            }

            if (message.DuplicateEntries.Count > 0)
            {
                w.WriteNumber("duplicates", message.DuplicateEntries.Count);
            }

            w.WriteStartArray("blocks");
            foreach (var b in message.Blocks)
            {
                var text = capture.TextOf(b.Entry, b.Block);
                var pair = b.Block.ToolId is { } id
                    ? b.Block.Kind is BlockKind.ToolCall or BlockKind.ServerToolCall ? resultAt.GetValueOrDefault(id, -1) : callAt.GetValueOrDefault(id, -1)
                    : -1;
                if (b.Block.Kind == BlockKind.Thinking && hiddenThinking.Contains(b.Entry.Line.Number))
                {
                    text = new CapturedText("[thinking holding a secret, hidden by the report: TL5001]", 0);
                }

                WriteBlock(w, b.Block, b.Entry.Line.Number, text, pair, mask);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private void WriteBlock(Utf8JsonWriter w, ContentBlock block, int line, CapturedText text, int pair, SecretMask mask)
    {
        w.WriteStartObject();
        w.WriteString("k", KindName(block.Kind));
        w.WriteString("type", block.TypeName);
        w.WriteNumber("line", line);
        WriteOptional(w, "id", block.ToolId);
        WriteOptional(w, "name", block.ToolName);
        if (block.IsError)
        {
            w.WriteBoolean("error", true);
        }

        if (block.ToolId is not null)
        {
            w.WriteNumber("pair", pair);
        }

        WriteText(w, "text", text.Text, text.Omitted, mask);
        w.WriteEndObject();
    }

    private void WriteOffChain(Utf8JsonWriter w, ReportInput input, Conversation conversation, SecretMask mask, Dictionary<long, int> offChainOfEntry)
    {
        var findingLines = input.Result.Diagnostics.Select(d => d.Location.StartLine).ToHashSet();
        var metadata = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var listed = 0;
        var unlisted = 0;
        var hiddenThinking = HiddenThinkingLines(input);
        w.WriteStartArray("offChain");
        foreach (var e in conversation.Entries)
        {
            if (conversation.IsInResumeContext(e))
            {
                continue;
            }

            var why = e.ClaudeCode?.IsSidechain == true ? "sidechain" : e.IsConversational ? "branch" : "not-sent";
            if (why == "not-sent" && !findingLines.Contains(e.Line.Number))
            {
                var key = e.TypeName ?? e.Kind.ToString().ToLowerInvariant();
                metadata[key] = metadata.GetValueOrDefault(key) + 1;
                continue;
            }

            if (listed >= MaxOffChainListed && !findingLines.Contains(e.Line.Number))
            {
                unlisted++;
                continue;
            }

            offChainOfEntry.TryAdd(e.Line.ByteOffset, listed);
            listed++;
            w.WriteStartObject();
            w.WriteNumber("line", e.Line.Number);
            w.WriteString("why", why);
            w.WriteString("kind", e.Kind.ToString().ToLowerInvariant());
            WriteOptional(w, "type", e.TypeName);
            WriteOptional(w, "role", e.Role);
            WriteOptional(w, "uuid", e.Uuid);
            WriteOptional(w, "parent", e.ParentUuid);
            if (e.IsSynthetic)
            {
                w.WriteString("synthetic", SyntheticText(e.Synthetic));
            }

            w.WriteStartArray("blocks");
            foreach (var block in e.Blocks)
            {
                var text = block.Kind == BlockKind.Thinking && hiddenThinking.Contains(e.Line.Number)
                    ? new CapturedText("[thinking holding a secret, hidden by the report: TL5001]", 0)
                    : input.Capture!.TextOf(e, block);
                w.WriteStartObject();
                w.WriteString("k", KindName(block.Kind));
                WriteOptional(w, "id", block.ToolId);
                WriteOptional(w, "name", block.ToolName);
                WriteText(w, "text", text.Text, text.Omitted, mask);
                w.WriteEndObject();
            }

            if (e.Blocks.Count == 0 && input.Capture!.SummaryOf(e) is { } summary)
            {
                w.WriteStartObject();
                w.WriteString("k", "text");
                WriteText(w, "text", summary.Text, summary.Omitted, mask);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("offChainUnlisted", unlisted);
        w.WriteStartObject("notSent");
        foreach (var (type, count) in metadata)
        {
            w.WriteNumber(type, count);
        }

        w.WriteEndObject();
    }

    private void WriteFinding(Utf8JsonWriter w, ReportInput input, Diagnostic d, int message, int off, SecretMask mask)
    {
        var l = d.Location;
        w.WriteStartObject();
        w.WriteString("id", d.Id);
        w.WriteString("name", d.Descriptor.Name);
        w.WriteString("severity", SeverityName(d.Severity));
        w.WriteString("message", mask.Apply(d.Message));
        w.WriteNumber("line", l.StartLine);
        w.WriteNumber("column", l.StartColumn);
        WriteOptional(w, "pointer", l.JsonPointer);
        WriteOptional(w, "uuid", l.EntryUuid);
        WriteOptional(w, "help", d.Descriptor.HelpUri);
        w.WriteNumber("msg", message);
        w.WriteNumber("off", off);
        w.WriteStartArray("fixes");
        foreach (var fix in d.Fixes)
        {
            w.WriteStartObject();
            w.WriteString("title", fix.Title);
            w.WriteString("applicability", fix.Applicability.ToString().ToLowerInvariant());
            var rendered = input.Result.RenderedFixOf(fix);
            WriteOptional(w, "problem", rendered?.Problem);
            w.WriteStartArray("edits");
            var hidesSecret = d.Id == SecretRuleId && !_options.ShowSecrets;
            foreach (var e in rendered?.Edits ?? [])
            {
                w.WriteStartObject();
                w.WriteNumber("line", e.StartLine);
                var before = e.ByteLength == 0 ? "" : input.Original is { } read ? Decode(read(e.ByteOffset, (int)Math.Min(e.ByteLength, _options.MaxEditChars * 4L))) : null;
                if (before is null)
                {
                    w.WriteNull("before");
                }
                else
                {
                    var cut = BlockText.Cut(before, _options.MaxEditChars);
                    var omitted = cut.Omitted + Math.Max(0, e.ByteLength - (_options.MaxEditChars * 4L));
                    WriteText(w, "before", hidesSecret && fix.Edits.Any(x => x is not ReplaceValue) ? "[content holding a secret, hidden by the report: TL5001]" : cut.Text, omitted, mask);
                }

                var after = BlockText.Cut(e.Inserted, _options.MaxEditChars);
                WriteText(w, "after", after.Text, after.Omitted, mask);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private const string SecretRuleId = "TL5001";

    private static string Decode(byte[] bytes)
    {
        // A cut may end inside a UTF-8 sequence: drop the partial character rather than show a replacement mark.
        var end = bytes.Length;
        var back = 0;
        while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1] & 0xC0) == 0x80)
        {
            back++;
        }

        if (end - back - 1 >= 0 && bytes[end - back - 1] >= 0xC0)
        {
            var lead = bytes[end - back - 1];
            var need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
            if (back < need)
            {
                end -= back + 1;
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, end);
    }

    // TL5001's fixes say where the secrets are: each ReplaceValue's pointer holds a string whose secrets its value redacts.
    private static SecretMask MaskFor(ReportInput input)
    {
        if (input.Capture is not { } capture || capture.SecretStrings.Count == 0)
        {
            return SecretMask.None;
        }

        var pairs = new List<(string, string)>();
        foreach (var replace in input.Result.Diagnostics.Where(d => d.Id == SecretRuleId).SelectMany(d => d.Fixes).SelectMany(f => f.Edits).OfType<ReplaceValue>())
        {
            var redacted = JsonSerializer.Deserialize<string>(replace.ValueJson) ?? "";
            pairs.AddRange(capture.SecretStrings.Where(original => Aligned(original, redacted)).Select(original => (original, redacted)));
        }

        return SecretMask.FromRedactions(pairs);
    }

    // Lines whose thinking holds a secret: TL5001 removes such a block (its signature forbids editing it) instead of redacting.
    private HashSet<int> HiddenThinkingLines(ReportInput input) => _options.ShowSecrets
        ? []
        : [.. input.Result.Diagnostics.Where(d => d.Id == SecretRuleId).SelectMany(d => d.Fixes).SelectMany(f => f.Edits).Where(e => e is not ReplaceValue).Select(e => e.Target.Line)];

    // Whether the redacted string is the original with some parts replaced by markers (so they belong together).
    private static bool Aligned(string original, string redacted)
    {
        var literals = System.Text.RegularExpressions.Regex.Split(redacted, @"\[REDACTED:[^\]]*\]");
        return literals.Length >= 2 && original != redacted && original.StartsWith(literals[0], StringComparison.Ordinal) && original.EndsWith(literals[^1], StringComparison.Ordinal)
            && literals.All(l => original.Contains(l, StringComparison.Ordinal));
    }

    private void WriteText(Utf8JsonWriter w, string name, string text, long omitted, SecretMask mask)
    {
        var limit = _contentLeft > 0 ? _valueChars : ShortChars;
        var cut = BlockText.Cut(text, limit);
        var shown = mask.Apply(cut.Text, cut.Omitted + omitted > 0);
        _contentLeft -= Cost(shown);
        w.WriteString(name, shown);
        if (cut.Omitted + omitted > 0)
        {
            w.WriteNumber(name + "Omitted", cut.Omitted + omitted);
        }
    }

    // Bytes a text takes in the page: UTF-8, with '<' and control characters written as \uXXXX.
    private static long Cost(string text)
    {
        long cost = Encoding.UTF8.GetByteCount(text);
        foreach (var c in text)
        {
            if (c is '<' || c < ' ')
            {
                cost += 5;
            }
            else if (c is '"' or '\\')
            {
                cost += 1;
            }
        }

        return cost;
    }

    private static void WriteNotifications(Utf8JsonWriter w, IReadOnlyList<ToolNotification> notifications)
    {
        w.WriteStartArray("notifications");
        foreach (var n in notifications)
        {
            w.WriteStartObject();
            w.WriteString("level", n.Level);
            w.WriteString("message", n.Message);
            WriteOptional(w, "ruleId", n.RuleId);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    internal static string SeverityName(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Note => "note",
        _ => "none",
    };

    private static string KindName(BlockKind kind) => kind switch
    {
        BlockKind.Text => "text",
        BlockKind.Thinking => "thinking",
        BlockKind.RedactedThinking => "redacted-thinking",
        BlockKind.ToolCall => "tool-call",
        BlockKind.ToolResult => "tool-result",
        BlockKind.Image => "image",
        BlockKind.ServerToolCall => "server-tool-call",
        BlockKind.ServerToolResult => "server-tool-result",
        _ => "other",
    };

    private static string SyntheticText(SyntheticReason reason)
    {
        var parts = new List<string>();
        if (reason.HasFlag(SyntheticReason.SyntheticModel))
        {
            parts.Add("model <synthetic>");
        }

        if (reason.HasFlag(SyntheticReason.ApiErrorFlag))
        {
            parts.Add("isApiErrorMessage");
        }

        if (reason.HasFlag(SyntheticReason.ApiErrorText))
        {
            parts.Add("API error text");
        }

        return parts.Count == 0 ? "harness-made" : "harness-made: " + string.Join(", ", parts);
    }

    internal static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
