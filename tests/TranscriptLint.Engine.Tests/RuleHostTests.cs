using System.Text;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Model;
using TranscriptLint.Reporting;

namespace TranscriptLint.Tests;

public sealed class RuleHostTests
{
    private const string Session = "{\"type\":\"user\",\"uuid\":\"u1\",\"parentUuid\":null,\"message\":{\"role\":\"user\",\"content\":\"hi\"}}\n" +
                                   "{\"type\":\"assistant\",\"uuid\":\"a1\",\"parentUuid\":\"u1\",\"message\":{\"id\":\"msg_1\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"}]}}\n";

    private static readonly RuleDescriptor Counted = new("TT0001", "count-entries", "Counts entries", "{0} entries", "Test", Severity.Warning);
    private static readonly RuleDescriptor Other = new("TT0002", "other", "Not declared", "never", "Test", Severity.Warning);

    private static FileLintResult Lint(string text, LintOptions? options = null, params TranscriptRule[] rules)
    {
        var engine = new LintEngine(rules.Select(r => new LoadedRule(r, "tests")).ToList(), options ?? new LintOptions());
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return engine.LintStream(stream, "t.jsonl");
    }

    [Fact]
    public void Per_transcript_state_starts_fresh_for_every_file()
    {
        var rule = new CountingRule();
        var engine = new LintEngine([new LoadedRule(rule, "tests")], new LintOptions());
        for (var i = 0; i < 2; i++)
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Session));
            engine.LintStream(stream, "t.jsonl").Diagnostics.Single().Message.ShouldBe("2 entries");
        }
    }

    [Fact]
    public void A_throwing_rule_is_reported_and_the_others_still_run()
    {
        var result = Lint(Session, null, new ThrowingRule(), new CountingRule());
        result.Diagnostics.Single().Id.ShouldBe("TT0001");
        var n = result.Notifications.Single();
        n.Level.ShouldBe("error");
        n.Message.ShouldContain("threw InvalidOperationException");
        n.Message.ShouldContain("boom");
    }

    // Actions are registered in the start action: one registered later (from a kept start context) would never run, so
    // it is refused as the rule's error, and the other rules still run.
    [Fact]
    public void An_action_registered_after_the_start_action_is_refused_and_the_others_still_run()
    {
        var result = Lint(Session, null, new LateRegisteringRule(), new CountingRule());
        result.Diagnostics.Single().Message.ShouldBe("2 entries");
        var n = result.Notifications.Single();
        n.Level.ShouldBe("error");
        n.Message.ShouldContain("threw InvalidOperationException");
        n.Message.ShouldContain("registered an action after its transcript start action returned");
    }

    [Fact]
    public void Reports_of_undeclared_descriptors_are_refused()
    {
        var result = Lint(Session, null, new UndeclaredRule());
        result.Diagnostics.ShouldBeEmpty();
        result.Notifications.Single().Message.ShouldContain("does not declare");
    }

    [Fact]
    public void Fixes_from_a_rule_that_declares_none_are_refused()
    {
        var result = Lint(Session, null, new UndeclaredFixRule());
        result.Diagnostics.ShouldBeEmpty();
        result.Notifications.Single().Message.ShouldContain("declares no fixes");
    }

    [Theory]
    [InlineData("TT", null, 1)]
    [InlineData("TT0002", null, 0)]
    [InlineData(null, "TT", 0)]
    [InlineData(null, "tt0001", 0)]
    public void Select_and_ignore_take_ids_and_prefixes(string? select, string? ignore, int expected)
    {
        var options = new LintOptions { Select = select is null ? [] : [select], Ignore = ignore is null ? [] : [ignore] };
        Lint(Session, options, new CountingRule()).Diagnostics.Count.ShouldBe(expected);
    }

    [Fact]
    public void Severity_comes_from_config_then_profile_then_default()
    {
#pragma warning disable CS0618 // a custom profile's own overrides (contract 1.0) still apply
        var profile = new ProviderProfile("p") { Severities = new Dictionary<string, Severity> { ["TT0001"] = Severity.Note } };
#pragma warning restore CS0618
        Lint(Session, new LintOptions { Profile = profile }, new CountingRule()).Diagnostics.Single().Severity.ShouldBe(Severity.Note);
        Lint(Session, new LintOptions { Profile = profile, Severities = new Dictionary<string, Severity> { ["TT"] = Severity.Error } }, new CountingRule())
            .Diagnostics.Single().Severity.ShouldBe(Severity.Error);
        Lint(Session, new LintOptions { Severities = new Dictionary<string, Severity> { ["TT0001"] = Severity.None } }, new CountingRule()).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Entry_locations_are_narrowed_to_the_pointed_value()
    {
        var result = Lint(Session, null, new PointerRule());
        var loc = result.Diagnostics.Single().Location;
        var line = Session.Split('\n')[1];
        line.Substring(loc.StartColumn - 1, loc.EndColumn - loc.StartColumn).ShouldBe("\"msg_1\"");
    }

    [Fact]
    public void Empty_and_garbage_files_do_not_throw()
    {
        // None of these is a transcript: no rule but TL1006 (not loaded here) runs, so the counting rule reports nothing.
        Lint("", null, new CountingRule()).Diagnostics.ShouldBeEmpty();
        var garbage = Lint("\0\0\0\n\xff\xfe garbage", null, new CountingRule());
        garbage.LineCount.ShouldBe(2);
        garbage.Dialect.ShouldBe("none");
        var deep = new string('[', 5000) + new string(']', 5000);
        Lint(deep + "\n", null, new CountingRule()).Diagnostics.ShouldBeEmpty();
        Lint("{\"type\":\"summary\",\"x\":" + deep + "}\n", null, new CountingRule()).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void A_line_over_the_limit_gets_a_finding_with_a_sane_region()
    {
        var engine = new LintEngine([new LoadedRule(new CountingRule(), "tests")], new LintOptions { MaxLineBytes = 1024 });
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"type\":\"summary\"}\n{\"x\":\"" + new string('y', 5000) + "\"}\n{\"type\":\"summary\"}\n"));
        var result = engine.LintStream(stream, "t.jsonl");
        result.LineCount.ShouldBe(3);
        result.Diagnostics.Single().Message.ShouldBe("2 entries", "the over-long line is not parsed, the others are");
    }

    private sealed class CountingRule : TranscriptRule
    {
        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Counted];

        public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
        {
            var count = 0;
            start.RegisterEntryAction(_ => count++);
            start.RegisterTranscriptEndAction(end => end.Report(Diagnostic.Create(Counted, new Location { Path = end.Transcript.Path, StartLine = 1, EndLine = 1, EndColumn = 1 }, null, count)));
        });
    }

    private sealed class LateRegisteringRule : TranscriptRule
    {
        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Other];

        public override void Initialize(RuleInitializationContext context) => context.RegisterTranscriptStartAction(start =>
            start.RegisterEntryAction(_ => start.RegisterLineAction(_ => { })));
    }

    private sealed class ThrowingRule : TranscriptRule
    {
        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Other];

        public override void Initialize(RuleInitializationContext context) => context.RegisterEntryAction(_ => throw new InvalidOperationException("boom"));
    }

    private sealed class UndeclaredRule : TranscriptRule
    {
        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Counted];

        public override void Initialize(RuleInitializationContext context) =>
            context.RegisterEntryAction(e => e.Report(Diagnostic.Create(Other, e.LocationOf(e.Entry), null)));
    }

    private sealed class UndeclaredFixRule : TranscriptRule
    {
        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Counted];

        public override void Initialize(RuleInitializationContext context) =>
            context.RegisterEntryAction(e => e.Report(Diagnostic.Create(Counted, e.LocationOf(e.Entry), new Fix("x", Applicability.Safe, [new DeleteEntry(e.Entry.Ref)]), 0)));
    }

    private sealed class PointerRule : TranscriptRule
    {
        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Counted];

        public override void Initialize(RuleInitializationContext context) => context.RegisterConversationAction(c =>
        {
            var a = c.Conversation.Entries.Single(e => e.Kind == EntryKind.Assistant);
            c.Report(Diagnostic.Create(Counted, c.LocationOf(a, "/message/id"), null, 1));
        });
    }
}
