namespace TranscriptLint.Rules.Core;

/// <summary>
/// Every built-in rule id in one place. An id is a public contract: never reused, never renumbered
/// (spec/RULES.md).
/// </summary>
public static class RuleIdentifiers
{
    public const string InvalidJsonLine = "TL1001";
    public const string InvalidEncoding = "TL1002";
    public const string DuplicateEntry = "TL1003";
    public const string MissingRequiredField = "TL1004";
    public const string MixedSessionId = "TL1005";
    public const string NotATranscript = TranscriptInfo.NotATranscriptRuleId;
    public const string CodexRolloutHeader = "TL1007";

    public const string DanglingParent = "TL2001";
    public const string ParentCycle = "TL2002";
    public const string ResultOffResumeChain = "TL2003";

    public const string ToolCallWithoutResult = "TL3001";
    public const string ToolResultWithoutCall = "TL3002";
    public const string DuplicateToolCallId = "TL3003";
    public const string DuplicateToolResult = "TL3004";
    public const string ToolResultNotFirst = "TL3005";
    public const string InvalidToolCallId = "TL3006";
    public const string ToolInputNotObject = "TL3007";
    public const string ServerToolResultWithoutCall = "TL3008";

    public const string SyntheticEntryInContext = "TL4001";
    public const string NonProviderMessageId = "TL4002";
    public const string ConsecutiveSameRole = "TL4003";
    public const string EmptyContent = "TL4004";
    public const string InvalidThinkingSignature = "TL4005";
    public const string ThinkingNotFirst = "TL4006";
    public const string TrailingWhitespaceFinalAssistant = "TL4007";
    public const string FirstMessageNotUser = "TL4008";
    public const string EndsOnAssistant = "TL4009";
    public const string ThinkingTextStripped = "TL4010";
    public const string ResponseEndsInThinking = "TL4011";
    public const string ThinkingFromAnotherModel = "TL4012";

    public const string SecretInTranscript = "TL5001";

    public const string OversizedImage = "TL6001";
    public const string OversizedToolResult = "TL6002";
    public const string ContextTooLong = "TL6003";
    public const string UndecodableImage = "TL6004";
    public const string OversizedHarnessPayload = "TL6005";

    public const string FirstPromptOutsideHeadWindow = "TL7001";
    public const string TitleOutsideTailWindow = "TL7002";

    /// <summary>Where rule doc pages live in the repository.</summary>
    public const string DocsBaseUri = "https://github.com/transcriptlint/transcriptlint/blob/main/docs/rules/";

    /// <summary>The doc page of a rule.</summary>
    public static string HelpUri(string id) => DocsBaseUri + id + ".md";
}

/// <summary>Rule categories (SARIF <c>properties.category</c>, config prefixes).</summary>
public static class RuleCategories
{
    public const string Integrity = "Integrity";
    public const string Graph = "Graph";
    public const string ToolPairing = "ToolPairing";
    public const string Resume = "Resume";
    public const string Security = "Security";
    public const string Size = "Size";
    public const string Lookup = "Lookup";
}
