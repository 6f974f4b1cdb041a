using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core;

/// <summary>
/// Questions several rules ask of the conversation view. They live here so no rule calls another rule: a rule
/// needing what another computes asks the same query.
/// </summary>
internal static class Queries
{
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

    /// <summary>The ids answered right after message <paramref name="i"/>: the next user message, or the tool messages that follow.</summary>
    public static HashSet<string> NextTurnResultIds(ConversationIndex index, int i)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var j = i + 1; j < index.MessageCount; j++)
        {
            var next = index.MessageAt(j);
            if (next.Role == MessageRole.Assistant || next.Role == MessageRole.System)
            {
                break;
            }

            for (var b = 0; b < next.BlockCount; b++)
            {
                if (next.BlockAt(b) is { Kind: BlockKind.ToolResult, ToolId: { } id })
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
    public static IReadOnlyList<BlockHandle> LateResults(ConversationIndex index, int i)
    {
        // Asked of every assistant message by three rules: most have no tool message after a prompt (formats without
        // tool messages never do), and those get the shared empty list without a set of their calls.
        var firstLate = FirstToolMessageAfterPrompt(index, i);
        return firstLate < 0 ? [] : LateResultsFrom(index, i, firstLate);
    }

    private static IReadOnlyList<BlockHandle> LateResultsFrom(ConversationIndex index, int i, int firstLate)
    {
        var calls = CallIds(index.MessageAt(i));

        List<BlockHandle>? late = null; // made at the first late result: a tool message after a prompt seldom holds one
        for (var j = firstLate; j < index.MessageCount && calls.Count > 0; j++)
        {
            var next = index.MessageAt(j);
            if (next.Role is MessageRole.Assistant or MessageRole.System)
            {
                break;
            }

            if (next.Role == MessageRole.User)
            {
                continue;
            }

            for (var b = 0; b < next.BlockCount; b++)
            {
                if (next.BlockAt(b) is { Kind: BlockKind.ToolResult, ToolId: { } id } r && calls.Contains(id))
                {
                    (late ??= []).Add(r);
                }
            }
        }

        return late ?? (IReadOnlyList<BlockHandle>)[];
    }

    // The first message after a user message that follows assistant message i, before the next assistant or system
    // message, or -1: where late results can start.
    private static int FirstToolMessageAfterPrompt(ConversationIndex index, int i)
    {
        var userSeen = false;
        for (var j = i + 1; j < index.MessageCount; j++)
        {
            var role = index.MessageAt(j).Role;
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

    /// <summary>Whether the result answers a call whose other results came late (see <see cref="LateResults(ConversationIndex, int)"/>).</summary>
    public static bool IsLateResult(ConversationIndex index, int i, BlockHandle result)
    {
        var j = i - 1;
        while (j >= 0 && index.MessageAt(j).Role is MessageRole.Tool or MessageRole.User)
        {
            j--;
        }

        return j >= 0 && index.MessageAt(j).Role == MessageRole.Assistant
            && LateResults(index, j).Any(r => r.Entry == result.Entry && r.IndexInContent == result.IndexInContent);
    }

    /// <summary>Whether the message holds a block of this kind (a tool call, a tool result).</summary>
    public static bool HasBlock(MessageHandle message, BlockKind kind)
    {
        for (var b = 0; b < message.BlockCount; b++)
        {
            if (message.BlockAt(b).Kind == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The ids of the message's tool calls.</summary>
    public static HashSet<string> CallIds(MessageHandle message)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var b = 0; b < message.BlockCount; b++)
        {
            if (message.BlockAt(b) is { Kind: BlockKind.ToolCall, ToolId: { } id })
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>
    /// Whether a resume sends an entry an entry action kept. One the index does not hold (none on the formats read
    /// today) is not sent.
    /// </summary>
    public static bool IsInResumeContext(ConversationIndex index, Entry entry) => index.HandleOf(entry) is { IsNone: false } h && index.IsInResumeContext(h);

    /// <summary>
    /// The canonical blocks of the chain's assistant messages, in chain order, each with the number of its message:
    /// what the rules about calls and thinking walk (an iterator made once a file, not per message).
    /// </summary>
    public static IEnumerable<(int Message, BlockHandle Block)> AssistantBlocks(ConversationIndex index)
    {
        for (var m = 0; m < index.MessageCount; m++)
        {
            var message = index.MessageAt(m);
            if (message.Role != MessageRole.Assistant)
            {
                continue;
            }

            for (var i = 0; i < message.CanonicalBlockCount; i++)
            {
                yield return (m, message.CanonicalBlockAt(i));
            }
        }
    }
}
