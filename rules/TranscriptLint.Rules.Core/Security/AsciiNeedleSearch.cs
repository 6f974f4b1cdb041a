using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TranscriptLint.Rules.Core.Security;

/// <summary>
/// Where any of a few ASCII needles starts in UTF-8 bytes: Teddy, the SIMD prefilter of Hyperscan and Rust's
/// aho-corasick. Each needle's first three bytes set a bucket bit in six 16-entry tables (low and high nibble of each
/// byte); a block of 16, 32 or 64 positions is looked up with byte shuffles, and only positions whose three bytes match a
/// bucket are compared with that bucket's needles.
/// </summary>
/// <remarks>
/// .NET's <see cref="SearchValues{T}"/> of strings does this for UTF-16 text only: TL5001's pre-scan had to widen every
/// byte of every line first, and searched twice the bytes. On the bytes themselves the pre-scan takes two thirds of the
/// time (<c>LineBenchmarks.SecretPrescan</c>: 7.5 to 5.0 ms over 31 MB of real lines, docs/benchmarks.md).
/// </remarks>
internal sealed class AsciiNeedleSearch
{
    private const int Fingerprint = 3; // bytes of each needle the tables hold

    private readonly byte[][] _needles; // an ignore-case needle in lower case

    private readonly bool[] _ignoreCase;

    // Per bucket (at most 8: one bit of a table entry each): its needles' first four bytes (as a little-endian integer,
    // a mask for a needle shorter than four, and the 0x20 bits that fold an ignore-case needle's letters) and index.
    private readonly (uint Head, uint Mask, uint Fold, int Needle)[][] _buckets;

    // Low-nibble and high-nibble tables of the fingerprint's three bytes: entry n has the bits of the buckets holding a
    // needle whose k-th byte has that nibble.
    private readonly Vector128<byte> _lo0, _hi0, _lo1, _hi1, _lo2, _hi2;

    // The first bytes, for machines without vector shuffles.
    private readonly SearchValues<byte> _firstBytes;

    /// <summary>The vector width in bytes this search runs with: 64, 32, 16, or 0 (no vector shuffle on this machine).</summary>
    public int VectorBytes { get; }

    /// <summary>Prepares a search.</summary>
    /// <param name="needles">Printable ASCII (0x20-0x7E), each at least three characters, matched exactly.</param>
    /// <param name="vectorBytes">64, 32, 16 or 0 to choose the path (tests run each this machine has); by default the widest.</param>
    /// <param name="ignoreCase">More needles like those, whose ASCII letters match in either case.</param>
    /// <remarks>Plain loops, no LINQ: LINQ over bytes and ints here made a cold start compile about a hundred generic methods.</remarks>
    public AsciiNeedleSearch(IReadOnlyList<string> needles, int? vectorBytes = null, IReadOnlyList<string>? ignoreCase = null)
    {
        ArgumentNullException.ThrowIfNull(needles);
        ignoreCase ??= [];
        _needles = new byte[needles.Count + ignoreCase.Count][];
        _ignoreCase = new bool[_needles.Length];
        for (var n = 0; n < _needles.Length; n++)
        {
            var needle = n < needles.Count ? needles[n] : ignoreCase[n - needles.Count];

            // A zero byte (the padding of a line's last block) must match no needle, and every needle must fill the fingerprint.
            if (needle.Length < Fingerprint || needle.AsSpan().ContainsAnyExceptInRange(' ', '~'))
            {
                throw new ArgumentException("needles must be printable ASCII of at least three characters", nameof(needles));
            }

            _ignoreCase[n] = n >= needles.Count;
            _needles[n] = System.Text.Encoding.ASCII.GetBytes(_ignoreCase[n] ? needle.ToLowerInvariant() : needle);
        }

        if (_needles.Length == 0)
        {
            throw new ArgumentException("at least one needle is needed", nameof(needles));
        }

        var groups = Buckets(_needles, _ignoreCase);
        _buckets = new (uint, uint, uint, int)[groups.Count][];
        var tables = new byte[2 * Fingerprint * 16];
        var firstBytes = new List<byte>();
        for (var b = 0; b < groups.Count; b++)
        {
            _buckets[b] = new (uint, uint, uint, int)[groups[b].Count];
            for (var i = 0; i < groups[b].Count; i++)
            {
                var n = groups[b][i];
                _buckets[b][i] = Head(_needles[n], _ignoreCase[n], n);
                for (var k = 0; k < Fingerprint; k++)
                {
                    // An ignore-case letter sets the bits of both its cases: 'e' and 'E' share the low nibble.
                    foreach (var c in Cases(_needles[n][k], _ignoreCase[n]))
                    {
                        tables[(2 * k * 16) + (c & 0xF)] |= (byte)(1 << b);
                        tables[(((2 * k) + 1) * 16) + (c >> 4)] |= (byte)(1 << b);
                    }
                }

                foreach (var c in Cases(_needles[n][0], _ignoreCase[n]))
                {
                    if (!firstBytes.Contains(c))
                    {
                        firstBytes.Add(c);
                    }
                }
            }
        }

        (_lo0, _hi0, _lo1, _hi1, _lo2, _hi2) = (Table(tables, 0), Table(tables, 1), Table(tables, 2), Table(tables, 3), Table(tables, 4), Table(tables, 5));
        _firstBytes = SearchValues.Create(firstBytes.ToArray());
        VectorBytes = vectorBytes ?? (Has512 ? 64 : Avx2.IsSupported ? 32 : Vector128.IsHardwareAccelerated ? 16 : 0);
        if (VectorBytes is not (64 or 32 or 16 or 0) || (VectorBytes == 64 && !Has512) || (VectorBytes == 32 && !Avx2.IsSupported) || (VectorBytes == 16 && !Vector128.IsHardwareAccelerated))
        {
            throw new ArgumentOutOfRangeException(nameof(vectorBytes), VectorBytes, "not available on this machine");
        }
    }

