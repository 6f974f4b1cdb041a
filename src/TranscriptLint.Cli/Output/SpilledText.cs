using System.Text;

namespace TranscriptLint.Cli.Output;

/// <summary>
/// A text report, for standard output or a file, held until every report of the run is made (so a failing reporter
/// writes nothing): in memory while it is small, in a temp file once it passes <see cref="MemoryLimit"/> characters. A
/// run with tens of thousands of findings makes tens of MB of JSON or SARIF, which as one string took several times that.
/// </summary>
internal sealed class SpilledText : TextWriter
{
    /// <summary>Characters kept in memory before the text moves to a temp file (8 MiB of UTF-16).</summary>
    public const int MemoryLimit = 4 << 20;

    private readonly StringBuilder _memory = new();
    private readonly int _limit;
    private FileStream? _file;
    private StreamWriter? _spilled;

    public SpilledText(int limit = MemoryLimit)
    {
        _limit = limit;
        NewLine = "\n";
    }

    public override Encoding Encoding { get; } = new UTF8Encoding(false);

    /// <summary>Whether the text went to a temp file.</summary>
    public bool Spilled => _file is not null;

    public override void Write(char value)
    {
        if (InMemory(1))
        {
            _memory.Append(value);
        }
        else
        {
            _spilled!.Write(value);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (InMemory(buffer.Length))
        {
            _memory.Append(buffer);
        }
        else
        {
            _spilled!.Write(buffer);
        }
    }

    public override void Write(string? value) => Write(value.AsSpan());

    /// <summary>Writes everything held to <paramref name="output"/>, in pieces.</summary>
    /// <param name="output">Where the report goes.</param>
    public void CopyTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_file is null)
        {
            foreach (var chunk in _memory.GetChunks())
            {
                output.Write(chunk.Span);
            }

            return;
        }

        _spilled!.Flush();
        _file.Position = 0;
        using var reader = new StreamReader(_file, Encoding, detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true);
        var buffer = new char[1 << 16];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, read);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _spilled?.Dispose();
            _file?.Dispose(); // deleted on close
        }

        base.Dispose(disposing);
    }

    // Memory while the text is small; past the limit, a temp file that takes what memory held and all that follows.
    private bool InMemory(int adding)
    {
        if (_spilled is not null)
        {
            return false;
        }

        if (_memory.Length + adding <= _limit)
        {
            return true;
        }

        _file = new FileStream(Path.Combine(Path.GetTempPath(), "transcriptlint-report-" + Guid.NewGuid().ToString("N") + ".tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _spilled = new StreamWriter(_file, Encoding, 1 << 16, leaveOpen: true) { NewLine = NewLine };
        foreach (var chunk in _memory.GetChunks())
        {
            _spilled.Write(chunk.Span);
        }

        _memory.Clear();
        return false;
    }
}
