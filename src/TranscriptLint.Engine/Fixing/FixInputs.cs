using TranscriptLint.Fixes;

namespace TranscriptLint.Engine.Fixing;

/// <summary>One fix offered for a file, with the rule that offered it and where the finding came in the report.</summary>
/// <param name="RuleId">The rule id (a tie-breaker of the fix order).</param>
/// <param name="Fix">The fix.</param>
/// <param name="ReportOrder">The position of the finding in its report (the last tie-breaker).</param>
public sealed record FixCandidate(string RuleId, Fix Fix, int ReportOrder);

/// <summary>A fix read back from a recorded report (e.g. a SARIF result's <c>fixes</c>).</summary>
/// <param name="RuleId">The rule id of the result that carried the fix.</param>
/// <param name="Fix">The fix.</param>
public sealed record RecordedFix(string RuleId, Fix Fix);

/// <summary>
/// The fixes a recorded report holds for one transcript, and the SHA-256 of the transcript it was made from.
/// The fixer refuses a transcript whose bytes no longer hash to <paramref name="Sha256"/>.
/// </summary>
/// <param name="Path">The artifact path as recorded (relative paths resolve against the working directory).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the transcript as linted.</param>
/// <param name="Fixes">The fixes, in report order.</param>
public sealed record RecordedFindings(string Path, string Sha256, IReadOnlyList<RecordedFix> Fixes);

/// <summary>Reads recorded findings (with their fixes) from a report file; the SARIF reader implements this.</summary>
public interface IRecordedFindingsReader
{
    /// <summary>Reads every transcript's recorded fixes from <paramref name="reportPath"/>.</summary>
    /// <param name="reportPath">The report file (e.g. a .sarif file).</param>
    /// <returns>One entry per transcript (artifact) in the report.</returns>
    IReadOnlyList<RecordedFindings> Read(string reportPath);
}

/// <summary>How far a fix's lint has read into the file: for a progress line on large files.</summary>
/// <param name="DisplayPath">The file as shown.</param>
/// <param name="Lint">Which lint of this fix (1: the first; later ones check what the passes made).</param>
/// <param name="Read">Bytes read so far.</param>
/// <param name="Length">The content's length.</param>
public readonly record struct FixProgress(string DisplayPath, int Lint, long Read, long Length);

/// <summary>How much the fixer may do.</summary>
public sealed record FixOptions
{
    /// <summary>Also apply Unsafe fixes (never DisplayOnly ones).</summary>
    public bool IncludeUnsafe { get; init; }

    /// <summary>The most lint-and-apply passes (ESLint's limit).</summary>
    public int MaxPasses { get; init; } = 10;

    /// <summary>Told every few MB how far each lint has read (from the lint's reading thread); null: not asked.</summary>
    public Action<FixProgress>? Progress { get; init; }

    /// <summary>Whether a fix of this applicability may be applied.</summary>
    /// <param name="applicability">The fix's applicability.</param>
    /// <returns>True when it may.</returns>
    public bool Allows(Applicability applicability) =>
        applicability == Applicability.Safe || (IncludeUnsafe && applicability == Applicability.Unsafe);
}
