using TranscriptLint.Cli;

namespace TranscriptLint.Tests;

/// <summary>The benchmark command measures the floor, lint, parallel files and fix in one run (numbers only, never asserted).</summary>
public sealed class BenchmarkCommandTests
{
    [Fact]
    public void Reports_each_measurement_beside_the_floor()
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };

        var exit = CliApp.Run(["benchmark", "--files", "2", "--lines", "60", "--huge-line-mb", "0"], stdout, stderr);

        exit.ShouldBe(0, stderr.ToString());
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Select(l => l.Split(':')[0].Trim()).ShouldBe(["corpus", "floor", "lint", "memory", "files", "fix"]);
        lines.Single(l => l.StartsWith("lint:", StringComparison.Ordinal)).ShouldContain("of the floor");
        lines.Single(l => l.StartsWith("fix:", StringComparison.Ordinal)).ShouldContain("changed: True", customMessage: "the torn last line is repaired");
    }
}
