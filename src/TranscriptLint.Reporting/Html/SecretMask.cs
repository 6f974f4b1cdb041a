using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TranscriptLint.Reporting.Html;

/// <summary>
/// Hides the credentials TL5001 found wherever the report would show them: message texts, tool inputs and
/// results, fix before/after. The secrets are recovered from TL5001's own fix (the original string and its
/// redacted form, <c>[REDACTED:family]</c> in place of each secret), so the report masks exactly what the rule found.
/// </summary>
public sealed partial class SecretMask
{
    /// <summary>What a masked secret is shown as.</summary>
    public const string Replacement = "[secret hidden by the report: TL5001]";

    // The shortest text treated as a secret, and the shortest prefix of one masked at the end of a cut text.
    private const int MinSecret = 4;

    private readonly List<string> _needles;

    private SecretMask(IEnumerable<string> secrets)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in secrets.Where(s => s.Length >= MinSecret))
        {
            forms.Add(s);

            // As written inside a JSON string (fix before/after show raw file text), by relaxed and strict writers.
            forms.Add(JsonSerializer.Serialize(s, RelaxedJson)[1..^1]);
            forms.Add(JsonSerializer.Serialize(s)[1..^1]);
        }

        _needles = [.. forms.OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal)];
    }

    /// <summary>A mask that hides nothing (<c>--show-secrets</c>, or no TL5001 finding).</summary>
    public static SecretMask None { get; } = new([]);

    /// <summary>Whether the mask hides anything.</summary>
    public bool IsEmpty => _needles.Count == 0;

    private static JsonSerializerOptions RelaxedJson { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A mask for secrets given as they are.</summary>
    /// <param name="secrets">The secret texts.</param>
    /// <returns>The mask.</returns>
    public static SecretMask Of(IEnumerable<string> secrets) => new(secrets);

    /// <summary>
    /// A mask from TL5001's findings: each original string (read from the transcript at the fix's pointer) paired
    /// with the redacted value the fix writes there; the parts the redaction replaced are the secrets.
    /// </summary>
    /// <param name="originalsAndRedacted">Pairs of the original string and its redacted form.</param>
    /// <returns>The mask.</returns>
    public static SecretMask FromRedactions(IEnumerable<(string Original, string Redacted)> originalsAndRedacted) =>
        new(originalsAndRedacted.SelectMany(p => SecretsIn(p.Original, p.Redacted)));

    /// <summary>The parts of <paramref name="original"/> that <paramref name="redacted"/> replaced by markers.</summary>
    /// <param name="original">The string as recorded.</param>
    /// <param name="redacted">The same string with <c>[REDACTED:…]</c> markers.</param>
    /// <returns>The secrets; the whole original when the two cannot be aligned.</returns>
    public static IReadOnlyList<string> SecretsIn(string original, string redacted)
    {
        var literals = Marker().Split(redacted);
        if (literals.Length < 2)
        {
            return original == redacted ? [] : [original];
        }

        // original = L0 S1 L1 S2 … Sn Ln: L0 is a prefix and Ln a suffix; the literals between are found left to right.
        var first = literals[0];
        var last = literals[^1];
        if (!original.StartsWith(first, StringComparison.Ordinal) || !original.EndsWith(last, StringComparison.Ordinal) || first.Length + last.Length > original.Length)
        {
            return [original];
        }

        var secrets = new List<string>();
        var at = first.Length;
        var end = original.Length - last.Length;
        for (var k = 1; k < literals.Length - 1; k++)
        {
            var literal = literals[k];
            var found = literal.Length == 0 ? -1 : original.IndexOf(literal, at + 1, StringComparison.Ordinal);
            if (found < 0 || found + literal.Length > end)
            {
                return [original[at..end]]; // cannot split further: hide the rest of the span as one
            }

            secrets.Add(original[at..found]);
            at = found + literal.Length;
        }

        secrets.Add(original[at..end]);
        return secrets;
    }

    /// <summary>The text with every secret replaced by <see cref="Replacement"/>.</summary>
    /// <param name="text">A text from the transcript.</param>
    /// <param name="cut">Whether the text was cut short: a secret's beginning at its end is hidden too.</param>
    /// <returns>The masked text.</returns>
    public string Apply(string text, bool cut = false)
    {
        if (_needles.Count == 0 || text.Length == 0)
        {
            return text;
        }

        foreach (var needle in _needles)
        {
            if (text.Contains(needle, StringComparison.Ordinal))
            {
                text = text.Replace(needle, Replacement, StringComparison.Ordinal);
            }
        }

        if (cut)
        {
            foreach (var needle in _needles)
            {
                for (var n = Math.Min(needle.Length - 1, text.Length); n >= MinSecret; n--)
                {
                    if (text.AsSpan(text.Length - n).SequenceEqual(needle.AsSpan(0, n)))
                    {
                        return text[..^n] + Replacement;
                    }
                }
            }
        }

        return text;
    }

    [GeneratedRegex(@"\[REDACTED:[^\]]*\]")]
    private static partial Regex Marker();
}
