using TranscriptLint.Fuzz;

namespace TranscriptLint.Tests.Fixing;

/// <summary>
/// The inputs the fuzz harness (tests/TranscriptLint.Fuzz, docs/fuzzing.md) found problems with, kept in
/// fixtures/fuzz-regressions/: each must now pass the whole fuzz target (reader, classifier, every fix pass against
/// its declared edits, the fixer).
/// </summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(RepoPaths.Fixtures, "fuzz-regressions")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void A_fuzz_finding_stays_fixed(string name) =>
        Should.NotThrow(() => FuzzTarget.Run(File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "fuzz-regressions", name))));
}
