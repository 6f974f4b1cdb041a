using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;

namespace TranscriptLint.Engine.Reading;

/// <summary>
/// Parses a line into the same <see cref="JsonDocument"/> as <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/>,
/// about twice as fast on transcript lines, with the same result and the same error for every input.
/// </summary>
/// <remarks>
/// <para>
/// System.Text.Json searches a string with vector instructions up to its first backslash, then reads the rest of it a
/// byte at a time (dotnet/runtime#27848). A tool result has a backslash every 22 bytes or so (<c>\n</c>, <c>\"</c>), so
/// that loop was a quarter of a lint and half of the parse. Here one vector pass over the line (the first stage of
/// simdjson: which backslashes escape, which quotes are not escaped, what lies inside a string by a prefix XOR) checks
/// every string as the reader does (no control character, only the escapes it accepts, four hex digits after
/// <c>\u</c>). The body of each long string with an escape is then overwritten, for the parse only, with <c>x</c>s
/// ending in <c>\n</c>: the same length, still escaped, so the reader crosses it with its vector search and records the
/// same token, the same offsets and the same "needs unescaping" flag. The bytes are put back before the document is
/// returned, so every value read from it is the line's own.
/// </para>
/// <para>
/// A line whose strings the check refuses, or that ends inside a string, or on which the parse fails, is parsed again
/// as it is: a broken line fails with the reader's own message and position. Only for a buffer that is the caller's
/// scratch (the line reader's own, a parse-ahead copy, a run's copy of a line held in memory): nothing else may read
/// it while it is masked.
/// </para>
/// </remarks>
public static class EscapedStringMask
{
    /// <summary>Shorter bodies are left to the reader: masking one costs more than its byte loop would.</summary>
    internal const int MinimumBody = 64;

    /// <summary>At most this many bytes of one line are masked (the rest are parsed as they are), so a huge line costs no huge copy.</summary>
    internal const int MaximumMasked = 8 * 1024 * 1024;

    /// <summary>A line in a buffer the parse may not write (held in memory by the caller) is copied to be masked up to this length.</summary>
    internal const int CopyLimit = 4 * 1024 * 1024;

    private const int PooledLimit = 1024 * 1024;
    private const ulong OddBits = 0xAAAAAAAAAAAAAAAAUL;

    [ThreadStatic]
    private static List<Body>? t_bodies;

    /// <summary>The vector width this machine scans with: 64 or 16 bytes, or 0 (no vector instructions: lines are parsed as they are).</summary>
    internal static int DefaultWidth { get; } = Vector512.IsHardwareAccelerated ? 64 : Vector128.IsHardwareAccelerated ? 16 : 0;

    /// <summary>
    /// Whether a line the parse may not write is worth copying into a buffer it may: it has an escape to mask and is at
    /// most <see cref="CopyLimit"/> long (a longer one is parsed as it is, never held twice).
    /// </summary>
    /// <param name="line">The line.</param>
    /// <returns>Whether to copy it.</returns>
    internal static bool WorthCopying(ReadOnlySpan<byte> line) => line.Length <= CopyLimit && line.IndexOf((byte)'\\') >= 0;

    /// <summary>A string's body: the bytes between its quotes.</summary>
    internal readonly record struct Body(int Start, int Length);

    /// <summary>Parses <paramref name="line"/>, masking its long escaped strings while the reader runs.</summary>
    /// <param name="line">The line; the caller's own scratch, unchanged when this returns or throws.</param>
    /// <param name="options">The parse options (masking only with comments disallowed and duplicate names allowed, the defaults).</param>
    /// <returns>The document, over <paramref name="line"/>.</returns>
    /// <exception cref="JsonException">The line is not valid JSON (thrown by a parse of the unmasked line).</exception>
    public static JsonDocument Parse(Memory<byte> line, JsonDocumentOptions options) => Parse(line, options, DefaultWidth);

