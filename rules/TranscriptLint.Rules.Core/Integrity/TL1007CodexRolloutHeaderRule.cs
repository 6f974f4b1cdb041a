using System.Text.Json;
using System.Text.RegularExpressions;
using TranscriptLint.Model;

namespace TranscriptLint.Rules.Core.Integrity;

/// <summary>
/// TL1007: a Codex rollout that Codex cannot resume or list because of its header: the first line is not
/// <c>session_meta</c>, the session_meta has no usable id or cwd, or its id is not the uuid of the file name
/// (failure-modes-2026 F5).
/// </summary>
public sealed partial class TL1007CodexRolloutHeaderRule : TranscriptRule
{
    public static readonly RuleDescriptor Descriptor = Describe.Rule(
        RuleIdentifiers.CodexRolloutHeader,
        "codex-rollout-header",
        "Codex rollout header is missing or does not match the file",
        "{0}; {1}",
        RuleCategories.Integrity,
        Severity.Error,
        "Codex finds a session by the uuid in its file name (rollout-<timestamp>-<uuid>.jsonl) and reads the thread id from the rollout's session_meta line, which it writes first. A rollout without a session_meta, whose session_meta has no uuid id or no cwd (Codex cannot decode it then), or whose id is not the uuid of its file name (a copied or renamed file, a third-party exporter) cannot be resumed: \"failed to parse thread ID from rollout file\", \"no rollout found for thread id\". A first line that is not session_meta keeps the session out of the resume picker, which reads only the head of each file. There is no automatic fix: the id a session should have is for the user to decide. Stale or missing state-database rows are out of scope (they are not in the file).",
        FixAvailability.None,
        [
            "failed to parse thread ID from rollout file",
            "no rollout found for thread id {id}",
        ],
        ["resume", "codex"]);

    // Codex's own shape (RolloutFileName): rollout-YYYY-MM-DDThh-mm-ss-<uuid>.jsonl.
    [GeneratedRegex(@"^rollout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-(?<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.jsonl$", RegexOptions.CultureInvariant)]
    private static partial Regex RolloutName();

    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    private sealed class State
    {
        public bool IsRollout;
        public Entry? First;
        public string? FirstType;
        public Entry? Meta;
        public string? MetaId;
        public bool MetaHasCwd;
    }

    public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
    {
        var state = new State();
        start.RegisterEntryAction(e =>
        {
            // The rollout envelope: {"timestamp":…,"type":…,"payload":{…}} on every line.
            var json = e.Json;
            if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("payload"u8, out var payload) || payload.ValueKind != JsonValueKind.Object
                || JsonValues.Text(json, "type"u8) is not { } type)
            {
                return;
            }

            state.IsRollout |= type is "session_meta" or "response_item" or "event_msg" or "turn_context" or "compacted";
            if (state.First is null)
            {
                state.First = e.Entry;
                state.FirstType = type;
            }

            if (type == "session_meta" && state.Meta is null)
            {
                state.Meta = e.Entry;
                state.MetaId = JsonValues.Text(payload, "id"u8);
                state.MetaHasCwd = JsonValues.Text(payload, "cwd"u8) is not null;
            }
        });
        start.RegisterTranscriptEndAction(ctx => Check(ctx, state));
    });

    private static void Check(TranscriptEndContext ctx, State state)
    {
        if (!state.IsRollout || state.First is not { } first)
        {
            return;
        }

        const string Unresumable = "Codex cannot resume it (\"failed to parse thread ID from rollout file\")";
        if (state.Meta is not { } meta)
        {
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(first), null, "The rollout has no session_meta line", Unresumable));
            return;
        }

        if (!ReferenceEquals(meta, first))
        {
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(first), null,
                $"The rollout's first line is {state.FirstType}, not session_meta (found on line {ChainEdits.N(meta.Line.Number)})",
                "Codex writes session_meta first and its resume picker, which reads only the head of each file, leaves the session out"));
        }

        if (state.MetaId is not { } id || !Guid.TryParse(id, out var metaGuid))
        {
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(meta, "/payload/id"), null,
                state.MetaId is null ? "The session_meta has no payload.id" : $"The session_meta id '{state.MetaId}' is not a uuid", Unresumable));
            return;
        }

        if (!state.MetaHasCwd)
        {
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(meta, "/payload"), null, "The session_meta has no payload.cwd", "Codex cannot decode it, so " + Unresumable.Replace("Codex cannot", "it cannot", StringComparison.Ordinal)));
        }

        if (RolloutName().Match(ctx.Transcript.FileName) is { Success: true } name && Guid.TryParse(name.Groups["id"].Value, out var fileGuid) && fileGuid != metaGuid)
        {
            ctx.Report(Diagnostic.Create(Descriptor, ctx.LocationOf(meta, "/payload/id"), null,
                $"The session_meta id {id} is not the uuid of the file name ({name.Groups["id"].Value})",
                "Codex finds the file by its name but loads another thread id (\"no rollout found for thread id\")"));
        }
    }
}
