using System.Text;
using System.Text.Json;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// Builds the format-neutral tool-call view (<see cref="ToolCall"/>). While each entry's JSON is available it keeps
/// what the view needs of its call and result blocks (the input, parsed; the result's text); once the conversation is
/// built it pairs calls with results by id. Only created when a rule registered a tool-call action, so other runs
/// keep the compact model's memory profile.
/// </summary>
/// <remarks>
/// Every dialect points its call and result blocks at the JSON object they came from, and names them by the
/// <see cref="ContentBlock.TypeName"/> it read: the cases below are those names, per format.
/// </remarks>
internal sealed class ToolCallReader
{
    private readonly Dictionary<ContentBlock, CallInput> _inputs = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ContentBlock, ResultOutput> _outputs = new(ReferenceEqualityComparer.Instance);

    private readonly record struct CallInput(JsonElement Input, string? Text, string? Pointer);

    private readonly record struct ResultOutput(string Text, bool IsError);

    /// <summary>Keeps the inputs and result texts of one entry's blocks; <paramref name="json"/> is the entry's JSON.</summary>
    public void Collect(Entry entry, JsonElement json)
    {
        foreach (var block in entry.Blocks)
        {
            if (block.Kind is not (BlockKind.ToolCall or BlockKind.ToolResult) || JsonPointers.Resolve(json, block.JsonPointer) is not { } element)
            {
                continue;
            }

            if (block.Kind == BlockKind.ToolCall)
            {
                _inputs[block] = ReadInput(block, element);
            }
            else
            {
                _outputs[block] = ReadOutput(block, element);
            }
        }
    }

    /// <summary>Every tool call of the conversation's canonical entries in file order, each with the first result answering it.</summary>
    public List<ToolCall> Build(Conversation conversation)
    {
        var entries = conversation.CanonicalEntries.ToList();
        var results = new Dictionary<string, List<(int Order, Entry Entry, ContentBlock Block)>>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            foreach (var block in entries[i].Blocks)
            {
                if (block.Kind == BlockKind.ToolResult && block.ToolId is { } id)
                {
                    if (!results.TryGetValue(id, out var list))
                    {
                        results[id] = list = [];
                    }

                    list.Add((i, entries[i], block));
                }
            }
        }