    /// <inheritdoc cref="Parse(Memory{byte}, JsonDocumentOptions)"/>
    /// <param name="line">The line; the caller's own scratch, unchanged when this returns or throws.</param>
    /// <param name="options">The parse options.</param>
    /// <param name="width">The vector width: 64, 16, or 0 for none (tests pick each path this machine has).</param>
    internal static JsonDocument Parse(Memory<byte> line, JsonDocumentOptions options, int width)
    {
        var bodies = t_bodies ??= [];
        bodies.Clear();
        var span = line.Span;
        // Comments could hold quotes, and a check for duplicate names would compare masked ones: neither is masked.
        if (options.CommentHandling != JsonCommentHandling.Disallow || !options.AllowDuplicateProperties || span.IndexOf((byte)'\\') < 0
            || !FindBodies(span, bodies, width) || bodies.Count == 0)
        {
            return JsonDocument.Parse(line, options);
        }

        var total = 0;
        foreach (var body in bodies)
        {
            total += body.Length;
        }

        var saved = total <= PooledLimit ? ArrayPool<byte>.Shared.Rent(total) : GC.AllocateUninitializedArray<byte>(total);
        var masked = false;
        try
        {
            // Every body is saved before any is masked: whatever stops the masking, Restore puts back saved bytes only.
            var at = 0;
            foreach (var body in bodies)
            {
                span.Slice(body.Start, body.Length).CopyTo(saved.AsSpan(at));
                at += body.Length;
            }

            masked = true;
            foreach (var body in bodies)
            {
                var bytes = span.Slice(body.Start, body.Length);
                bytes[..^2].Fill((byte)'x');
                bytes[^2] = (byte)'\\';
                bytes[^1] = (byte)'n';
            }

            JsonDocument? document = null;
            try
            {
                document = JsonDocument.Parse(line, options);
            }
            catch (JsonException)
            {
                // Not expected (a masked line is valid exactly when the line is), but the line's own parse decides.
            }

            Restore(span, bodies, saved);
            masked = false;
            return document ?? JsonDocument.Parse(line, options);
        }
        finally
        {
            if (masked)
            {
                Restore(span, bodies, saved);
            }

            if (total <= PooledLimit)
            {
                ArrayPool<byte>.Shared.Return(saved);
            }
        }
    }

    private static void Restore(Span<byte> line, List<Body> bodies, byte[] saved)
    {
        var at = 0;
        foreach (var body in bodies)
        {
            saved.AsSpan(at, body.Length).CopyTo(line.Slice(body.Start, body.Length));
            at += body.Length;
        }
    }

