namespace TranscriptLint.Tests;

/// <summary>TranscriptLint.Testing's RuleTester fails a case for each way a rule can be wrong, and says how.</summary>
public sealed class RuleTesterTests
{
    private const string User = """{"parentUuid":null,"sessionId":"28da3472-2001-4fe5-b776-04b82fecd95c","type":"user","message":{"role":"user","content":"summarise"},"uuid":"17c79285-f139-4822-9073-fb870ca5362a","timestamp":"2026-02-12T10:56:05.353Z"}""";
    private const string Trailing = """{"parentUuid":"17c79285-f139-4822-9073-fb870ca5362a","sessionId":"28da3472-2001-4fe5-b776-04b82fecd95c","type":"assistant","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"text","text":"Done.\n\n"}],"stop_reason":"end_turn"},"uuid":"f2fdd487-8780-4d34-b102-259dd81dc4e1","timestamp":"2026-02-12T10:56:09.000Z"}""";
    private const string Trimmed = """{"parentUuid":"17c79285-f139-4822-9073-fb870ca5362a","sessionId":"28da3472-2001-4fe5-b776-04b82fecd95c","type":"assistant","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"text","text":"Done."}],"stop_reason":"end_turn"},"uuid":"f2fdd487-8780-4d34-b102-259dd81dc4e1","timestamp":"2026-02-12T10:56:09.000Z"}""";

    private static readonly RuleTester Tester = RuleTester.For<TL4007TrailingWhitespaceFinalAssistantRule>();

    [Fact]
    public void A_valid_case_that_reports_fails_and_lists_the_findings() =>
        Should.Throw<RuleTestException>(() => Tester.Valid(new ValidCase(User + "\n" + Trailing) { Name = "trailing" }))
            .Message.ShouldStartWith("valid case 'trailing': expected no findings, found:\n  TL4007 2:");

    [Fact]
    public void Wrong_line_fails_with_expected_and_actual()
    {
        var e = Should.Throw<RuleTestException>(() => Tester.Invalid(new InvalidCase(User + "\n" + Trailing) { Findings = ["TL4007 1"], Output = User + "\n" + Trimmed }));
        e.Message.ShouldContain("findings differ.\nexpected:\n  TL4007 1\nactual:\n  TL4007 2:");
    }

    [Fact]
    public void Wrong_message_fails() =>
        Should.Throw<RuleTestException>(() => Tester.Invalid(new InvalidCase(User + "\n" + Trailing) { Findings = ["TL4007 2 not the message"], Output = User + "\n" + Trimmed }))
            .Message.ShouldContain("expected:\n  TL4007 2 not the message");

    [Fact]
    public void A_Safe_fix_without_Output_fails_and_shows_the_fixed_text() =>
        Should.Throw<RuleTestException>(() => Tester.Invalid(new InvalidCase(User + "\n" + Trailing) { Findings = ["TL4007 2"] }))
            .Message.ShouldContain("Safe fixes changed the transcript but the case has no Output; the text after `transcriptlint fix` is:\n" + User + "\n" + Trimmed + "\n");

    [Fact]
    public void A_wrong_Output_names_the_first_differing_line() =>
        Should.Throw<RuleTestException>(() => Tester.Invalid(new InvalidCase(User + "\n" + Trailing) { Findings = ["TL4007 2"], Output = User + "\n" + Trailing }))
            .Message.ShouldContain("the text after the Safe fixes differs from Output:\nfirst difference on line 2:");

    [Fact]
    public void An_UnsafeOutput_that_the_fixes_do_not_produce_fails() =>
        Should.Throw<RuleTestException>(() => Tester.Invalid(new InvalidCase(User + "\n" + Trailing) { Findings = ["TL4007 2"], Output = User + "\n" + Trimmed, UnsafeOutput = User }))
            .Message.ShouldContain("differs from UnsafeOutput");

    [Fact]
    public void An_invalid_case_needs_a_finding() =>
        Should.Throw<RuleTestException>(() => Tester.Invalid(new InvalidCase(User) { Findings = [] }))
            .Message.ShouldContain("must expect at least one finding");

    [Fact]
    public void Expected_findings_parse_id_line_column_and_message()
    {
        ExpectedFinding f = "ACME1001 3:7 Message text names the internal host x";
        f.ShouldBe(new ExpectedFinding("ACME1001", 3, 7, "Message text names the internal host x"));
        Should.Throw<FormatException>(() => ExpectedFinding.Parse("ACME1001 three"));
    }

    [Fact]
    public void A_wrong_option_type_is_the_config_error() =>
        Should.Throw<RuleTestException>(() => RuleTester.For<TL6002OversizedToolResultRule>().Valid(new ValidCase(User) { Options = new Dictionary<string, object?> { ["maxBytes"] = "3" } }))
            .Message.ShouldContain("options.TL6002.maxBytes: expected an integer, found \"3\"");
}
