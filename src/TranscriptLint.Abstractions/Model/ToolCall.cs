using System.Text.Json;

namespace TranscriptLint.Model;

/// <summary>
/// One tool call and its result, the same whatever the transcript format: the tool's name, its input as parsed JSON
/// (an OpenAI/Codex <c>arguments</c> string is parsed; an Anthropic <c>input</c>, a Gemini <c>args</c> or a Copilot
/// <c>arguments</c> object is taken as it is), and the text of the result that answers it. A rule written against this
/// view fires on Claude Code, Codex, chat logs, request bodies, Gemini CLI and Copilot CLI alike.
/// </summary>
/// <remarks>
/// Registered with <see cref="TranscriptStartContext.RegisterToolCallAction"/> (or
/// <see cref="RuleInitializationContext.RegisterToolCallAction"/>); the host reads inputs and result texts only when a
/// rule asks for them. <see cref="Entry"/> and <see cref="Block"/> lead back to the compact model, for locations and fixes.
/// </remarks>
public sealed class ToolCall
{
    /// <summary>The call id (<c>tool_use.id</c>, <c>call_id</c>, <c>toolCallId</c>…), when the format records one.</summary>
    public string? Id => Block.ToolId;

    /// <summary>The tool name as the model wrote it (<c>Bash</c>, <c>shell</c>, <c>run_shell_command</c>…).</summary>
    public string? Name => Block.ToolName;

    /// <summary>The entry (line, or element of a document) holding the call.</summary>
    public required Entry Entry { get; init; }

    /// <summary>The call's block in <see cref="Entry"/>.</summary>
    public required ContentBlock Block { get; init; }

    /// <summary>
    /// The input as JSON, usually an object: an arguments string (OpenAI chat, Codex <c>function_call</c>) parsed, an
    /// input object as written. <see cref="JsonValueKind.Undefined"/> when the input is free-form text (see
    /// <see cref="InputText"/>) or missing. It stays valid after the callback.
    /// </summary>
    public JsonElement Input { get; init; }

    /// <summary>
    /// The input when it is text rather than JSON: a Codex <c>custom_tool_call</c>'s <c>input</c> (e.g. an
    /// <c>apply_patch</c> body), or an arguments string that is not valid JSON. Null when <see cref="Input"/> holds it.
    /// </summary>
    public string? InputText { get; init; }

    /// <summary>RFC 6901 pointer to the input value inside <see cref="Entry"/> (e.g. <c>/message/content/1/input</c>,
    /// <c>/payload/arguments</c>), for locations and fixes; null when the call has no input.</summary>
    public string? InputPointer { get; init; }

    /// <summary>The entry holding the result that answers the call, or null when none does.</summary>
    public Entry? ResultEntry { get; init; }

    /// <summary>The result's block in <see cref="ResultEntry"/>, or null when no result answers the call.</summary>
    public ContentBlock? ResultBlock { get; init; }

    /// <summary>Whether a result answers the call.</summary>
    public bool HasResult => ResultBlock is not null;

    /// <summary>
    /// The result's text: a string output as written, the text blocks of a content array joined with new lines, a
    /// structured output (Gemini's <c>response</c>) as its <c>output</c>/<c>error</c> string or else its JSON. Null
    /// when no result answers the call.
    /// </summary>
    public string? ResultText { get; init; }

    /// <summary>Whether the result says the call failed (<c>is_error</c>, Gemini's <c>response.error</c>, Copilot's
    /// <c>success:false</c>); false when the format does not say or there is no result.</summary>
    public bool IsError { get; init; }

    /// <summary>Reads a property of <see cref="Input"/>.</summary>
    /// <param name="name">The property name.</param>
    /// <param name="value">The value, when present.</param>
    /// <returns>True when <see cref="Input"/> is an object with that property.</returns>
    public bool TryGetInput(string name, out JsonElement value)
    {
        if (Input.ValueKind == JsonValueKind.Object && Input.TryGetProperty(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Reads a string property of <see cref="Input"/>.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The string, or null when the property is missing or not a string.</returns>
    public string? GetInputString(string name) =>
        TryGetInput(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
