using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Integrity;

/// <summary>TL1005: entries carry a session id other than the file's session.</summary>
public sealed class TL1005MixedSessionIdRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.MixedSessionId,
        "mixed-session-id",
        "Entry belongs to another session",
        "This entry's sessionId {0} differs from the file's session {1} ({2} entries carry it); lines of two sessions are mixed in one file",
        RuleCategories.Integrity,
        Severity.Warning,
        "Every line of a session file belongs to that session. Lines with another sessionId come from concatenated files, a copy-paste between sessions, or a tool that appended to the wrong file; a resume may pick its leaf or parents from the other session. Reported once per foreign session id, at its first line. There is no automatic fix: which session the lines belong to is a decision for a person.",
        FixAvailability.None,
        [],
        ["integrity"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterConversationAction(Check);

    private static void Check(ConversationContext ctx)
    {
        var conversation = ctx.Conversation;
        if (conversation.SessionId is not { } session)
        {
            return;
        }

        var foreign = conversation.Entries.Where(e => e.SessionId is { } s && s != session).GroupBy(e => e.SessionId!, StringComparer.Ordinal).ToList();
        foreach (var group in foreign.OrderBy(g => g.First().Line.Number))
        {
            if (conversation.HasParentGraph && WovenIn(conversation, session, group))
            {
                continue;
            }

            var first = group.First();
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(first, "/sessionId"), null, group.Key, session, group.Count()));
        }
    }

    // Claude Code 2.1 implementing a plan from plan mode starts a new session id but keeps the old one on the lines
    // before it (the first prompt) and on the hook rows written later (progress, stop_hook_summary, turn_duration),
    // all linked into the one chain (a real entireio/cli checkpoint, 8c/fa910f8ef9/5): one conversation under two
    // ids, not two sessions mixed. Only that signature is exempt: the other id comes first, is only on progress and
    // system rows once the file's session has started, has at least one such row, and a line of the file's session
    // names one of its lines as parent. A pasted or concatenated line fails one.
    private static bool WovenIn(Conversation conversation, string session, IEnumerable<Entry> group)
    {
        var sessionStart = conversation.Entries.FirstOrDefault(e => e.SessionId == session)?.Line.Number ?? int.MaxValue;
        var lines = group.ToList();
        var later = lines.Where(e => e.Line.Number > sessionStart).ToList();
        if (lines[0].Line.Number > sessionStart || later.Count == 0 || later.Any(e => e.TypeName is not ("progress" or "system")))
        {
            return false;
        }

        var ids = lines.Select(e => e.Uuid).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return conversation.Entries.Any(e => e.SessionId == session && e.ParentUuid is { } parent && ids.Contains(parent));
    }
}
