using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TranscriptLint.Engine.Explain;

/// <summary>A rule whose prevented error matches the pasted text.</summary>
/// <param name="Descriptor">The rule id's descriptor.</param>
/// <param name="Pattern">The <see cref="RuleDescriptor.PreventsErrors"/> entry that matched.</param>
/// <param name="Score">How much of the pattern's text matched (longer is more specific).</param>
public sealed record ErrorMatch(RuleDescriptor Descriptor, string Pattern, int Score);

/// <summary>A <c>messages.N[.content.M]</c> position named in the error.</summary>
/// <param name="MessageIndex">The 0-based message index N.</param>
/// <param name="ContentIndex">The 0-based content block index M, when given.</param>
public sealed record ErrorPosition(int MessageIndex, int? ContentIndex)
{
    /// <inheritdoc/>
    public override string ToString() => ContentIndex is { } m
        ? string.Create(CultureInfo.InvariantCulture, $"messages.{MessageIndex}.content.{m}")
        : string.Create(CultureInfo.InvariantCulture, $"messages.{MessageIndex}");
}

/// <summary>What a pasted provider error says: the rules that catch it, the positions and tool ids it names.</summary>
public sealed class ErrorExplanation
{
    /// <summary>Matching rules, best first.</summary>
    public required IReadOnlyList<ErrorMatch> Matches { get; init; }

    /// <summary>The message positions named in the error.</summary>
    public required IReadOnlyList<ErrorPosition> Positions { get; init; }

    /// <summary>Tool call ids named in the error.</summary>
    public required IReadOnlyList<string> ToolIds { get; init; }

    /// <summary>The provider's message text, unwrapped from gateway envelopes.</summary>
    public required string ProviderMessage { get; init; }
}

