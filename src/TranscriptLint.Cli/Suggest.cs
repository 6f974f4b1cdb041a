using System.CommandLine;

namespace TranscriptLint.Cli;

/// <summary>"Did you mean …?" for misspelt commands, options, option values and rule ids.</summary>
public static class Suggest
{
    /// <summary>The candidate closest to <paramref name="input"/>, if one is close enough to be what was meant.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        // A unique candidate the input begins (--unsafe for --unsafe-fixes) is what was meant.
        var extending = candidates.Where(c => input.TrimStart('-').Length >= 3 && c.StartsWith(input, StringComparison.OrdinalIgnoreCase)).ToList();
        if (extending.Count == 1)
        {
            return extending[0];
        }

        // Several, one the start of all the others (gemini-cli, gemini-cli-jsonl): the family's own name.
        if (extending.Find(c => extending.TrueForAll(o => o.StartsWith(c, StringComparison.OrdinalIgnoreCase))) is { } head)
        {
            return head;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(input.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance || (d == bestDistance && best is not null && string.CompareOrdinal(c, best) < 0))
            {
                (best, bestDistance) = (c, d);
            }
        }

        // Close enough: a third of the word wrong at most (at least 1, at most 3 edits).
        var allowed = Math.Clamp(input.TrimStart('-').Length / 3, 1, 3);
        return best is not null && bestDistance <= allowed ? best : null;
    }

    /// <summary>"; did you mean 'x'?" or nothing.</summary>
    public static string DidYouMean(string? suggestion) => suggestion is null ? "" : $"; did you mean '{suggestion}'?";

    /// <summary>Restricts <paramref name="option"/> to <paramref name="values"/>, suggesting the closest on a typo.</summary>
    public static TOption OneOf<TOption>(TOption option, IReadOnlyList<string> values)
        where TOption : Option
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!values.Contains(token.Value, StringComparer.Ordinal))
                {
                    result.AddError($"{option.Name}: unknown value '{token.Value}'{DidYouMean(Closest(token.Value, values))} (one of: {string.Join(", ", values)})");
                }
            }
        });
        option.CompletionSources.Add(values.ToArray());
        return option;
    }

    /// <summary>Optimal string alignment distance (Levenshtein with adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
