using System.Text;
using TranscriptLint.Cli.Output;

namespace TranscriptLint.Tests;

/// <summary>The stream the JSON and SARIF reports are written through onto standard output or a file's writer.</summary>
public sealed class Utf8ToTextWriterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Text_written_as_utf8_in_any_pieces_reads_back_as_the_same_characters(int piece)
    {
        // One-, two-, three- and four-byte characters, so pieces split every kind of sequence.
        var text = string.Concat(Enumerable.Repeat("a é € 𝄞 \"json\"\n", 500));
        var bytes = Encoding.UTF8.GetBytes(text);
        var output = new StringWriter();

        using (var stream = new Utf8ToTextWriter(output))
        {
            for (var at = 0; at < bytes.Length; at += piece)
            {
                stream.Write(bytes, at, Math.Min(piece, bytes.Length - at));
            }

            stream.Flush();
        }

        output.ToString().ShouldBe(text);
    }
}