    // 512-bit shuffles where the runtime uses 512-bit vectors (it does not where they slow the processor down).
    private static bool Has512 => Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;

    private static Vector128<byte> Table(byte[] tables, int index) => Vector128.Create(tables.AsSpan(index * 16, 16));

    // The bytes a needle's byte matches: itself, and its upper case too for a lower-case letter of an ignore-case needle.
    private static byte[] Cases(byte b, bool ignoreCase) => ignoreCase && b is >= (byte)'a' and <= (byte)'z' ? [b, (byte)(b - 0x20)] : [b];

    /// <summary>Where the first needle starts in <paramref name="text"/>, or -1.</summary>
    /// <param name="text">The bytes to search.</param>
    /// <returns>A byte index, or -1.</returns>
    public int IndexOfAny(ReadOnlySpan<byte> text)
    {
        if (VectorBytes == 0)
        {
            return IndexOfAnyScalar(text);
        }

        var (at, searched) = WholeBlocks(text);
        if (at >= 0 || searched > text.Length - Fingerprint)
        {
            return at;
        }

        // The rest of the line (less than a block and the two bytes a block reads past it) as one block of a zeroed
        // copy: the zeros match no needle, and a needle the line cuts off is cut off in the copy too.
        Span<byte> padded = stackalloc byte[64 + Fingerprint - 1];
        padded.Clear();
        text[searched..].CopyTo(padded);
        var (last, _) = WholeBlocks(padded[..(VectorBytes + Fingerprint - 1)]);
        return last < 0 ? -1 : searched + last;
    }

    // The first needle in the blocks that fit whole (each reads its width and two bytes more), and where they ended.
    private (int At, int Searched) WholeBlocks(ReadOnlySpan<byte> text) => VectorBytes switch
    {
        64 => WholeBlocks512(text),
        32 => WholeBlocks256(text),
        _ => WholeBlocks128(text),
    };

    private (int At, int Searched) WholeBlocks512(ReadOnlySpan<byte> text)
    {
        var (lo0, hi0, lo1, hi1, lo2, hi2) = (Four(_lo0), Four(_hi0), Four(_lo1), Four(_hi1), Four(_lo2), Four(_hi2));
        ref var start = ref MemoryMarshal.GetReference(text);
        var i = 0;
        for (; i <= text.Length - 64 - (Fingerprint - 1); i += 64)
        {
            var m = Candidates512(ref Unsafe.Add(ref start, i), lo0, hi0, lo1, hi1, lo2, hi2);
            if (m != Vector512<byte>.Zero && FirstMatch(text, i, (~Vector512.Equals(m, Vector512<byte>.Zero)).ExtractMostSignificantBits(), ref Unsafe.As<Vector512<byte>, byte>(ref m)) is var at and >= 0)
            {
                return (at, i);
            }
        }

        return (-1, i);
    }

