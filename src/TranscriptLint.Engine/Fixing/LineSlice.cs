using System.IO.Hashing;
using System.Text;

namespace TranscriptLint.Engine.Fixing;

/// <summary>
/// One line of a file held in memory, for the diffs of a fix: a slice of the file's bytes, compared byte for byte
/// (after a hash, so most unequal lines differ at once) and decoded only when it is shown. The diffs used to decode
/// every line of both files into strings: about ten times the file in memory for a 100 MB session.
/// </summary>
public readonly struct LineSlice : IEquatable<LineSlice>
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly int _hash;

    /// <summary>Initializes a new instance of the <see cref="LineSlice"/> struct.</summary>
    /// <param name="bytes">The line's bytes (a slice of a file that does not change afterwards).</param>
    public LineSlice(ReadOnlyMemory<byte> bytes)
    {
        _bytes = bytes;
        _hash = unchecked((int)XxHash3.HashToUInt64(bytes.Span));
    }

    /// <summary>Gets the line's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.Span;

    /// <summary>Gets the line decoded (invalid UTF-8 as U+FFFD), made on each read.</summary>
    public string Text => Encoding.UTF8.GetString(_bytes.Span);

    public static bool operator ==(LineSlice left, LineSlice right) => left.Equals(right);

    public static bool operator !=(LineSlice left, LineSlice right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(LineSlice other) => _hash == other._hash && _bytes.Span.SequenceEqual(other._bytes.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LineSlice other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    /// <inheritdoc/>
    public override string ToString() => Text;
}