/// <summary>
/// Matches a pasted provider error against every descriptor's <see cref="RuleDescriptor.PreventsErrors"/>. It
/// tolerates wrapper prefixes (LiteLLM, OpenRouter, Bedrock <c>ValidationException … Bedrock error message:</c>,
/// Vertex JSON nested in a string), missing backticks and quotes, and any <c>messages.N.content.M</c> indices.
/// </summary>
public static partial class ErrorExplainer
{
    // Pattern placeholders ({i}, {id}, …) and elisions split a pattern into literal fragments.
    [GeneratedRegex(@"\{[^}]*\}|…|\.\.\.", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\bmessages?\s*(?:\.\s*\[?|\[)\s*(?<n>\d+)\s*\]?(?:\s*(?:\.content\.|\.content\[|\]\.content\.)\s*(?<m>\d+))?", RegexOptions.CultureInvariant)]
    private static partial Regex Position();

    [GeneratedRegex(@"\b(?:toolu_(?:vrtx_|bdrk_)?[A-Za-z0-9]{8,}|srvtoolu_[A-Za-z0-9]{8,}|call_[A-Za-z0-9_-]{8,}|fc_[A-Za-z0-9]{8,})", RegexOptions.CultureInvariant)]
    private static partial Regex ToolId();

    // Client wordings that stand for provider errors: Claude Code shows its own text instead of the 400
    // (anthropics/claude-code#39316, #40305, #54638).
    private static readonly (string Wording, string[] Means)[] Aliases =
    [
        ("due to tool use concurrency issues", [
            "`tool_use` ids were found without `tool_result` blocks immediately after",
            "unexpected `tool_use_id` found in `tool_result` blocks"]),
    ];

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();

    /// <summary>Explains a pasted error.</summary>
    /// <param name="pasted">The error text as pasted (any wrapper).</param>
    /// <param name="descriptors">The descriptors of every available rule.</param>
    /// <returns>The explanation; <see cref="ErrorExplanation.Matches"/> is empty when no rule catches it.</returns>
    public static ErrorExplanation Explain(string pasted, IEnumerable<RuleDescriptor> descriptors)
    {
        ArgumentNullException.ThrowIfNull(pasted);
        var messages = new List<string>();
        CollectMessages(pasted, messages, 0);
        var unescaped = Unescape(pasted);
        var haystack = Normalize(string.Join(" \n ", messages.Append(unescaped)));
        foreach (var (wording, means) in Aliases)
        {
            if (haystack.Contains(wording, StringComparison.Ordinal))
            {
                haystack += " \n " + Normalize(string.Join(" \n ", means));
            }
        }

        var matches = new List<ErrorMatch>();
        foreach (var d in descriptors.DistinctBy(d => d.Id))
        {
            ErrorMatch? best = null;
            foreach (var pattern in d.PreventsErrors)
            {
                var score = Score(pattern, haystack);
                if (score > 0 && (best is null || score > best.Score))
                {
                    best = new ErrorMatch(d, pattern, score);
                }
            }

            if (best is not null)
            {
                matches.Add(best);
            }
        }

        var positions = Position().Matches(unescaped)
            .Select(m => new ErrorPosition(
                int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture),
                m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : null))
            .Distinct()
            .ToList();
        // "messages.3" next to "messages.3.content.1" says nothing more.
        positions = [.. positions.Where(p => p.ContentIndex is not null || !positions.Any(q => q.MessageIndex == p.MessageIndex && q.ContentIndex is not null))];

        return new ErrorExplanation
        {
            Matches = [.. matches.OrderByDescending(m => m.Score).ThenBy(m => m.Descriptor.Id, StringComparer.Ordinal)],
            Positions = positions,
            ToolIds = [.. ToolId().Matches(unescaped).Select(m => m.Value).Distinct(StringComparer.Ordinal)],
            ProviderMessage = messages.Count > 0 ? messages[^1] : unescaped.Trim(),
        };
    }

    /// <summary>
    /// How well <paramref name="pattern"/> matches: every literal fragment (placeholders removed) found in order
    /// scores its total length; a short paste that is itself part of the pattern scores its own length.
    /// </summary>
    internal static int Score(string pattern, string normalizedHaystack)
    {
        var fragments = Placeholder().Split(Normalize(pattern))
            .Select(f => f.Trim(' ', '.', ':', ',', ';'))
            .Where(f => f.Length >= 6 && f is not ("messages" or "content" or "messages.content"))
            .ToList();
        if (fragments.Count == 0)
        {
            return 0;
        }

        var at = 0;
        var score = 0;
        foreach (var f in fragments)
        {
            var i = normalizedHaystack.IndexOf(f, at, StringComparison.Ordinal);
            if (i < 0)
            {
                score = 0;
                break;
            }

            score += f.Length;
            at = i + f.Length;
        }

        if (score > 0)
        {
            return score;
        }

        // A paste of only part of the message ("tool_use ids were found without tool_result blocks").
        var core = normalizedHaystack.Trim(' ', '.', ':');
        return core.Length >= 24 && core.Length <= 400 && fragments.Any(f => f.Contains(core, StringComparison.Ordinal)) ? core.Length : 0;
    }

    /// <summary>Lower case, no backticks or quotes, JSON escapes undone, whitespace collapsed.</summary>
    internal static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in Unescape(text))
        {
            if (c is '`' or '"' or '\'' or '\\')
            {
                continue;
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return Spaces().Replace(sb.ToString(), " ").Trim();
    }

    private static string Unescape(string text)
    {
        var s = text;
        for (var i = 0; i < 3 && s.Contains('\\', StringComparison.Ordinal); i++)
        {
            s = s.Replace("\\\\", "\\", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal)
                .Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\u0060", "`", StringComparison.Ordinal).Replace("\\u0027", "'", StringComparison.Ordinal);
        }

        return s;
    }

    // Every "message" string inside JSON objects in the text, recursing into JSON nested in strings (Vertex
    // wraps Anthropic's error body as a string; OpenRouter keeps the provider's body in metadata.raw).
    private static void CollectMessages(string text, List<string> messages, int depth)
    {
        if (depth > 4)
        {
            return;
        }

        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf('{', start + 1))
        {
            var end = text.LastIndexOf('}');
            while (end > start)
            {
                try
                {
                    using var doc = JsonDocument.Parse(text.AsMemory(start, end - start + 1));
                    Walk(doc.RootElement, messages, depth);
                    start = end;
                    break;
                }
                catch (JsonException)
                {
                    end = text.LastIndexOf('}', end - 1);
                }
            }

            if (start < 0 || start >= text.Length - 1)
            {
                break;
            }
        }
    }

    private static void Walk(JsonElement e, List<string> messages, int depth)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.String && p.Name is "message" or "raw" or "msg" or "detail")
                    {
                        var s = p.Value.GetString()!;
                        if (s.Contains('{', StringComparison.Ordinal))
                        {
                            CollectMessages(s, messages, depth + 1);
                        }

                        messages.Add(s);
                    }
                    else
                    {
                        Walk(p.Value, messages, depth);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item, messages, depth);
                }

                break;
        }
    }
}
