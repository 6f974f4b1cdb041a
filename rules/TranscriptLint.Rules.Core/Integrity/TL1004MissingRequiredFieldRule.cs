using System.Text.Json;

namespace TranscriptLint.Rules.Core.Integrity;

/// <summary>TL1004: a conversation entry lacks a field its type needs.</summary>
public sealed class TL1004MissingRequiredFieldRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.MissingRequiredField,
        "missing-required-field",
        "Conversation entry lacks a required field",
        "This {0} entry lacks {1}; a resume cannot use it",
        RuleCategories.Integrity,
        Severity.Error,
        "Every user and assistant line needs uuid, type, message with role and content, and sessionId. A line written by another tool, a hand edit or an importer that lacks one is skipped or breaks the chain on resume (a missing uuid orphans its children; missing content sends an empty message). There is no automatic fix: the missing value cannot be known.",
        FixAvailability.None,
        [
            "messages.{i}.content: Input should be a valid list",
            "all messages must have non-empty content except for the optional final assistant message",
        ],
        ["integrity"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterEntryAction(Check);

    private static void Check(EntryContext ctx)
    {
        if (!ctx.Transcript.Traits.HasEntryEnvelope)
        {
            return;
        }

        // The dialect read the envelope into the entry (the last of a repeated name, escapes decoded, as a lookup by
        // name reads it): a conversation line with its type, session, role and content needs only its uuid looked
        // up. This runs on every line; the six lookups below are for the lines that may miss something.
        var entry = ctx.Entry;
        var json = ctx.Json;
        if (entry.TypeName is "user" or "assistant" && entry.SessionId is { Length: > 0 } && entry.Role is not null && entry.HasContent
            && JsonValues.HasText(json, "uuid"u8))
        {
            return;
        }

        // A type the dialect read (the same last, unescaped value) that is neither user nor assistant: no conversation
        // line, and the lookups below would only say so again (progress, system and snapshot rows, every few lines).
        if (entry.TypeName is { } typeName && typeName is not ("user" or "assistant"))
        {
            return;
        }

        var type = JsonValues.String(json, "type"u8);
        var hasMessage = json.TryGetProperty("message"u8, out var message);
        var isConversation = type is { } t ? IsConversationRole(t) : hasMessage && JsonValues.String(message, "role"u8) is { } role && IsConversationRole(role);
        if (!isConversation)
        {
            return;
        }

        List<string>? missing = null; // made only for a line that misses something: this runs on every message line
        if (type is null)
        {
            (missing ??= []).Add("type");
        }

        if (!JsonValues.HasText(json, "uuid"u8))
        {
            (missing ??= []).Add("uuid");
        }

        if (!JsonValues.HasText(json, "sessionId"u8))
        {
            (missing ??= []).Add("sessionId");
        }

        if (!hasMessage || message.ValueKind != JsonValueKind.Object)
        {
            (missing ??= []).Add("message");
        }
        else
        {
            if (JsonValues.String(message, "role"u8) is null)
            {
                (missing ??= []).Add("message.role");
            }

            if (!message.TryGetProperty("content"u8, out var content) || content.ValueKind == JsonValueKind.Null)
            {
                (missing ??= []).Add("message.content");
            }
        }

        if (missing is not null)
        {
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(ctx.Entry), null, type?.GetString() ?? ctx.Entry.Role ?? "message", string.Join(", ", missing)));
        }
    }

    private static bool IsConversationRole(JsonElement value) => value.ValueEquals("user"u8) || value.ValueEquals("assistant"u8);
}
