using TranscriptLint.Engine.Fixing;
using TranscriptLint.Sarif;

namespace TranscriptLint.Cli.Commands;

/// <summary>Feeds <c>fix --from-sarif</c> with the fixes and artifact hashes of a SARIF log we wrote.</summary>
/// <param name="sourceRoot">The folder <c>%SRCROOT%</c> stands for (<c>--source-root</c>); null: the git root, else the current directory.</param>
public sealed class SarifRecordedFindingsReader(string? sourceRoot = null) : IRecordedFindingsReader
{
    public IReadOnlyList<RecordedFindings> Read(string reportPath)
    {
        var files = SarifReader.ReadFile(reportPath, sourceRoot);
        var recorded = new List<RecordedFindings>();
        foreach (var file in files)
        {
            if (file.LocalPath is null)
            {
                throw new SarifReadException($"{file.Uri} cannot be resolved to a local file (is --source-root set?)");
            }

            if (file.Sha256 is null)
            {
                throw new SarifReadException($"{file.Uri} has no sha-256 in the log's artifacts, so it cannot be checked before fixing");
            }

            var fixes = file.Findings.SelectMany(f => f.Fixes.Select(fix => new RecordedFix(f.RuleId, fix))).ToList();
            recorded.Add(new RecordedFindings(file.LocalPath, file.Sha256, fixes));
        }

        return recorded;
    }
}
