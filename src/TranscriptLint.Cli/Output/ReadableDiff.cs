using System.Text;
using System.Text.Json;
using TranscriptLint.Cli.Sessions;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Reading;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// <c>fix --diff</c> for a person: per change, the finding it answers (rule, line, message, fix title), then what
/// happens to the lines, not as whole 1-3 KB JSON lines but as the JSON values that change
/// (<c>~ line 15 /parentUuid: "a…" → "b…"</c>), lines removed or added summed up by what they are
/// (<c>- line 14: assistant &lt;synthetic&gt; "API Error: 429…"</c>), with the line before an insertion as context.
/// The unified diff stays available as <c>--diff=unified</c> for tools.
/// </summary>
public static class ReadableDiff
{
    private const int ValueWidth = 60;

    /// <summary>Writes what the fixes of one file change.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="path">The path shown.</param>
    /// <param name="before">The bytes the fixes started from.</param>
    /// <param name="after">The fixed bytes.</param>
    /// <param name="applied">The fixes applied, in order.</param>
    /// <param name="findings">The findings of the first lint, which the first pass's fixes answer.</param>
    /// <param name="painter">Colours.</param>
    /// <param name="restoration">When the first pass restored the file (<see cref="FixOutcome.Restoration"/>): how; <paramref name="before"/> is then the restored file (<see cref="FixOutcome.DiffBase"/>).</param>
    public static void Write(TextWriter output, string path, byte[] before, byte[] after, IReadOnlyList<AppliedFix> applied, IReadOnlyList<Diagnostic> findings, Painter painter, Engine.Reading.Restoration? restoration = null)
    {
        var a = LineSlice.LinesOf(before);
        var b = LineSlice.LinesOf(after);
        var hunks = LineDiff.Hunks(a, b);
        // The mark is before line 1, outside every line: a change of it is told on its own.
        var markChange = StartsWithMark(before) != StartsWithMark(after) ? (StartsWithMark(before) ? "remove the byte order mark" : "add a byte order mark") : null;
        var lines = hunks.Sum(h => Math.Max(h.Removed, h.Added));
        var restore = restoration is null ? null : char.ToLowerInvariant(restoration.Title[0]) + restoration.Title[1..];
        string[] changes = [.. new[] { restore, lines == 0 && (markChange is not null || restore is not null) ? null : $"change {Plural(lines, "line")}", markChange }.OfType<string>()];
        output.WriteLine(painter.Bold(path) + painter.Dim($": {Plural(applied.Count, "fix", "fixes")} would {string.Join(" and ", changes)}"));
        var unexplained = applied.ToList();
        if (restoration is not null)
        {
            Explain(unexplained.Where(f => f.Pass == 1).ToList());
            output.WriteLine(painter.Error($"    ~ {restoration.Detail}"));
        }

        if (markChange is not null)
        {
            Explain(unexplained.Where(f => f.Pass == 1 && f.Line == 1 && findings.Any(d => d.Id == f.RuleId && d.Location.StartLine == 1 && d.Fixes.Any(x => x.Title == f.Title && x.Edits.Any(e => e is Fixes.RemoveByteOrderMark)))).ToList());
            output.WriteLine(painter.Error($"    - the byte order mark before line 1 (bytes EF BB BF) {(StartsWithMark(before) ? "removed" : "added")}"));
        }

        // The fixes of the first pass carry lines of the original; later passes' lines are the ones after it. After a
        // restoration that is the second pass: the restored file keeps every line it kept where it was.
        var linePass = restoration is null ? 1 : 2;
        foreach (var hunk in hunks)
        {
            Explain(unexplained.Where(f => f.Pass == linePass && f.Line >= hunk.A && f.Line <= hunk.A + Math.Max(hunk.Removed, 1)).ToList());
            WriteHunk(output, hunk, a, b, painter);
        }

        if (unexplained.Count > 0)
        {
            output.WriteLine(painter.Dim("  later passes (on the lines as the first pass left them): " +
                string.Join("; ", unexplained.Select(f => $"{f.RuleId} {f.Title}"))));
        }

        void Explain(List<AppliedFix> near)
        {
            foreach (var fix in near)
            {
                unexplained.Remove(fix);
                // The finding on the fix's own line first: a rule's fixes often share a title (eleven torn lines, one title).
                var finding = findings.FirstOrDefault(d => d.Id == fix.RuleId && d.Location.StartLine == fix.Line && d.Fixes.Any(f => f.Title == fix.Title))
                    ?? findings.FirstOrDefault(d => d.Id == fix.RuleId && d.Fixes.Any(f => f.Title == fix.Title))
                    ?? findings.FirstOrDefault(d => d.Id == fix.RuleId);
                var name = finding?.Descriptor.Name is { } n ? " " + n : "";
                output.WriteLine($"  {painter.Bold($"line {fix.Line}")}  {painter.Severity(finding is null ? "" : TextReporter.SeverityName(finding.Severity))} {painter.Bold(fix.RuleId)}{name}");
                if (finding is not null)
                {
                    output.WriteLine($"    {finding.Message}");
                }

                var applicability = finding?.Fixes.FirstOrDefault(f => f.Title == fix.Title)?.Applicability.ToString().ToLowerInvariant();
                output.WriteLine(painter.Dim($"    fix{(applicability is null ? "" : $" ({applicability})")}: {fix.Title}"));
            }
        }

        output.WriteLine();
    }

