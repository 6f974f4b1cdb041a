using TranscriptLint.Cli.Output;

namespace TranscriptLint.Tests;

/// <summary>Standard output's report, held until every report of the run is made.</summary>
public sealed class SpilledTextTests
{
    [Theory]
    [InlineData(1_000, false)]
    [InlineData(100_000, true)]
    public void Text_held_in_memory_or_in_a_temp_file_is_written_back_the_same(int lines, bool spills)
    {
        var expected = new StringWriter { NewLine = "\n" };
        var tempsBefore = Temps();
        string copied;
        using (var text = new SpilledText(limit: 1 << 20))
        {
            for (var i = 0; i < lines; i++)
            {
                foreach (var writer in new TextWriter[] { text, expected })
                {
                    writer.Write('{');
                    writer.Write($"\"line\": {i}, \"text\": \"é € 𝄞\"");
                    writer.Write("}".AsSpan());
                    writer.WriteLine();
                }
            }

            text.Spilled.ShouldBe(spills);
            var output = new StringWriter();
            text.CopyTo(output);
            copied = output.ToString();
            if (spills)
            {
                Temps().Length.ShouldBe(tempsBefore.Length + 1);
            }
        }

        copied.ShouldBe(expected.ToString());
        Temps().ShouldBe(tempsBefore, "the temp file is gone once the report is written");
    }

    private static string[] Temps() => [.. Directory.EnumerateFiles(Path.GetTempPath(), "transcriptlint-report-*.tmp").Order(StringComparer.Ordinal)];
}
