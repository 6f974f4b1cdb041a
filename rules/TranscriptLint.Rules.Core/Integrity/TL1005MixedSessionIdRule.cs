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

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        if (index.SessionId is not { } session)
        {
            return;
        }

        // The foreign ids' lines, by id in order of their first line. Lines of one session share one id string (the
        // entry's shape), so most entries are told apart from the file's session by reference.
        var foreign = new Dictionary<string, List<EntryHandle>>(StringComparer.Ordinal);
        var order = new List<string>();
        var sessionStart = int.MaxValue;
        for (var i = 0; i < index.Count; i++)
        {
            var entry = index[i];
            if (entry.SessionId is not { } s)
            {
                continue;
            }

            if (ReferenceEquals(s, session) || s == session)
            {
                if (sessionStart == int.MaxValue)
                {
                    sessionStart = entry.Line.Number; // the session's first line in file order
                }

                continue;
            }

            if (!foreign.TryGetValue(s, out var lines))
            {
                foreign[s] = lines = [];
                order.Add(s);
            }

            lines.Add(entry);
        }

        foreach (var id in order.OrderBy(id => foreign[id][0].Line.Number)) // stable: ids first seen on one line keep their order
        {
            var lines = foreign[id];
            if (index.HasParentGraph && WovenIn(index, session, sessionStart, lines))
            {
                continue;
            }

            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(lines[0], "/sessionId"), null, id, session, lines.Count));
        }
    }

    // Claude Code 2.1 implementing a plan from plan mode starts a new session id but keeps the old one on the lines
    // before it (the first prompt) and on the hook rows written later (progress, stop_hook_summary, turn_duration),
    // all linked into the one chain (a real entireio/cli checkpoint, 8c/fa910f8ef9/5): one conversation under two
    // ids, not two sessions mixed. Only that signature is exempt: the other id comes first, is only on progress and
    // system rows once the file's session has started, has at least one such row, and a line of the file's session
    // names one of its lines as parent. A pasted or concatenated line fails one.
    private static bool WovenIn(ConversationIndex index, string session, int sessionStart, List<EntryHandle> lines)
    {
        if (lines[0].Line.Number > sessionStart)
        {
            return false;
        }

        var later = 0;
        foreach (var e in lines)
        {
            if (e.Line.Number > sessionStart)
            {
                later++;
                if (e.TypeName is not ("progress" or "system"))
                {
                    return false;
                }
            }
        }

        if (later == 0)
        {
            return false;
        }

        // A parent id names the first copy of its uuid, so "names one of these lines" is "its parent is the first copy
        // of one of their uuids".
        var firstCopies = new HashSet<EntryHandle>();
        foreach (var e in lines)
        {
            if (index.FirstCopyOf(e) is { IsNone: false } first)
            {
                firstCopies.Add(first);
            }
        }

        for (var i = 0; i < index.Count; i++)
        {
            var entry = index[i];
            if (entry.SessionId == session && firstCopies.Contains(index.ParentOf(entry)))
            {
                return true;
            }
        }

        return false;
    }
}
