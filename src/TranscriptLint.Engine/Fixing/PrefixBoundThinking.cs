using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// Decision 0001 (docs/decisions/0001-fixes-before-signed-thinking.md): on models that bind a thinking block's
/// signature to the conversation before it (Claude Fable 5.1 and later), a fix that changes message <c>k</c> of the
/// resume chain invalidates every signed thinking block after <c>k</c>, and the next request fails with a 400. So a
/// fix that would do that also removes those blocks (the provider's documented remedy: remove the thinking in the
/// kept turns), becomes Unsafe and says so in its title. Applied by the host to every rule's fixes, plugins too.
/// </summary>
internal static class PrefixBoundThinking
{
    /// <summary>Returns the findings with their fixes extended where a fix edits the chain before bound thinking.</summary>
    public static List<Diagnostic> Apply(ConversationIndex index, List<Diagnostic> diagnostics)
    {
        if (index.MessageCount == 0 || !diagnostics.Any(d => d.Fixes.Count > 0))
        {
            return diagnostics;
        }

        var bound = BoundThinkingByMessage(index);
        if (bound.Count == 0)
        {
            return diagnostics;
        }

        var messageOfLine = new Dictionary<int, int>();
        for (var m = 0; m < index.MessageCount; m++)
        {
            var message = index.MessageAt(m);
            for (var e = 0; e < message.EntryCount; e++)
            {
                messageOfLine.TryAdd(message.EntryAt(e).Line.Number, m);
            }
        }

        var result = new List<Diagnostic>(diagnostics.Count);
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Fixes.Count == 0)
            {
                result.Add(diagnostic);
                continue;
            }

            var fixes = diagnostic.Fixes.Select(f => Extend(index, f, bound, messageOfLine)).ToList();
            result.Add(fixes.SequenceEqual(diagnostic.Fixes) ? diagnostic : diagnostic.WithFixes(fixes));
        }

        return result;
    }

    /// <summary>
    /// Whether a model binds thinking signatures to their prefix: Claude Fable and Mythos from 5.1, Opus, Sonnet
    /// and Haiku from 5.5 (the models the provider's prefix-check page lists), any Claude family from 6.
    /// </summary>
    public static bool BindsPrefix(string? model)
    {
        if (model is null || !model.StartsWith("claude-", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var parts = model["claude-".Length..].ToLowerInvariant().Split('-');
        if (parts[0].All(char.IsAsciiDigit))
        {
            return false; // claude-3-7-sonnet: the naming of models long before prefix binding
        }

        var numbers = parts.Skip(1).TakeWhile(p => p.Length is > 0 and < 4 && p.All(char.IsAsciiDigit)).Select(int.Parse).ToList();
        if (numbers.Count == 0)
        {
            return false;
        }

        var version = (numbers[0] * 100) + (numbers.Count > 1 ? numbers[1] : 0);
        return parts[0] switch
        {
            "fable" or "mythos" => version >= 501,
            _ => version >= 505 || numbers[0] >= 6,
        };
    }

    private static Fix Extend(ConversationIndex index, Fix fix, SortedDictionary<int, List<BlockHandle>> bound, Dictionary<int, int> messageOfLine)
    {
        var first = int.MaxValue;
        foreach (var edit in fix.Edits)
        {
            if (ChangesWhatIsSent(edit) && messageOfLine.TryGetValue(edit.Target.Line, out var k))
            {
                first = Math.Min(first, k);
            }
        }

        var invalidated = bound.Where(p => p.Key > first).SelectMany(p => p.Value).ToList();
        if (invalidated.Count == 0)
        {
            return fix;
        }

        var touched = fix.Edits.Select(e => e.Target.Line).ToHashSet();
        var extra = ChainSplice.RemoveBlocks(index, invalidated.Where(b => !touched.Contains(b.Entry.Line.Number)));
        if (extra.Count == 0 || extra.Any(e => touched.Contains(e.Target.Line)))
        {
            // The fix already edits those lines (or their children): extending it could contradict its own edits, so
            // it is only marked; the user reviews it.
            return new Fix($"{fix.Title} (invalidates the signed thinking after it on {invalidated[0].Entry.Model})", Applicability.Unsafe, fix.Edits);
        }

        return new Fix(
            $"{fix.Title}, and remove the {invalidated.Count} signed thinking block(s) after it that the change invalidates on {invalidated[0].Entry.Model}",
            Applicability.Unsafe,
            [.. fix.Edits, .. extra]);
    }

    // What a resume sends: the message of a line (Claude Code: /message), its place in the chain, inserted messages.
    // A title line appended at the end (TL7002) and a harness-only field (TL6005, /toolUseResult) are not sent.
    private static bool ChangesWhatIsSent(FixEdit edit) => edit switch
    {
        InsertEntryAfter { Entry: RawJsonEntry } => false,
        ReplaceValue r => !r.JsonPointer.StartsWith("/toolUseResult", StringComparison.Ordinal),
        _ => true,
    };

    // Chain message index -> its signed thinking blocks written by a model that binds them to their prefix.
    private static SortedDictionary<int, List<BlockHandle>> BoundThinkingByMessage(ConversationIndex index)
    {
        var bound = new SortedDictionary<int, List<BlockHandle>>();
        Dictionary<string, bool>? bindsByModel = null; // a file names a handful of models: each is parsed once
        for (var m = 0; m < index.MessageCount; m++)
        {
            var message = index.MessageAt(m);
            if (message.Role != MessageRole.Assistant)
            {
                continue;
            }

            List<BlockHandle>? blocks = null; // made at the first bound block: most messages have none
            for (var i = 0; i < message.CanonicalBlockCount; i++)
            {
                var b = message.CanonicalBlockAt(i);
                if (b.Kind is BlockKind.Thinking or BlockKind.RedactedThinking && b.Entry.Model is { } model && Binds(model))
                {
                    (blocks ??= []).Add(b);
                }
            }

            if (blocks is not null)
            {
                bound[m] = blocks;
            }
        }

        return bound;

        bool Binds(string model)
        {
            bindsByModel ??= new(StringComparer.Ordinal);
            if (!bindsByModel.TryGetValue(model, out var binds))
            {
                bindsByModel[model] = binds = BindsPrefix(model);
            }

            return binds;
        }
    }
}
