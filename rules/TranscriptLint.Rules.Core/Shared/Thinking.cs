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

    /// <summary>
    /// <see cref="IsRedactionMarker(ReadOnlySpan{char})"/> of a JSON string value. A value written as plain ASCII with no
    /// escape (a signature always is) is judged on its bytes, which are then its characters, lower-cased into a pooled
    /// buffer instead of decoded: signatures are kilobytes, one per thinking block. Lower-casing only A-Z leaves every other
    /// byte as it is, so the search finds "REDACTED" in any case, as the ordinal case-insensitive search of the characters
    /// does (no other ASCII character folds to one of its letters).
    /// </summary>
    public static bool IsRedactionMarker(JsonElement value)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
        raw = raw.Length >= 2 ? raw[1..^1] : raw;
        if (raw.Contains((byte)'\\') || !System.Text.Ascii.IsValid(raw))
        {
            return JsonValues.Test(value, IsRedactionMarker);
        }

        if (!raw.IsEmpty && raw[0] is (byte)'[' or (byte)'<')
        {
            return true;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var lower = buffer.AsSpan(0, raw.Length);
            System.Text.Ascii.ToLower(raw, lower, out _);
            return lower.IndexOf("redacted"u8) >= 0;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Vectorised: with invariant globalization, string.Contains(…, OrdinalIgnoreCase) compares one character at a time,
    // and this runs over every thinking text.
    private static readonly System.Buffers.SearchValues<string> Redacted = System.Buffers.SearchValues.Create(["REDACTED"], StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads each line's <c>version</c> (the Claude Code build that wrote it). Every line of a session names one of a few
    /// versions, so the last string read is handed out again while the bytes match, not a new one for each line.
    /// </summary>
    public sealed class VersionReader
    {
        private string? _last;
        private byte[] _lastUtf8 = [];

        /// <summary>The line's <c>version</c>, or null.</summary>
        public string? Read(JsonElement line)
        {
            if (JsonValues.String(line, "version"u8) is not { } value)
            {
                return null;
            }

            if (_last is null || !value.ValueEquals(_lastUtf8))
            {
                _last = value.GetString()!;
                _lastUtf8 = System.Text.Encoding.UTF8.GetBytes(_last);
            }

            return _last;
        }
    }

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
