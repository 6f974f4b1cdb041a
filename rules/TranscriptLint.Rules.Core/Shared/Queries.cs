using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core;

/// <summary>
/// Questions several rules ask of the conversation view. They live here so no rule calls another rule: a rule
/// needing what another computes asks the same query.
/// </summary>
internal static class Queries
{
    /// <summary>The ids answered right after message <paramref name="i"/>: the next user message, or the tool messages that follow.</summary>
    public static HashSet<string> NextTurnResultIds(IReadOnlyList<Message> chain, int i)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var j = i + 1; j < chain.Count; j++)
        {
            var next = chain[j];
            if (next.Role == MessageRole.Assistant || next.Role == MessageRole.System)
            {
                break;
            }

            foreach (var r in next.ToolResults)
            {
                if (r.Block.ToolId is { } id)
                {
                    ids.Add(id);
                }
            }

            if (next.Role == MessageRole.User)
            {
                break; // Anthropic shape: the one next user message
            }
        }

        return ids;
    }

    /// <summary>The API name of a role, as messages quote it.</summary>
    public static string RoleName(MessageRole role) => role switch
    {
        MessageRole.User => "user",
        MessageRole.Assistant => "assistant",
        MessageRole.Tool => "tool",
        _ => "system",
    };
}