    private static bool StartsWithMark(byte[] bytes) => bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble);

    private static void WriteHunk(TextWriter output, LineDiff.Hunk h, List<LineSlice> a, List<LineSlice> b, Painter painter)
    {
        if (h.Removed == 0 && h.A > 0)
        {
            output.WriteLine(painter.Dim($"      after line {h.A}: {Summary(a[h.A - 1].Text)}"));
        }

        // A line that stays (same uuid, or same kind when neither has one) but changes is shown value by value;
        // the others are removed or added whole.
        var added = Enumerable.Range(h.B, h.Added).ToList();
        var addedKeys = added.Select(j => Key(b[j].Text)).ToList(); // each parsed once, not once per removed line
        for (var i = h.A; i < h.A + h.Removed; i++)
        {
            // A line whose only change is its invalid UTF-8 read as U+FFFD reads the same before and after: say which
            // bytes changed instead of showing the same text removed and added.
            if (!System.Text.Unicode.Utf8.IsValid(a[i].Bytes) && LenientUtf8.Decode(a[i].Bytes) is var read && added.FindIndex(j => b[j].Bytes.SequenceEqual(read)) is var same and >= 0)
            {
                var now = added[same];
                added.RemoveAt(same);
                addedKeys.RemoveAt(same);
                output.WriteLine($"    {painter.Warning("~")} line {i + 1}{(now != i ? $" (line {now + 1} after the fix)" : "")}: {InvalidBytes(a[i].Bytes)} replaced with U+FFFD; every other byte kept");
                continue;
            }

            var line = a[i].Text;
            var key = Key(line);
            var match = key is null ? -1 : addedKeys.IndexOf(key);
            var changes = match >= 0 ? JsonChanges(line, b[added[match]].Text) : null;
            if (changes is null)
            {
                output.WriteLine(painter.Error($"    - line {i + 1} removed: {Summary(line)}"));
                continue;
            }

            var j = added[match];
            added.RemoveAt(match);
            addedKeys.RemoveAt(match);
            output.WriteLine($"    {painter.Warning("~")} line {i + 1}{(j != i ? $" (line {j + 1} after the fix)" : "")} {painter.Dim($"({Summary(line)})")}");
            foreach (var (pointer, old, now) in changes)
            {
                var text = (old, now) switch
                {
                    (null, _) => painter.Good($"+ {pointer}: {now}"),
                    (_, null) => painter.Error($"- {pointer}: {old}"),
                    _ => $"{pointer}: {painter.Error(old)} → {painter.Good(now)}",
                };
                output.WriteLine($"        {text}");
            }
        }

        foreach (var j in added)
        {
            output.WriteLine(painter.Good($"    + new line {j + 1}: {Summary(b[j].Text)}"));
        }
    }

    // The invalid sequences of a line, as a person finds them: "bytes E9 at column 47 and EF at column 54".
    private static string InvalidBytes(ReadOnlySpan<byte> line)
    {
        var found = new List<string>();
        var column = 1;
        while (!line.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(line, out _, out var consumed);
            if (status == System.Buffers.OperationStatus.InvalidData || status == System.Buffers.OperationStatus.NeedMoreData)
            {
                var hex = new StringBuilder();
                foreach (var b in line[..consumed])
                {
                    hex.Append(hex.Length > 0 ? " " : "").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }

                found.Add($"{hex} at column {column}");
            }

            line = line[consumed..];
            column++;
        }

        var what = found.Count == 1 ? "the invalid UTF-8 sequence" : $"the {found.Count} invalid UTF-8 sequences";
        var shown = string.Join(", ", found.Take(3)) + (found.Count > 3 ? ", …" : "");
        return $"{what} ({shown})";
    }

    // What makes two versions of a line the same entry: its uuid (Claude Code), else its id, else nothing.
    private static string? Key(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Str("uuid") ?? doc.RootElement.Str("id") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The JSON values that differ between two lines, by JSON pointer; null when either is not JSON.</summary>
    internal static List<(string Pointer, string? Old, string? New)>? JsonChanges(string before, string after)
    {
        try
        {
            using var a = JsonDocument.Parse(before);
            using var b = JsonDocument.Parse(after);
            var changes = new List<(string, string?, string?)>();
            Compare(a.RootElement, b.RootElement, "", changes);
            return changes;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Compare(JsonElement a, JsonElement b, string pointer, List<(string, string?, string?)> changes)
    {
        if (a.ValueKind == JsonValueKind.Object && b.ValueKind == JsonValueKind.Object)
        {
            var bProps = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            foreach (var p in a.EnumerateObject())
            {
                var child = pointer + "/" + p.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                if (bProps.Remove(p.Name, out var other))
                {
                    Compare(p.Value, other, child, changes);
                }
                else
                {
                    changes.Add((child, Value(p.Value), null));
                }
            }

            foreach (var (name, value) in bProps)
            {
                changes.Add((pointer + "/" + name, null, Value(value)));
            }
        }
        else if (a.ValueKind == JsonValueKind.Array && b.ValueKind == JsonValueKind.Array)
        {
            var x = a.EnumerateArray().ToList();
            var y = b.EnumerateArray().ToList();
            var raw = (List<JsonElement> l) => l.Select(e => e.GetRawText()).ToList();
            foreach (var h in LineDiff.Hunks(raw(x), raw(y)))
            {
                var paired = Math.Min(h.Removed, h.Added);
                for (var i = 0; i < paired; i++)
                {
                    Compare(x[h.A + i], y[h.B + i], $"{pointer}/{h.A + i}", changes);
                }

                for (var i = paired; i < h.Removed; i++)
                {
                    changes.Add(($"{pointer}/{h.A + i}", Value(x[h.A + i]), null));
                }

                for (var i = paired; i < h.Added; i++)
                {
                    changes.Add(($"{pointer}/{h.B + i}", null, Value(y[h.B + i])));
                }
            }
        }
        else if (a.GetRawText() != b.GetRawText())
        {
            changes.Add((pointer.Length == 0 ? "/" : pointer, Value(a), Value(b)));
        }
    }

    /// <summary>A JSON value short enough for one line: strings cut, objects and arrays summed up when long.</summary>
    internal static string Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "\"" + SessionDetails.OneLine(e.GetString()!, ValueWidth) + "\"",
        JsonValueKind.Object when e.GetRawText().Length > ValueWidth => $"{{{Describe(e)}}}",
        JsonValueKind.Array when e.GetRawText().Length > ValueWidth => $"[{e.GetArrayLength()} items]",
        _ => e.GetRawText(),
    };

    /// <summary>What a transcript line is, in a few words: its kind, id, tool and the start of its text.</summary>
    internal static string Summary(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? Describe(doc.RootElement) : Value(doc.RootElement);
        }
        catch (JsonException)
        {
            return $"not JSON ({Encoding.UTF8.GetByteCount(line):N0} bytes): " + SessionDetails.OneLine(line, 40);
        }
    }

    private static string Describe(JsonElement e)
    {
        var parts = new List<string>();
        var message = e.Prop("message") ?? e.Prop("payload") ?? e;
        foreach (var word in new[] { e.Str("type"), message.Str("type") is { } t && t != e.Str("type") && t != "message" ? t : null, message.Str("role") ?? e.Str("role") })
        {
            if (word is { Length: > 0 } && !parts.Contains(word))
            {
                parts.Add(word);
            }
        }

        if (message.Str("model") == "<synthetic>")
        {
            parts.Add("<synthetic>");
        }

        if (e.Str("uuid") is { Length: > 8 } uuid)
        {
            parts.Add("uuid " + uuid[..8] + "…");
        }

        var content = message.Prop("content");
        if (content is { ValueKind: JsonValueKind.Array } blocks)
        {
            foreach (var block in blocks.EnumerateArray().Take(3))
            {
                var kind = block.Str("type");
                var tool = block.Str("tool_use_id") ?? block.Str("id") ?? block.Str("call_id");
                var name = block.Str("name");
                var text = block.Str("text") ?? (block.Prop("content") is { ValueKind: JsonValueKind.String } c ? c.GetString() : null);
                parts.Add(string.Join(' ', new[] { kind, name, tool, block.Prop("is_error") is { ValueKind: JsonValueKind.True } ? "is_error" : null, text is null ? null : "\"" + SessionDetails.OneLine(text, 40) + "\"" }.Where(s => s is not null)));
            }
        }
        else if (content is { ValueKind: JsonValueKind.String } s)
        {
            parts.Add("\"" + SessionDetails.OneLine(s.GetString()!, 40) + "\"");
        }
        else if (message.Str("call_id") is { } call)
        {
            parts.Add(call);
        }

        if (parts.Count == 0)
        {
            parts.Add(Plural(e.EnumerateObject().Count(), "key"));
        }

        return string.Join(", ", parts);
    }

    private static string Plural(int n, string word, string? plural = null) => n == 1 ? $"1 {word}" : $"{n:N0} {plural ?? word + "s"}";
}
