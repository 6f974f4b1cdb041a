using System.Diagnostics.CodeAnalysis;

namespace TranscriptLint.Engine.Reading;

/// <summary>
/// Lines read again by number (a fix and its neighbours, a line's several findings), kept up to <see cref="Limit"/>
/// bytes and then started over, so the most recent stay. Unbounded, such a cache kept every line with a finding: for a
/// 400 MB session torn at 145,000 lines, 190-260 MB of its SARIF and GitLab reports' peaks.
/// </summary>
internal sealed class LineBytesCache
{
    /// <summary>The bytes kept at most.</summary>
    public const long Limit = 16L << 20;

    private readonly Dictionary<int, byte[]> _lines = [];
    private long _bytes;

    /// <summary>The line's bytes, when they are kept.</summary>
    /// <param name="line">The 1-based line number.</param>
    /// <param name="bytes">Its bytes.</param>
    /// <returns>Whether they were kept.</returns>
    public bool TryGet(int line, [MaybeNullWhen(false)] out byte[] bytes) => _lines.TryGetValue(line, out bytes);

    /// <summary>Keeps a line's bytes, first forgetting every line kept when they would pass the limit.</summary>
    /// <param name="line">The 1-based line number.</param>
    /// <param name="bytes">Its bytes.</param>
    /// <returns><paramref name="bytes"/>.</returns>
    public byte[] Add(int line, byte[] bytes)
    {
        if (_bytes + bytes.Length > Limit)
        {
            _lines.Clear();
            _bytes = 0;
        }

        _lines[line] = bytes;
        _bytes += bytes.Length;
        return bytes;
    }
}
