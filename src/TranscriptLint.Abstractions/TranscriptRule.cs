namespace TranscriptLint;

/// <summary>
/// The base class of every rule. A rule declares its descriptors up front and registers callbacks in
/// <see cref="Initialize"/>; it keeps no state in fields. Per-transcript state lives in objects created in a
/// transcript-start action and captured by the actions registered there (Roslyn's compilation-start pattern).
/// </summary>
/// <example>
/// <code>
/// public override void Initialize(RuleInitializationContext context) =>
///     context.RegisterTranscriptStartAction(start =>
///     {
///         var seen = new HashSet&lt;string&gt;();
///         start.RegisterEntryAction(e => { if (e.Entry.Uuid is { } id &amp;&amp; !seen.Add(id)) e.Report(...); });
///     });
/// </code>
/// </example>
public abstract class TranscriptRule
{
    /// <summary>Every descriptor this rule may report. The host refuses any other.</summary>
    public abstract IReadOnlyList<RuleDescriptor> SupportedDescriptors { get; }

    /// <summary>Registers the rule's actions. Called once per run, before any transcript.</summary>
    /// <param name="context">The registration context.</param>
    public abstract void Initialize(RuleInitializationContext context);
}

/// <summary>Where a rule registers its actions.</summary>
public abstract class RuleInitializationContext
{
    /// <summary>Registers an action run when a transcript starts; it may register per-transcript actions.</summary>
    /// <param name="action">The action.</param>
    public abstract void RegisterTranscriptStartAction(Action<TranscriptStartContext> action);

    /// <summary>Registers a stateless action run for every physical line.</summary>
    /// <param name="action">The action.</param>
    public void RegisterLineAction(Action<LineContext> action) =>
        RegisterTranscriptStartAction(start => start.RegisterLineAction(action));

    /// <summary>Registers a stateless action run for every parsed entry.</summary>
    /// <param name="action">The action.</param>
    public void RegisterEntryAction(Action<EntryContext> action) =>
        RegisterTranscriptStartAction(start => start.RegisterEntryAction(action));

    /// <summary>Registers a stateless action run on the conversation view once the file is read.</summary>
    /// <param name="action">The action.</param>
    public void RegisterConversationAction(Action<ConversationContext> action) =>
        RegisterTranscriptStartAction(start => start.RegisterConversationAction(action));

    /// <summary>Registers a stateless action run on the conversation index once the file is read (see <see cref="Model.ConversationIndex"/>).</summary>
    /// <param name="action">The action.</param>
    public void RegisterIndexAction(Action<IndexContext> action) =>
        RegisterTranscriptStartAction(start => start.RegisterIndexAction(action));

    /// <summary>Registers a stateless action run for every tool call, the same on every format (see <see cref="Model.ToolCall"/>).</summary>
    /// <param name="action">The action.</param>
    public void RegisterToolCallAction(Action<ToolCallContext> action) =>
        RegisterTranscriptStartAction(start => start.RegisterToolCallAction(action));
}