    private (int At, int Searched) WholeBlocks256(ReadOnlySpan<byte> text)
    {
        var (lo0, hi0, lo1, hi1, lo2, hi2) = (Twice(_lo0), Twice(_hi0), Twice(_lo1), Twice(_hi1), Twice(_lo2), Twice(_hi2));
        ref var start = ref MemoryMarshal.GetReference(text);
        var i = 0;
        for (; i <= text.Length - 32 - (Fingerprint - 1); i += 32)
        {
            var m = Candidates256(ref Unsafe.Add(ref start, i), lo0, hi0, lo1, hi1, lo2, hi2);
            if (m != Vector256<byte>.Zero && FirstMatch(text, i, (~Vector256.Equals(m, Vector256<byte>.Zero)).ExtractMostSignificantBits(), ref Unsafe.As<Vector256<byte>, byte>(ref m)) is var at and >= 0)
            {
                return (at, i);
            }
        }

        return (-1, i);
    }

    private (int At, int Searched) WholeBlocks128(ReadOnlySpan<byte> text)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        var i = 0;
        for (; i <= text.Length - 16 - (Fingerprint - 1); i += 16)
        {
            var m = Candidates128(ref Unsafe.Add(ref start, i));
            if (m != Vector128<byte>.Zero && FirstMatch(text, i, (~Vector128.Equals(m, Vector128<byte>.Zero)).ExtractMostSignificantBits(), ref Unsafe.As<Vector128<byte>, byte>(ref m)) is var at and >= 0)
            {
                return (at, i);
            }
        }

