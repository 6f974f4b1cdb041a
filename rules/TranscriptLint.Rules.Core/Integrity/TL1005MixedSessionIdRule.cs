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

        var foreign = conversation.Entries.Where(e => e.SessionId is { } s && s != session).GroupBy(e => e.SessionId!, StringComparer.Ordinal);
        foreach (var group in foreign.OrderBy(g => g.First().Line.Number))
        {
            var first = group.First();
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(first, "/sessionId"), null, group.Key, session, group.Count()));
        }
    }
}
