namespace TranscriptLint.Tests;

/// <summary>A host's start context from before contract 1.1: it overrides only the 1.0 registrations, so the newer ones keep their defaults.</summary>
internal sealed class BareStartContext : TranscriptStartContext
{
    public override TranscriptInfo Transcript => throw new NotSupportedException();

    public override RuleOptions Options => RuleOptions.Empty;

    public override void Report(Diagnostic diagnostic)
    {
    }

    public override void RegisterLineAction(Action<LineContext> action)
    {
    }

    public override void RegisterEntryAction(Action<EntryContext> action)
    {
    }

    public override void RegisterConversationAction(Action<ConversationContext> action)
    {
    }

    public override void RegisterTranscriptEndAction(Action<TranscriptEndContext> action)
    {
    }
}
