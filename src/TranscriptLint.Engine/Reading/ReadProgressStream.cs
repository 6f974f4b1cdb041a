namespace TranscriptLint.Engine.Reading;

/// <summary>
/// Passes reads through and says how far into the file they have come, every <see cref="Step"/> bytes: a lint of one
/// large file can then show where it is instead of nothing for a minute. Positions only grow (the classifier's sample
/// read before the file is read from its start again is not reported twice).
/// </summary>
internal sealed class ReadProgressStream(Stream inner, Action<long> readUpTo) : Stream
{
    /// <summary>How many bytes pass between two reports.</summary>
    public const long Step = 4 * 1024 * 1024;

    private long _reported;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => inner.Position = value; }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Reported(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Reported(inner.Read(buffer));

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Reported(int read)
    {
        var position = inner.Position;
        if (position - _reported >= Step || (read == 0 && position > _reported))
        {
            _reported = position;
            readUpTo(position);
        }

        return read;
    }
}
