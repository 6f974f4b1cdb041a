namespace TranscriptLint.Fixes;

/// <summary>
/// A fix: a title, how safe it is, and semantic edits that are applied together or not at all. Edits say
/// what to change ("delete this entry", "insert a tool result after it"); the dialect writes the lines.
/// </summary>
public sealed class Fix
{
    /// <summary>Creates a fix.</summary>
    /// <param name="title">Imperative title, e.g. "Insert an error result for toolu_…".</param>
    /// <param name="applicability">How safe the fix is.</param>
    /// <param name="edits">The edits, applied together.</param>
    public Fix(string title, Applicability applicability, IReadOnlyList<FixEdit> edits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(edits);
        if (edits.Count == 0)
        {
            throw new ArgumentException("A fix needs at least one edit.", nameof(edits));
        }

        Title = title;
        Applicability = applicability;
        Edits = edits;
    }

    /// <summary>The title shown to users and written as the SARIF fix description.</summary>
    public string Title { get; }

    /// <summary>Safe, Unsafe or DisplayOnly.</summary>
    public Applicability Applicability { get; }

    /// <summary>The semantic edits.</summary>
    public IReadOnlyList<FixEdit> Edits { get; }

    /// <summary>The lowest line any edit touches.</summary>
    public int FirstLine => Edits.Min(e => e.Target.Line);

    /// <summary>The highest line any edit touches.</summary>
    public int LastLine => Edits.Max(e => e.Target.Line);

    /// <inheritdoc/>
    public override string ToString() => $"{Title} ({Applicability})";
}
