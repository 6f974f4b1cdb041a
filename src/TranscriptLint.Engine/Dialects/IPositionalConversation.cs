namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// A conversation that keeps its per-entry facts by the entry's position answers the conversation index by position
/// too: no entry is looked up again to find its place (KeptEntryIndex). Positions are 0-based in the entry list; -1 is
/// none.
/// </summary>
internal interface IPositionalConversation
{
    /// <summary>The position of the entry the entry at <paramref name="position"/>'s parent id names, as ParentOf.</summary>
    int ParentPositionAt(int position);

    /// <summary>The position of the first entry with this entry's uuid, or -1 when it has none.</summary>
    int FirstCopyPositionAt(int position);

    /// <summary>Whether the entry is the copy of its uuid a resume uses, as IsCanonical.</summary>
    bool IsCanonicalAt(int position);

    /// <summary>Whether a resume sends the entry, as IsInResumeContext.</summary>
    bool IsInResumeContextAt(int position);
}
