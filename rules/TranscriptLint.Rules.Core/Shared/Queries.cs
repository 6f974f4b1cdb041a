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

            foreach (var r in next.Results())
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
    public static IReadOnlyList<MessageBlock> LateResults(IReadOnlyList<Message> chain, int i)
    {
        // Asked of every assistant message by three rules: most have no tool message after a prompt (formats without
        // tool messages never do), and those get the shared empty list without a set of their calls.
        var firstLate = FirstToolMessageAfterPrompt(chain, i);
        return firstLate < 0 ? [] : LateResultsFrom(chain, i, firstLate);
    }

    // (A method of its own: the set its filter captures would otherwise be made on every call, late results or not.)
    private static IReadOnlyList<MessageBlock> LateResultsFrom(IReadOnlyList<Message> chain, int i, int firstLate)
    {
        var calls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in chain[i].Calls())
        {
            if (c.Block.ToolId is { } id)
            {
                calls.Add(id);
            }
        }

        List<MessageBlock>? late = null; // made at the first late result: a tool message after a prompt seldom holds one
        for (var j = firstLate; j < chain.Count && calls.Count > 0; j++)
        {
            var next = chain[j];
            if (next.Role is MessageRole.Assistant or MessageRole.System)
            {
                break;
            }

            if (next.Role != MessageRole.User)
            {
                foreach (var r in next.Results())
                {
                    if (r.Block.ToolId is { } id && calls.Contains(id))
                    {
                        (late ??= []).Add(r);
                    }
                }
            }
        }

        return late ?? (IReadOnlyList<MessageBlock>)[];
    }

    // The first message after a user message that follows assistant message i, before the next assistant or system
    // message, or -1: where late results can start.
    private static int FirstToolMessageAfterPrompt(IReadOnlyList<Message> chain, int i)
    {
        var userSeen = false;
        for (var j = i + 1; j < chain.Count; j++)
        {
            var role = chain[j].Role;
            if (role is MessageRole.Assistant or MessageRole.System)
            {
                return -1;
            }

            if (role == MessageRole.User)
            {
                userSeen = true;
            }
            else if (userSeen)
            {
                return j;
            }
        }

        return -1;
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

    /// <summary>The number of the chain's last assistant message that is not harness-made, or -1: the latest response the provider checks.</summary>
    public static int LatestRealAssistant(ConversationIndex index)
    {
        for (var m = index.MessageCount - 1; m >= 0; m--)
        {
            if (index.MessageAt(m) is { Role: MessageRole.Assistant, IsSynthetic: false })
            {
                return m;
            }
        }

        return -1;
    }

    /// <summary>Whether any of the message's canonical blocks is thinking (readable or redacted).</summary>
    public static bool HoldsThinking(MessageHandle message)
    {
        for (var i = 0; i < message.CanonicalBlockCount; i++)
        {
            if (message.CanonicalBlockAt(i).IsThinking())
            {
                return true;
            }
        }

        return false;
    }
}
