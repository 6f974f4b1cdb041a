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

    /// <summary>
    /// Formats with tool messages of their own (chat, Amplifier): the results answering the calls of assistant
    /// message <paramref name="i"/> that come after a user message instead of right after the calls (Amplifier FM2,
    /// a prompt typed while the tools ran). They are real results in the wrong place: TL3005 moves them up.
    /// </summary>
    public static List<MessageBlock> LateResults(IReadOnlyList<Message> chain, int i)
    {
        var late = new List<MessageBlock>();
        var calls = chain[i].ToolCalls.Select(c => c.Block.ToolId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var userSeen = false;
        for (var j = i + 1; j < chain.Count && calls.Count > 0; j++)
        {
            var next = chain[j];
            if (next.Role is MessageRole.Assistant or MessageRole.System)
            {
                break;
            }

            if (next.Role == MessageRole.User)
            {
                userSeen = true;
            }
            else if (userSeen)
            {
                late.AddRange(next.ToolResults.Where(r => r.Block.ToolId is { } id && calls.Contains(id)));
            }
        }

        return late;
    }

    /// <summary>Whether the result answers a call whose other results came late (see <see cref="LateResults"/>).</summary>
    public static bool IsLateResult(IReadOnlyList<Message> chain, int i, MessageBlock result)
    {
        var j = i - 1;
        while (j >= 0 && chain[j].Role is MessageRole.Tool or MessageRole.User)
        {
            j--;
        }

        return j >= 0 && chain[j].Role == MessageRole.Assistant && LateResults(chain, j).Any(r => ReferenceEquals(r.Entry, result.Entry) && r.Block.Index == result.Block.Index);
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
