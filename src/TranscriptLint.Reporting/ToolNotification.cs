namespace TranscriptLint.Reporting;

/// <summary>A problem met while loading or running rules; reported, never fatal for the run.</summary>
/// <param name="Level">error or warning.</param>
/// <param name="Message">One line saying what happened.</param>
/// <param name="RuleId">The rule concerned, when known.</param>
/// <param name="Path">The transcript concerned, when known.</param>
public sealed record ToolNotification(string Level, string Message, string? RuleId = null, string? Path = null);