        var calls = new List<ToolCall>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            foreach (var block in entry.Blocks)
            {
                if (block.Kind != BlockKind.ToolCall)
                {
                    continue;
                }

                (Entry Entry, ContentBlock Block)? result = null;
                if (block.ToolId is { } id && results.TryGetValue(id, out var candidates))
                {
                    // The first result at or after the call; a result written before its call still answers it.
                    var found = candidates.FirstOrDefault(c => c.Order >= i);
                    found = found.Entry is null ? candidates[0] : found;
                    result = (found.Entry, found.Block);
                }
                else if (block.ToolId is null)
                {
                    // Gemini's legacy records may carry no ids: the result sits on the call's own record, same index.
                    var own = entry.Blocks.FirstOrDefault(b => b.Kind == BlockKind.ToolResult && b.ToolId is null && b.Index == block.Index);
                    result = own is null ? null : (entry, own);
                }

                _inputs.TryGetValue(block, out var input);
                ResultOutput output = default;
                var hasOutput = result is { } r && _outputs.TryGetValue(r.Block, out output);
                calls.Add(new ToolCall
                {
                    Entry = entry,
                    Block = block,
                    Input = input.Input,
                    InputText = input.Text,
                    InputPointer = input.Pointer,
                    ResultEntry = result?.Entry,
                    ResultBlock = result?.Block,
                    ResultText = result is null ? null : hasOutput ? output.Text : "",
                    IsError = result is { } rb && (rb.Block.IsError || (hasOutput && output.IsError)),
                });
            }
        }

        return calls;
    }

    private static CallInput ReadInput(ContentBlock block, JsonElement call)
    {
        var (value, name) = block.TypeName switch
        {
            // Anthropic (Claude Code, request bodies) and chat content blocks: {"type":"tool_use","input":{…}}.
            "tool_use" or "tool_call" => Member(call, "input", "arguments"),
            // OpenAI chat: {"function":{"name","arguments":"{…}"}}; Amplifier writes arguments as an object.
            "tool_calls" => call.Prop("function"u8) is { ValueKind: JsonValueKind.Object } f && f.Prop("arguments"u8) is { } a
                ? (a, "function/arguments")
                : Member(call, "arguments", "input"),
            // Codex: function_call.arguments is a JSON string, custom_tool_call.input free text, local_shell_call.action an object.
            "function_call" or "tool_search_call" => Member(call, "arguments", "input"),
            "custom_tool_call" => Member(call, "input"),
            "local_shell_call" => Member(call, "action"),
            // Gemini: a functionCall part {"functionCall":{"name","args"}} or a legacy toolCalls[] record {"name","args"}.
            "functionCall" => call.Prop("functionCall"u8) is { ValueKind: JsonValueKind.Object } fc
                ? (fc.Prop("args"u8), "functionCall/args")
                : Member(call, "args"),
            // Copilot CLI: assistant.message data.toolRequests[] {"toolCallId","name","arguments":{…}}.
            "toolRequests" => Member(call, "arguments"),
            _ => Member(call, "input", "arguments", "args"),
        };

        if (value is not { } v || v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return new CallInput(default, null, null);
        }

        var pointer = block.JsonPointer + "/" + name;
        if (v.ValueKind != JsonValueKind.String)
        {
            return new CallInput(v.Clone(), null, pointer);
        }

        var text = v.GetString()!;
        if (block.TypeName != "custom_tool_call" && text.TrimStart().StartsWith('{'))
        {
            try
            {
                using var parsed = JsonDocument.Parse(text);
                return new CallInput(parsed.RootElement.Clone(), null, pointer);
            }
            catch (JsonException)
            {
                // Not JSON after all: the model's text is kept as written.
            }
        }

        return new CallInput(default, text, pointer);
    }

    private static ResultOutput ReadOutput(ContentBlock block, JsonElement result) => block.TypeName switch
    {
        // Anthropic tool_result and chat content blocks: "content" is a string or an array of blocks.
        "tool_result" => new(Text(result.Prop("content"u8) ?? result.Prop("output"u8)), false),
        // A chat role:"tool" message: the block points at its "content" itself.
        "tool" => new(Text(result), false),
        // Codex: output is a string, or {"content": …, "success": bool}, or an array of content items.
        "function_call_output" or "custom_tool_call_output" or "tool_search_output" => result.Prop("output"u8) is { ValueKind: JsonValueKind.Object } o
            ? new(Text(o.Prop("content"u8)), o.Prop("success"u8) is { ValueKind: JsonValueKind.False })
            : new(Text(result.Prop("output"u8)), false),
        // Gemini: a result string, or a part {"functionResponse":{"response":{"output"|"error": …}}}.
        "functionResponse" => GeminiOutput(result),
        // Copilot CLI: tool.execution_complete data {"success", "result":{"content"}, "error":{"message"}}.
        "tool.execution_complete" => new(
            Text(result.Prop("result"u8)?.Prop("content"u8) ?? result.Prop("error"u8)?.Prop("message"u8)),
            result.Prop("success"u8) is { ValueKind: JsonValueKind.False } || result.Prop("error"u8) is { ValueKind: JsonValueKind.Object }),
        _ => new(Text(result.Prop("content"u8) ?? result.Prop("output"u8) ?? result), false),
    };

    private static ResultOutput GeminiOutput(JsonElement result)
    {
        if (result.ValueKind == JsonValueKind.String)
        {
            return new(result.GetString()!, false);
        }

        var response = result.Prop("functionResponse"u8)?.Prop("response"u8);
        if (response is not { ValueKind: JsonValueKind.Object } r)
        {
            return new(response is { } other ? Text(other) : "", false);
        }

        if (r.Prop("error"u8) is { } error)
        {
            return new(error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText(), true);
        }

        return new(r.Prop("output"u8) is { ValueKind: JsonValueKind.String } output ? output.GetString()! : r.GetRawText(), false);
    }

    // The first of the named members present, with its name (a pointer segment).
    private static (JsonElement? Value, string Name) Member(JsonElement obj, params string[] names)
    {
        foreach (var name in names)
        {
            if (obj.Prop(name) is { } value)
            {
                return (value, name);
            }
        }

        return (null, names[0]);
    }

    /// <summary>A result's text: a string as written; the text items of an array joined with new lines; an object's text.</summary>
    private static string Text(JsonElement? value)
    {
        switch (value)
        {
            case null:
                return "";
            case { ValueKind: JsonValueKind.String } s:
                return s.GetString()!;
            case { ValueKind: JsonValueKind.Array } array:
                var sb = new StringBuilder();
                foreach (var item in array.EnumerateArray())
                {
                    var text = item.ValueKind == JsonValueKind.String ? item.GetString() : item.Str("text"u8) ?? item.Str("content"u8);
                    if (text is null)
                    {
                        continue; // an image or other non-text part
                    }

                    if (sb.Length > 0)
                    {
                        sb.Append('\n');
                    }

                    sb.Append(text);
                }

                return sb.ToString();
            case { ValueKind: JsonValueKind.Object } obj:
                return obj.Str("text"u8) ?? obj.Str("output"u8) ?? obj.GetRawText();
            case { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                return "";
            case { } other:
                return other.GetRawText();
        }
    }
}