    /// <summary>
    /// The bodies of the line's strings that hold an escape and are at least <see cref="MinimumBody"/> long (up to
    /// <see cref="MaximumMasked"/> bytes in all). False when the line has a string the reader would refuse, a
    /// backslash outside a string, or ends inside a string: it is then parsed as it is.
    /// </summary>
    internal static bool FindBodies(ReadOnlySpan<byte> line, List<Body> bodies, int width)
    {
        if (width == 0)
        {
            return false;
        }

        ulong nextIsEscaped = 0;  // the next block's first byte is escaped by this block's last backslash
        ulong inStringCarry = 0;  // all ones when the next block starts inside a string
        var open = -1;            // the opening quote of the string being read, or -1
        var escapeSinceOpen = false;
        var total = 0;
        Span<byte> tail = stackalloc byte[64];
        for (var p = 0; p < line.Length; p += 64)
        {
            scoped ReadOnlySpan<byte> block;
            if (line.Length - p >= 64)
            {
                block = line.Slice(p, 64);
            }
            else
            {
                tail.Fill((byte)' '); // whitespace: no quote, backslash or control character
                line[p..].CopyTo(tail);
                block = tail;
            }

            var m = width == 64 ? BlockMasks.Of512(block) : BlockMasks.Of128(block);

            // Which bytes a backslash escapes, and which backslashes escape (simdjson's json_escape_scanner): in a run
            // of backslashes they pair up, and an odd one out escapes the byte after the run.
            ulong escaped, escape;
            if (m.Backslash == 0)
            {
                escaped = nextIsEscaped;
                escape = 0;
                nextIsEscaped = 0;
            }
            else
            {
                var potential = m.Backslash & ~nextIsEscaped;
                var code = (((potential << 1) | OddBits) - potential) ^ OddBits;
                escaped = code ^ (m.Backslash | nextIsEscaped);
                escape = code & m.Backslash;
                nextIsEscaped = escape >> 63;
            }

            // Inside a string: from its opening quote up to, not including, its closing one.
            var quotes = m.Quote & ~escaped;
            var inString = PrefixXor(quotes) ^ inStringCarry;
            inStringCarry = (ulong)((long)inString >> 63);
            if ((m.Control & inString) != 0 || (escape & ~inString) != 0)
            {
                return false; // the reader throws here: let it, on the line as it is
            }

            // What an escape may escape is looked at only in a block with escaped bytes.
            if (escaped != 0)
            {
                var (others, u) = width == 64 ? EscapeTargets.Of512(block) : EscapeTargets.Of128(block);
                if ((escaped & ~(m.Backslash | m.Quote | others | u)) != 0)
                {
                    return false;
                }

                for (u &= escaped; u != 0; u &= u - 1)
                {
                    var at = p + BitOperations.TrailingZeroCount(u);
                    if (at + 4 >= line.Length || !IsHex(line[at + 1]) || !IsHex(line[at + 2]) || !IsHex(line[at + 3]) || !IsHex(line[at + 4]))
                    {
                        return false;
                    }
                }
            }

            // No escape in this block, and none in the string still open from before it: no string that ends here is a
            // body, so the quotes need not be walked one by one (keys, ids and short values are most of them); only
            // where the string still open at the block's end began matters.
            if (escape == 0 && (open < 0 || !escapeSinceOpen))
            {
                if (inStringCarry == 0)
                {
                    open = -1;
                }
                else if ((quotes & inString) is var openers and not 0)
                {
                    open = p + 63 - BitOperations.LeadingZeroCount(openers);
                    escapeSinceOpen = false;
                }

                continue;
            }

            var escapesLeft = escape;
            for (var q = quotes; q != 0; q &= q - 1)
            {
                var bit = BitOperations.TrailingZeroCount(q);
                var before = escapesLeft & ((1UL << bit) - 1);
                escapesLeft &= ~((2UL << bit) - 1);
                if (open < 0)
                {
                    open = p + bit;
                    escapeSinceOpen = false;
                    continue;
                }

                var length = p + bit - open - 1;
                if ((escapeSinceOpen || before != 0) && length >= MinimumBody && total + length <= MaximumMasked)
                {
                    bodies.Add(new Body(open + 1, length));
                    total += length;
                }

                open = -1;
            }

            escapeSinceOpen |= open >= 0 && escapesLeft != 0;
        }

        return open < 0;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    // Bit i is the XOR of bits 0..i: set from each opening quote up to its closing one.
    private static ulong PrefixXor(ulong x)
    {
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        return x;
    }

    /// <summary>What a block of 64 bytes holds, a bit per byte.</summary>
    private readonly record struct BlockMasks(ulong Backslash, ulong Quote, ulong Control)
    {
        public static BlockMasks Of512(ReadOnlySpan<byte> block)
        {
            var v = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(block));
            return new BlockMasks(
                Vector512.Equals(v, Vector512.Create((byte)'\\')).ExtractMostSignificantBits(),
                Vector512.Equals(v, Vector512.Create((byte)'"')).ExtractMostSignificantBits(),
                Vector512.LessThan(v, Vector512.Create((byte)0x20)).ExtractMostSignificantBits());
        }

        public static BlockMasks Of128(ReadOnlySpan<byte> block)
        {
            ulong backslash = 0, quote = 0, control = 0;
            for (var i = 0; i < 4; i++)
            {
                var v = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(block), (nuint)(16 * i));
                var shift = 16 * i;
                backslash |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'\\')).ExtractMostSignificantBits() << shift;
                quote |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'"')).ExtractMostSignificantBits() << shift;
                control |= (ulong)Vector128.LessThan(v, Vector128.Create((byte)0x20)).ExtractMostSignificantBits() << shift;
            }

            return new BlockMasks(backslash, quote, control);
        }
    }

    /// <summary>
    /// The bytes of a block an escape may escape besides a backslash and a quote (<see cref="BlockMasks"/> has those):
    /// <c>/ b f n r t</c>, and its <c>u</c>s (<c>\uXXXX</c>).
    /// </summary>
    private static class EscapeTargets
    {
        public static (ulong Others, ulong U) Of512(ReadOnlySpan<byte> block)
        {
            var v = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(block));
            var others = Vector512.Equals(v, Vector512.Create((byte)'/')) | Vector512.Equals(v, Vector512.Create((byte)'b'))
                | Vector512.Equals(v, Vector512.Create((byte)'f')) | Vector512.Equals(v, Vector512.Create((byte)'n'))
                | Vector512.Equals(v, Vector512.Create((byte)'r')) | Vector512.Equals(v, Vector512.Create((byte)'t'));
            return (others.ExtractMostSignificantBits(), Vector512.Equals(v, Vector512.Create((byte)'u')).ExtractMostSignificantBits());
        }

        public static (ulong Others, ulong U) Of128(ReadOnlySpan<byte> block)
        {
            ulong others = 0, u = 0;
            for (var i = 0; i < 4; i++)
            {
                var v = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(block), (nuint)(16 * i));
                var e = Vector128.Equals(v, Vector128.Create((byte)'/')) | Vector128.Equals(v, Vector128.Create((byte)'b'))
                    | Vector128.Equals(v, Vector128.Create((byte)'f')) | Vector128.Equals(v, Vector128.Create((byte)'n'))
                    | Vector128.Equals(v, Vector128.Create((byte)'r')) | Vector128.Equals(v, Vector128.Create((byte)'t'));
                var shift = 16 * i;
                others |= (ulong)e.ExtractMostSignificantBits() << shift;
                u |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'u')).ExtractMostSignificantBits() << shift;
            }

            return (others, u);
        }
    }
}
