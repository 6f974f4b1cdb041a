namespace TranscriptLint.Engine.Reading;

/// <summary>
/// Passes reads through and says how far into the file they have come, every <see cref="Step"/> bytes and at the end:
/// a lint of one large file can then show where it is instead of nothing for a minute. Positions only grow (the
/// classifier's sample, read before the file is read from its start again, is not reported twice).
/// </summary>
internal sealed class ReadProgressStream(Stream inner, Action<long> readUpTo) : NonClosingStream(inner)
{
    /// <summary>How many bytes pass between two reports.</summary>
    public const long Step = 4 * 1024 * 1024;

    private long _reported;

    public override int Read(byte[] buffer, int offset, int count) => Reported(base.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Reported(base.Read(buffer));

    private int Reported(int read)
    {
        var position = Position;
        if (position - _reported >= Step || (read == 0 && position > _reported))
        {
            _reported = position;
            readUpTo(position);
        }

        return read;
    }
}
