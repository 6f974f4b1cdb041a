using System.Text;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// A write-only stream that decodes the UTF-8 written to it onto a <see cref="TextWriter"/> (standard output, or the
/// <c>--output</c> file's writer), a buffer at a time: a JSON or SARIF report is written as it is made, never held
/// whole as bytes and again as a string. A character split between two writes is completed by the next one.
/// </summary>
internal sealed class Utf8ToTextWriter(TextWriter output) : Stream
{
    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly Decoder _decoder = Utf8.GetDecoder();
    private char[] _chars = new char[4096];

    /// <summary>
    /// Hands what <paramref name="writer"/> holds to its stream once it holds 64 KiB: a report of many findings goes out
    /// as it is made, never held as one buffer.
    /// </summary>
    /// <param name="writer">A JSON writer over this stream.</param>
    public static void FlushWhenFull(System.Text.Json.Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (writer.BytesPending >= 1 << 16)
        {
            writer.Flush();
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // The encoding's bound (a character a byte, and one more for a character the last write split), not a count:
        // counting first decoded every byte twice.
        var needed = Utf8.GetMaxCharCount(buffer.Length);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var written = _decoder.GetChars(buffer, _chars, flush: false);
        output.Write(_chars, 0, written);
    }

    public override void Flush() => output.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
