using System.Text.Json;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Reporting;

/// <summary>Writes and reads semantic fix edits as JSON (JSON output, SARIF fix properties, read-back).</summary>
public static class FixEditJson
{
    public static void Write(Utf8JsonWriter w, FixEdit edit)
    {
        w.WriteStartObject();
        w.WriteString("kind", Kind(edit));
        w.WriteNumber("line", edit.Target.Line);
        if (edit.Target.Uuid is { } uuid)
        {
            w.WriteString("uuid", uuid);
        }

        switch (edit)
        {
            case InsertEntryAfter insert:
                w.WritePropertyName("entry");
                WriteNewEntry(w, insert.Entry);
                break;
            case ReplaceValue replace:
                w.WriteString("pointer", replace.JsonPointer);
                w.WriteString("value", replace.ValueJson);
                break;
            case RemoveArrayElement remove:
                w.WriteString("pointer", remove.ArrayPointer);
                w.WriteNumber("index", remove.Index);
                break;
            case SetParent setParent:
                if (setParent.NewParentUuid is { } p)
                {
                    w.WriteString("parent", p);
                }
                else
                {
                    w.WriteNull("parent");
                }

                break;
        }

        w.WriteEndObject();
    }

    public static string Kind(FixEdit edit) => edit switch
    {
        DeleteEntry => "deleteEntry",
        InsertEntryAfter => "insertEntryAfter",
        ReplaceValue => "replaceValue",
        RemoveArrayElement => "removeArrayElement",
        SetParent => "setParent",
        RemoveByteOrderMark => "removeByteOrderMark",
        RestoreTranscript => "restoreTranscript",
        _ => edit.GetType().Name,
    };

    private static void WriteNewEntry(Utf8JsonWriter w, NewEntry entry)
    {
        w.WriteStartObject();
        switch (entry)
        {
            case SyntheticToolResult r:
                w.WriteString("kind", "syntheticToolResult");
                w.WriteString("toolCallId", r.ToolCallId);
                w.WriteString("text", r.Text);
                w.WriteBoolean("isError", r.IsError);
                if (r.EndsChain)
                {
                    w.WriteBoolean("endsChain", true);
                }

                break;
            case SyntheticAssistantText t:
                w.WriteString("kind", "syntheticAssistantText");
                w.WriteString("text", t.Text);
                break;
            case RawJsonEntry raw:
                w.WriteString("kind", "rawJson");
                w.WriteString("json", raw.Json);
                break;
            default:
                w.WriteString("kind", entry.GetType().Name);
                break;
        }

        w.WriteEndObject();
    }

    /// <summary>Reads an edit written by <see cref="Write"/>.</summary>
    public static FixEdit Read(JsonElement e)
    {
        var kind = e.GetProperty("kind").GetString();
        var target = new EntryRef(e.GetProperty("line").GetInt32(), e.TryGetProperty("uuid", out var u) ? u.GetString() : null);
        return kind switch
        {
            "deleteEntry" => new DeleteEntry(target),
            "insertEntryAfter" => new InsertEntryAfter(target, ReadNewEntry(e.GetProperty("entry"))),
            "replaceValue" => new ReplaceValue(target, e.GetProperty("pointer").GetString()!, e.GetProperty("value").GetString()!),
            "removeArrayElement" => new RemoveArrayElement(target, e.GetProperty("pointer").GetString()!, e.GetProperty("index").GetInt32()),
            "setParent" => new SetParent(target, e.GetProperty("parent").GetString()),
            "removeByteOrderMark" => new RemoveByteOrderMark(),
            "restoreTranscript" => new RestoreTranscript(),
            _ => throw new JsonException($"unknown fix edit kind '{kind}'"),
        };
    }

    private static NewEntry ReadNewEntry(JsonElement e) => e.GetProperty("kind").GetString() switch
    {
        "syntheticToolResult" => new SyntheticToolResult(e.GetProperty("toolCallId").GetString()!, e.GetProperty("text").GetString()!, e.GetProperty("isError").GetBoolean())
        {
            EndsChain = e.TryGetProperty("endsChain", out var ends) && ends.ValueKind == JsonValueKind.True,
        },
        "syntheticAssistantText" => new SyntheticAssistantText(e.GetProperty("text").GetString()!),
        "rawJson" => new RawJsonEntry(e.GetProperty("json").GetString()!),
        var k => throw new JsonException($"unknown new entry kind '{k}'"),
    };
}
