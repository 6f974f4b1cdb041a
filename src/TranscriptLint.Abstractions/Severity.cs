namespace TranscriptLint;

/// <summary>How serious a finding is. Ordered: a higher value is more severe.</summary>
public enum Severity
{
    /// <summary>The rule is off: it does not run and reports nothing.</summary>
    None = 0,

    /// <summary>Informational; never fails a build on its own.</summary>
    Note = 1,

    /// <summary>Likely to cause trouble, but the transcript still resumes.</summary>
    Warning = 2,

    /// <summary>The transcript will fail to resume or lose data.</summary>
    Error = 3,
}

/// <summary>Whether a rule can offer fixes, declared up front (as in Ruff).</summary>
public enum FixAvailability
{
    /// <summary>The rule never offers a fix; the host refuses fixes from it.</summary>
    None = 0,

    /// <summary>Some findings carry a fix.</summary>
    Sometimes = 1,

    /// <summary>Every finding carries a fix.</summary>
    Always = 2,
}

/// <summary>How confident a fix is, which decides whether <c>fix</c> applies it.</summary>
public enum Applicability
{
    /// <summary>Shown to the user, never applied automatically.</summary>
    DisplayOnly = 0,

    /// <summary>Applied only with <c>--unsafe-fixes</c>: it may drop or change content.</summary>
    Unsafe = 1,

    /// <summary>Applied by <c>fix</c>: it keeps every real message and only repairs structure.</summary>
    Safe = 2,
}
