using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Graph;

/// <summary>TL2002: following <c>parentUuid</c> loops back to an entry already visited.</summary>
public sealed class TL2002ParentCycleRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.ParentCycle,
        "parent-cycle",
        "Parent links form a cycle",
        "Following parentUuid from this entry loops back to it through {0} entries (lines {1}); the chain has no root",
        RuleCategories.Graph,
        Severity.Error,
        "The parentUuid links of a session form a tree: walking up from any entry reaches a root. A hand edit, a bad merge or a repair tool that re-parented an entry onto one of its own descendants makes a loop; a resume walking up from the leaf stops at an arbitrary entry and loses the start of the conversation. Reported once per cycle, at its first line in the file. There is no automatic fix: where the cycle should be cut is not knowable.",
        FixAvailability.None,
        [],
        ["graph"]);

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(Check);

    private static void Check(IndexContext ctx)
    {
        var index = ctx.Index;
        if (!index.HasParentGraph)
        {
            return;
        }

        // By position: 0 = unvisited, 1 = on the current walk, 2 = done.
        var state = new byte[index.Count];
        var walk = new List<EntryHandle>(); // one list for every walk: most are a single entry
        for (var i = 0; i < state.Length; i++)
        {
            var start = index[i];

            // An entry without a uuid can start a walk: nothing points back to it, so it is never found in a loop.
            if (state[i] != 0 || !index.IsCanonical(start))
            {
                continue;
            }

            walk.Clear();
            var current = start;
            while (!current.IsNone && state[current.Position] == 0)
            {
                state[current.Position] = 1;
                walk.Add(current);
                current = index.ParentOf(current);
            }

            if (!current.IsNone && state[current.Position] == 1)
            {
                var cycle = walk.Skip(walk.IndexOf(current)).OrderBy(e => e.Line.Number).ToList();
                var at = cycle[0];
                var lines = string.Join(", ", cycle.Select(e => ChainEdits.N(e.Line.Number)));
                ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(at, "/parentUuid"), null, cycle.Count, lines));
            }

            foreach (var e in walk)
            {
                state[e.Position] = 2;
            }
        }
    }
}