        return (-1, i);
    }

    private int IndexOfAnyScalar(ReadOnlySpan<byte> text)
    {
        for (var from = 0; from < text.Length;)
        {
            var i = text[from..].IndexOfAny(_firstBytes);
            if (i < 0)
            {
                return -1;
            }

            if (MatchesAt(text, from + i, 0xFF))
            {
                return from + i;
            }

            from += i + 1;
        }

        return -1;
    }

    // Bucket bits of the positions of one 64-byte block: the needles a position's three bytes may start.
    private static Vector512<byte> Candidates512(ref byte block, Vector512<byte> lo0, Vector512<byte> hi0, Vector512<byte> lo1, Vector512<byte> hi1, Vector512<byte> lo2, Vector512<byte> hi2) =>
        Lookup512(Vector512.LoadUnsafe(ref block), lo0, hi0)
        & Lookup512(Vector512.LoadUnsafe(ref Unsafe.Add(ref block, 1)), lo1, hi1)
        & Lookup512(Vector512.LoadUnsafe(ref Unsafe.Add(ref block, 2)), lo2, hi2);

    // vpshufb looks up within each 16-byte lane, so the tables are the same in all four lanes (Four).
    private static Vector512<byte> Lookup512(Vector512<byte> v, Vector512<byte> lo, Vector512<byte> hi)
    {
        var nibble = Vector512.Create((byte)0xF);
        return Avx512BW.Shuffle(lo, v & nibble) & Avx512BW.Shuffle(hi, Vector512.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble);
    }

    // Bucket bits of the positions of one 32-byte block: the needles a position's three bytes may start.
    private static Vector256<byte> Candidates256(ref byte block, Vector256<byte> lo0, Vector256<byte> hi0, Vector256<byte> lo1, Vector256<byte> hi1, Vector256<byte> lo2, Vector256<byte> hi2) =>
        Lookup256(Vector256.LoadUnsafe(ref block), lo0, hi0)
        & Lookup256(Vector256.LoadUnsafe(ref Unsafe.Add(ref block, 1)), lo1, hi1)
        & Lookup256(Vector256.LoadUnsafe(ref Unsafe.Add(ref block, 2)), lo2, hi2);

    // vpshufb looks up within each 16-byte lane, so the tables are the same in both lanes (Twice).
    private static Vector256<byte> Lookup256(Vector256<byte> v, Vector256<byte> lo, Vector256<byte> hi)
    {
        var nibble = Vector256.Create((byte)0xF);
        return Avx2.Shuffle(lo, v & nibble) & Avx2.Shuffle(hi, Vector256.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble);
    }

    private Vector128<byte> Candidates128(ref byte block) =>
        Lookup128(Vector128.LoadUnsafe(ref block), _lo0, _hi0)
        & Lookup128(Vector128.LoadUnsafe(ref Unsafe.Add(ref block, 1)), _lo1, _hi1)
        & Lookup128(Vector128.LoadUnsafe(ref Unsafe.Add(ref block, 2)), _lo2, _hi2);

    private static Vector128<byte> Lookup128(Vector128<byte> v, Vector128<byte> lo, Vector128<byte> hi)
    {
        var nibble = Vector128.Create((byte)0xF);
        return Vector128.ShuffleNative(lo, v & nibble) & Vector128.ShuffleNative(hi, Vector128.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble);
    }

    private static Vector256<byte> Twice(Vector128<byte> table) => Vector256.Create(table, table);

    private static Vector512<byte> Four(Vector128<byte> table) => Vector512.Create(Twice(table), Twice(table));

    // The first candidate position (bit k: position blockStart + k, its buckets at buckets[k]) where a needle starts.
    private int FirstMatch(ReadOnlySpan<byte> text, int blockStart, ulong bits, ref byte buckets)
    {
        while (bits != 0)
        {
            var k = BitOperations.TrailingZeroCount(bits);
            if (MatchesAt(text, blockStart + k, Unsafe.Add(ref buckets, k)))
            {
                return blockStart + k;
            }

            bits &= bits - 1;
        }

        return -1;
    }

    private bool MatchesAt(ReadOnlySpan<byte> text, int at, byte bucketBits)
    {
        var rest = text[at..];
        var head = rest.Length >= 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(rest) : HeadOf(rest); // HeadOf's order on any machine
        for (var b = 0; b < _buckets.Length; b++)
        {
            if ((bucketBits & (1 << b)) == 0)
            {
                continue;
            }

            foreach (var (needleHead, mask, fold, n) in _buckets[b])
            {
                // By the needle's own flag: an ignore-case needle whose first four bytes hold no letter has no fold bits.
                if (((head | fold) & mask) == needleHead
                    && (_ignoreCase[n] ? rest.Length >= _needles[n].Length && System.Text.Ascii.EqualsIgnoreCase(rest[.._needles[n].Length], _needles[n]) : rest.StartsWith(_needles[n])))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static uint HeadOf(ReadOnlySpan<byte> bytes)
    {
        uint head = 0;
        for (var k = 0; k < Math.Min(4, bytes.Length); k++)
        {
            head |= (uint)bytes[k] << (8 * k);
        }

        return head;
    }

    private static (uint Head, uint Mask, uint Fold, int Needle) Head(byte[] needle, bool ignoreCase, int index)
    {
        var length = Math.Min(4, needle.Length);
        uint fold = 0;
        for (var k = 0; ignoreCase && k < length; k++)
        {
            // Setting 0x20 lower-cases an ASCII letter; the needle's own letters are lower case already.
            fold |= needle[k] is >= (byte)'a' and <= (byte)'z' ? 0x20u << (8 * k) : 0;
        }

        return (HeadOf(needle), length == 4 ? uint.MaxValue : (1u << (8 * length)) - 1, fold, index);
    }

    // Needles grouped into at most 8 buckets: first by first byte, then the two groups whose union lets the fewest more
    // three-byte sequences through the nibble tables are merged, until 8 are left. Deterministic (needle order).
    private static List<List<int>> Buckets(byte[][] needles, bool[] ignoreCase)
    {
        var groups = new List<List<int>>();
        for (var n = 0; n < needles.Length; n++)
        {
            var group = groups.Find(g => needles[g[0]][0] == needles[n][0] && ignoreCase[g[0]] == ignoreCase[n]);
            if (group is null)
            {
                groups.Add([n]);
            }
            else
            {
                group.Add(n);
            }
        }

        while (groups.Count > 8)
        {
            var (a, b, cost) = (0, 1, double.MaxValue);
            for (var x = 0; x < groups.Count; x++)
            {
                for (var y = x + 1; y < groups.Count; y++)
                {
                    var added = Passes(groups[x], groups[y]) - Passes(groups[x], []) - Passes(groups[y], []);
                    if (added < cost)
                    {
                        (a, b, cost) = (x, y, added);
                    }
                }
            }

            groups[a].AddRange(groups[b]);
            groups.RemoveAt(b);
        }

        return groups;

        // How many three-byte sequences a bucket of these needles lets through: per byte, its low nibbles times its high ones.
        double Passes(List<int> one, List<int> other)
        {
            var passes = 1.0;
            for (var k = 0; k < Fingerprint; k++)
            {
                int low = 0, high = 0; // one bit per nibble value
                foreach (var n in one)
                {
                    foreach (var c in Cases(needles[n][k], ignoreCase[n]))
                    {
                        (low, high) = (low | (1 << (c & 0xF)), high | (1 << (c >> 4)));
                    }
                }

                foreach (var n in other)
                {
                    foreach (var c in Cases(needles[n][k], ignoreCase[n]))
                    {
                        (low, high) = (low | (1 << (c & 0xF)), high | (1 << (c >> 4)));
                    }
                }

                passes *= BitOperations.PopCount((uint)low) * BitOperations.PopCount((uint)high);
            }

            return passes;
        }
    }
}
