using System.Globalization;
using System.Text.Json;

namespace TranscriptLint.Rules.Core;

/// <summary>Facts about thinking blocks and the Claude Code versions that wrote them (TL4005, TL4010).</summary>
internal static class Thinking
{
    /// <summary>
    /// Whether a signature (or a thinking text) is a publisher's redaction marker (<c>[REDACTED_SIGNATURE]</c>):
    /// a sanitised copy of a session, not damage a harness did.
    /// </summary>
    public static bool IsRedactionMarker(string value) => IsRedactionMarker(value.AsSpan());

    /// <inheritdoc cref="IsRedactionMarker(string)"/>
    public static bool IsRedactionMarker(ReadOnlySpan<char> value) =>
        value.StartsWith('[') || value.StartsWith('<') || value.IndexOfAny(Redacted) >= 0;

    // Vectorised: with invariant globalization, string.Contains(…, OrdinalIgnoreCase) compares one character at a time,
    // and this runs over every thinking text.
    private static readonly System.Buffers.SearchValues<string> Redacted = System.Buffers.SearchValues.Create(["REDACTED"], StringComparison.OrdinalIgnoreCase);

    /// <summary>The line's <c>version</c> (the Claude Code build that wrote it), or null.</summary>
    public static string? VersionOf(JsonElement line) => JsonValues.Text(line, "version"u8);

    /// <summary>Parses <c>2.1.154</c> (a pre-release suffix ignored); null when it is not a dotted version.</summary>
    public static Version? Parse(string? version)
    {
        if (version is null)
        {
            return null;
        }

        var core = version.Split('-', '+')[0];
        var parts = core.Split('.');
        if (parts.Length != 3 || !parts.All(p => p.Length > 0 && p.Length < 9 && p.All(char.IsAsciiDigit)))
        {
            return null;
        }

        return new Version(
            int.Parse(parts[0], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>Whether <paramref name="version"/> lies in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static bool InRange(string? version, Version from, Version to) =>
        Parse(version) is { } v && v >= from && v <= to;
}
