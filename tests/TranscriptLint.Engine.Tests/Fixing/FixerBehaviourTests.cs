using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Model;
using static TranscriptLint.Tests.Fixing.FixerHarness;

namespace TranscriptLint.Tests.Fixing;

public sealed class FixerBehaviourTests
{
    private static string Fixture(string relative) => Path.Combine(RepoPaths.Fixtures, "claude-code", relative);

    private static string[] Lines(byte[] bytes) => Text(bytes).Split('\n');

    [Fact]
    public void SetParent_changes_only_the_parent_value_and_keeps_thinking_and_signature_bytes()
    {
        var bytes = File.ReadAllBytes(Fixture("TL3001/clean-parallel-side-branches.jsonl"));
        var lines = Lines(bytes);
        var thinkingLine = lines[5];
        thinkingLine.ShouldContain("\"signature\":");
        var uuid = System.Text.Json.JsonDocument.Parse(thinkingLine).RootElement.GetProperty("uuid").GetString();
        var oldParent = System.Text.Json.JsonDocument.Parse(thinkingLine).RootElement.GetProperty("parentUuid").GetString()!;

        var outcome = FixRecorded(bytes, new RecordedFix("TL2001", new Fix("Re-parent", Applicability.Unsafe, [new SetParent(new EntryRef(6, uuid), "11111111-2222-3333-4444-555555555555")])));

        outcome.Rejected.ShouldBeEmpty();
        var after = Lines(outcome.Fixed);
        after.Length.ShouldBe(lines.Length);
        after[5].ShouldBe(thinkingLine.Replace(oldParent, "11111111-2222-3333-4444-555555555555", StringComparison.Ordinal));
        for (var i = 0; i < lines.Length; i++)
        {
            if (i != 5)
            {
                after[i].ShouldBe(lines[i]);
            }
        }
    }

    [Fact]
    public void RemoveArrayElement_splices_out_only_that_element()
    {
        const string Head = """{"parentUuid":null,"type":"user","message":{"role":"user","content":[""";
        const string A = """{"tool_use_id":"toolu_gone","type":"tool_result","content":"x"}""";
        const string B = """{"type":"text","text":"hello  world"}""";
        var line = Head + A + ", " + B + """]},"uuid":"u1","timestamp":"2026-01-01T00:00:00Z","sessionId":"s"}""";
        var bytes = Utf8(line + "\n");

        var first = FixRecorded(bytes, new RecordedFix("TL3002", new Fix("Remove", Applicability.Unsafe, [new RemoveArrayElement(new EntryRef(1, "u1"), "/message/content", 0)])));
        Text(first.Fixed).ShouldBe(Head + B + """]},"uuid":"u1","timestamp":"2026-01-01T00:00:00Z","sessionId":"s"}""" + "\n");

        var last = FixRecorded(bytes, new RecordedFix("TL3002", new Fix("Remove", Applicability.Unsafe, [new RemoveArrayElement(new EntryRef(1, "u1"), "/message/content", 1)])));
        Text(last.Fixed).ShouldBe(Head + A + """]},"uuid":"u1","timestamp":"2026-01-01T00:00:00Z","sessionId":"s"}""" + "\n");
    }

    [Fact]
    public void Crlf_bom_and_missing_final_newline_are_preserved_and_inserted_lines_use_the_files_line_ending()
    {
        var original = File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl"));
        var golden = File.ReadAllBytes(Fixture("common/b-crash-mid-tool.fixed.jsonl"));
        static byte[] Crlf(byte[] b) => Utf8(Text(b).Replace("\n", "\r\n", StringComparison.Ordinal));
        static byte[] NoFinalNewline(byte[] b) => b[..^1];
        byte[] bom = [0xEF, 0xBB, 0xBF];

        // The mark stays unless its own fix (TL1002's) is applied: with TL1002 off, every other fix keeps it.
        var withoutTl1002 = new TranscriptFixer(new LintEngine(FixerHarness.Rules, new LintOptions { Ignore = ["TL1002"] }), new FixOptions());
        Fix(Crlf(original)).Fixed.ShouldBe(Crlf(golden));
        withoutTl1002.Fix([.. bom, .. original], "t.jsonl").Fixed.ShouldBe([.. bom, .. golden]);
        Fix(NoFinalNewline(original)).Fixed.ShouldBe(NoFinalNewline(golden));
        withoutTl1002.Fix([.. bom, .. NoFinalNewline(Crlf(original))], "t.jsonl").Fixed.ShouldBe([.. bom, .. NoFinalNewline(Crlf(golden))]);

        // With it, the same fixes and the mark removed in the same pass.
        var both = Fix([.. bom, .. NoFinalNewline(Crlf(original))]);
        both.Fixed.ShouldBe(NoFinalNewline(Crlf(golden)));
        both.Passes.ShouldBe(Fix(NoFinalNewline(Crlf(original))).Passes);
    }

    [Fact]
    public void Inserting_after_a_last_line_without_newline_moves_the_missing_newline_to_the_new_last_line()
    {
        var bytes = Utf8("{\"type\":\"user\",\"uuid\":\"a\",\"parentUuid\":null,\"message\":{\"role\":\"user\",\"content\":\"hi\"}}\r\n{\"type\":\"summary\",\"summary\":\"s\",\"leafUuid\":\"a\"}");
        var outcome = FixRecorded(bytes, new RecordedFix("TL1001", new Fix("Insert", Applicability.Unsafe, [new InsertEntryAfter(new EntryRef(2, null), new RawJsonEntry("{\"type\":\"summary\",\"summary\":\"t\",\"leafUuid\":\"a\"}"))])));
        Text(outcome.Fixed).ShouldBe(Text(bytes) + "\r\n{\"type\":\"summary\",\"summary\":\"t\",\"leafUuid\":\"a\"}");
    }

    [Fact]
    public void A_fix_whose_entry_uuid_no_longer_matches_is_refused_as_stale()
    {
        var bytes = File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl"));
        var outcome = FixRecorded(bytes, new RecordedFix("TL4001", new Fix("Delete", Applicability.Safe, [new DeleteEntry(new EntryRef(5, "not-the-uuid-on-line-5"))])));
        outcome.Changed.ShouldBeFalse();
        outcome.Rejected.Single().Reason.ShouldContain("stale");
    }

    [Fact]
    public void A_fix_that_would_write_invalid_json_is_reverted_and_named_while_other_fixes_apply()
    {
        var bytes = File.ReadAllBytes(Fixture("TL3001/clean-parallel-side-branches.jsonl"));
        var uuid4 = System.Text.Json.JsonDocument.Parse(Lines(bytes)[3]).RootElement.GetProperty("uuid").GetString();
        var uuid12 = System.Text.Json.JsonDocument.Parse(Lines(bytes)[11]).RootElement.GetProperty("uuid").GetString();
        var bad = new RecordedFix("TL9001", new Fix("Break it", Applicability.Safe, [new ReplaceValue(new EntryRef(4, uuid4), "/message/content", "{")]));
        var good = new RecordedFix("TL9002", new Fix("Retitle", Applicability.Safe, [ReplaceValue.WithString(new EntryRef(12, uuid12), "/timestamp", "2026-02-12T09:14:30.000Z")]));

        var outcome = FixRecorded(bytes, bad, good);

        outcome.Rejected.Single().Candidate.RuleId.ShouldBe("TL9001");
        outcome.Rejected.Single().Reason.ShouldContain("not be a valid JSON object");
        outcome.Applied.Single().RuleId.ShouldBe("TL9002");
        Lines(outcome.Fixed)[3].ShouldBe(Lines(bytes)[3]);
        Lines(outcome.Fixed)[11].ShouldContain("\"timestamp\":\"2026-02-12T09:14:30.000Z\"");
    }

    [Fact]
    public void A_fix_that_would_change_a_thinking_signature_is_reverted()
    {
        var bytes = File.ReadAllBytes(Fixture("TL3001/clean-parallel-side-branches.jsonl"));
        var uuid = System.Text.Json.JsonDocument.Parse(Lines(bytes)[5]).RootElement.GetProperty("uuid").GetString();
        var outcome = FixRecorded(bytes, new RecordedFix("TL9001", new Fix("Touch signature", Applicability.Safe, [ReplaceValue.WithString(new EntryRef(6, uuid), "/message/content/0/signature", "forged")])));
        outcome.Changed.ShouldBeFalse();
        outcome.Rejected.Single().Reason.ShouldContain("thinking");
    }

    [Theory]
    [InlineData("none", false)]      // the only copy of a prompt: a Safe fix may not delete it
    [InlineData("later", true)]      // an identical copy after it stays
    [InlineData("both", false)]      // the same fix deletes the copy too: nothing stays
    public void A_safe_fix_deletes_a_real_prompt_only_when_an_identical_copy_stays(string copy, bool applies)
    {
        var lines = Lines(File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl"))).Where(l => l.Length > 0).ToList();
        var prompt = lines[3]; // line 4: the user's first prompt
        if (copy is "later" or "both")
        {
            lines.Add(prompt);
        }

        var bytes = Utf8(string.Join("\n", lines) + "\n");
        var uuid = JsonDocument.Parse(prompt).RootElement.GetProperty("uuid").GetString();
        List<FixEdit> edits = copy == "both" ? [new DeleteEntry(new EntryRef(4, uuid)), new DeleteEntry(new EntryRef(lines.Count, uuid))] : [new DeleteEntry(new EntryRef(4, uuid))];

        var outcome = FixRecorded(bytes, new RecordedFix("TL9001", new Fix("Delete the prompt", Applicability.Safe, edits)));

        outcome.Applied.Count.ShouldBe(applies ? 1 : 0);
        if (!applies)
        {
            outcome.Rejected.Single().Reason.ShouldContain("a Safe fix may not delete");
            outcome.Changed.ShouldBeFalse();
        }
        else
        {
            Lines(outcome.Fixed).Count(l => l == prompt).ShouldBe(1);
        }
    }

    [Fact]
    public void Recorded_fixes_are_refused_when_the_transcript_hash_differs()
    {
        var bytes = File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl"));
        var fixer = new TranscriptFixer(NewEngine(), new FixOptions());
        Should.Throw<TranscriptChangedException>(() => fixer.Fix(bytes, "t.jsonl", new RecordedFindings("t.jsonl", new string('0', 64), [])));
    }

    [Fact]
    public void Recorded_fixes_from_a_lint_give_the_same_result_as_a_fresh_fix()
    {
        // What --from-sarif does: the fixes recorded by a lint, applied to the very bytes linted.
        var bytes = File.ReadAllBytes(Fixture("common/c-parallel-missing-result.jsonl"));
        var lint = Lint(bytes);
        var recorded = new RecordedFindings("t.jsonl", lint.Sha256, [.. lint.Diagnostics.SelectMany(d => d.Fixes.Select(f => new RecordedFix(d.Id, f)))]);
        var fromRecord = new TranscriptFixer(NewEngine(), new FixOptions()).Fix(bytes, "t.jsonl", recorded);
        fromRecord.Fixed.ShouldBe(File.ReadAllBytes(Fixture("common/c-parallel-missing-result.fixed.jsonl")));
    }

    [Fact]
    public void Identical_edits_from_two_rules_are_applied_once()
    {
        // TL4001 and TL4002 both splice out the same synthetic 429 row.
        var bytes = File.ReadAllBytes(Fixture("common/a-429-synthetic-tail.jsonl"));
        var lint = Lint(bytes);
        var fixes = new TranscriptFixer(NewEngine(), new FixOptions()).Candidates(lint);
        fixes.Select(f => f.RuleId).ShouldBe(["TL4001", "TL4002"]);
        var plan = FixPlan.Create(fixes, new FixOptions());
        plan.Selected.Single().Candidate.RuleId.ShouldBe("TL4001");
        plan.Duplicates.Single().RuleId.ShouldBe("TL4002");
        plan.Deferred.ShouldBeEmpty();
        Fix(bytes).Applied.Count.ShouldBe(1);
    }

    [Fact]
    public void Plan_orders_by_line_then_rule_then_title_and_defers_overlapping_or_touching_fixes_unless_both_only_delete()
    {
        static FixCandidate C(string rule, string title, int order, params int[] lines) =>
            new(rule, new Fix(title, Applicability.Safe, [.. lines.Select(l => (FixEdit)new DeleteEntry(new EntryRef(l, "u" + l)))]), order);
        static FixCandidate Parent(string title, int order, int line) =>
            new("TL3001", new Fix(title, Applicability.Safe, [new SetParent(new EntryRef(line, "u" + line), null)]), order);
        var a = Parent("b", 0, 10);                // line 10 is taken by b: waits
        var b = C("TL3001", "a", 1, 10);
        var c = C("TL1003", "z", 2, 11);           // touches line 10, both only delete: taken
        var d = C("TL2001", "z", 3, 13, 20);
        var e = C("TL1003", "z", 4, 15);           // inside 13..20: waits
        var f = C("TL1003", "z", 5, 22);
        var g = Parent("p", 7, 23);                // touches line 22 but does not delete: waits
        var h = C("TL1003", "z", 8, 25);
        var i = Parent("p", 9, 26);                // touches a deletion at 25: waits
        var unsafeFix = new FixCandidate("TL1001", new Fix("u", Applicability.Unsafe, [new DeleteEntry(new EntryRef(1, null))]), 6);

        var plan = FixPlan.Create([i, h, g, f, e, d, c, b, a, unsafeFix], new FixOptions());

        plan.Selected.Select(p => p.Candidate).ShouldBe([b, c, d, f, h]);
        plan.Deferred.ShouldBe([a, e, g, i]);
        FixPlan.Create([f, e, d, c, b, a, unsafeFix], new FixOptions { IncludeUnsafe = true }).Selected[0].Candidate.ShouldBe(unsafeFix);
    }

    [Fact]
    public void Adjacent_duplicates_are_removed_in_one_pass()
    {
        var outcome = Fix(File.ReadAllBytes(Fixture("TL1003/fires-reappended-tail.jsonl")));
        outcome.Applied.Select(a => (a.RuleId, a.Pass)).ShouldBe([("TL1003", 1), ("TL1003", 1)]);
        outcome.Converged.ShouldBeTrue();
    }

    [Fact]
    public void A_session_copied_eight_times_is_fixed_in_one_pass_to_its_first_copy()
    {
        // The longest real Claude Code session with nothing to fix: eight copies are eight blocks of side-by-side duplicate lines.
        var session = Directory.EnumerateFiles(Path.Combine(RepoPaths.RealCorpus, "claude-code"), "*.jsonl").Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes).Where(b => Fix(b).Applied.Count == 0).OrderByDescending(b => b.Count(x => x == (byte)'\n')).First();
        session.Count(x => x == (byte)'\n').ShouldBeGreaterThan(40);
        var copies = Enumerable.Repeat(session, 8).SelectMany(b => b).ToArray();
        // Lines without a uuid (queue operations, last-prompt) are not entries a copy repeats: they stay in every copy.
        var keptFromEachCopy = Encoding.UTF8.GetString(session).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => { using var d = JsonDocument.Parse(l); return !d.RootElement.TryGetProperty("uuid", out var u) || u.ValueKind != JsonValueKind.String; })
            .Aggregate("", (all, l) => all + l + "\n");

        var outcome = Fix(copies);

        outcome.Converged.ShouldBeTrue();
        outcome.Passes.ShouldBe(1, "every copied line is only deleted, side by side: one pass");
        outcome.Applied.ShouldAllBe(a => a.RuleId == "TL1003");
        outcome.Applied.Count.ShouldBeGreaterThan(7 * 30);
        Text(outcome.Fixed).ShouldBe(Encoding.UTF8.GetString(session) + string.Concat(Enumerable.Repeat(keptFromEachCopy, 7)));
    }

    [Fact]
    public void A_rule_whose_fix_never_settles_is_reported_as_not_converged_after_ten_passes()
    {
        var engine = new LintEngine([new LoadedRule(new CountingRule(), "tests")], new LintOptions());
        var outcome = new TranscriptFixer(engine, new FixOptions()).Fix(Utf8("{\"type\":\"user\",\"uuid\":\"u\",\"n\":0}\n"), "t.jsonl");
        outcome.Converged.ShouldBeFalse();
        outcome.Passes.ShouldBe(10);
        outcome.NonConvergedRuleIds.ShouldBe(["TX0001"]);
        // Non-convergence writes nothing: the outcome is the original bytes, and says why.
        Text(outcome.Fixed).ShouldBe("{\"type\":\"user\",\"uuid\":\"u\",\"n\":0}\n");
        outcome.Changed.ShouldBeFalse();
        outcome.Applied.ShouldBeEmpty();
        outcome.Refusal.ShouldBe("the fixes did not converge after 10 passes (still fixable: TX0001); nothing was written");
    }

    [Fact]
    public void A_refused_repair_of_a_damaged_line_does_not_hold_the_other_fixes_back()
    {
        // Line 2 does not parse; TX0003 offers to bring a record back from it, which verification refuses. The pass that
        // tried it fixed nothing else (damaged lines first); the next pass must go on with the rest, not stop.
        var engine = new LintEngine([new LoadedRule(new BadRepairRule(), "tests"), new LoadedRule(new SettingRule(), "tests")], new LintOptions());
        var outcome = new TranscriptFixer(engine, new FixOptions()).Fix(Utf8("{\"type\":\"user\",\"uuid\":\"u\",\"n\":0}\ngarbage{\n{\"type\":\"user\",\"uuid\":\"v\",\"n\":0}\n"), "t.jsonl");
        outcome.Rejected.Single().Candidate.RuleId.ShouldBe("TX0003");
        outcome.Applied.Select(a => a.RuleId).ShouldBe(["TX0004", "TX0004"]);
        Text(outcome.Fixed).ShouldBe("{\"type\":\"user\",\"uuid\":\"u\",\"n\":1}\ngarbage{\n{\"type\":\"user\",\"uuid\":\"v\",\"n\":1}\n");
    }

    [Fact]
    public void Fixes_that_undo_each_other_are_detected_as_circular()
    {
        var engine = new LintEngine([new LoadedRule(new TogglingRule(), "tests")], new LintOptions());
        var outcome = new TranscriptFixer(engine, new FixOptions()).Fix(Utf8("{\"type\":\"user\",\"uuid\":\"u\",\"flag\":true}\n"), "t.jsonl");
        outcome.Converged.ShouldBeFalse();
        outcome.Passes.ShouldBe(2);
        outcome.NonConvergedRuleIds.ShouldBe(["TX0002"]);
    }

    [Fact]
    public void Same_input_gives_the_same_bytes()
    {
        var bytes = File.ReadAllBytes(Fixture("common/c-parallel-missing-result.jsonl"));
        var first = Fix(bytes, unsafeFixes: true).Fixed;
        for (var i = 0; i < 3; i++)
        {
            Fix(bytes, unsafeFixes: true).Fixed.ShouldBe(first);
        }
    }

    [Fact]
    public void Unified_diff_shows_the_inserted_and_reparented_lines()
    {
        var original = File.ReadAllBytes(Fixture("common/b-crash-mid-tool.jsonl"));
        var outcome = Fix(original);
        var diff = UnifiedDiff.Create("b.jsonl", outcome.Original, outcome.Fixed);
        diff.ShouldStartWith("--- a/b.jsonl\n+++ b/b.jsonl\n@@ -8,7 +8,8 @@\n");
        diff.Split('\n').Count(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal)).ShouldBe(2);
        diff.Split('\n').Count(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal)).ShouldBe(1);
        UnifiedDiff.Create("b.jsonl", original, original).ShouldBeEmpty();
    }

    private sealed class CountingRule : TranscriptRule
    {
        private static readonly RuleDescriptor D = new("TX0001", "counting", "Counts", "n is {0}", "Test", Severity.Warning) { FixAvailability = FixAvailability.Always };

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [D];

        public override void Initialize(RuleInitializationContext context) => context.RegisterEntryAction(ctx =>
        {
            var n = ctx.Json.GetProperty("n").GetInt32();
            ctx.Report(Diagnostic.Create(D, ctx.LocationOf(ctx.Entry), new Fix("Increment", Applicability.Safe, [new ReplaceValue(ctx.Entry.Ref, "/n", (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))]), n));
        });
    }

    private sealed class BadRepairRule : TranscriptRule
    {
        private static readonly RuleDescriptor D = new("TX0003", "bad-repair", "Repairs badly", "line {0} is damaged", "Test", Severity.Error) { FixAvailability = FixAvailability.Always };

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [D];

        public override void Initialize(RuleInitializationContext context) => context.RegisterLineAction(ctx =>
        {
            if (!ctx.IsValidJson && !ctx.IsBlank)
            {
                var target = new EntryRef(ctx.Line.Number, null);
                ctx.Report(Diagnostic.Create(D, Location.OfLine(ctx.Transcript.Path, ctx.Line, 1), new Fix("Recover", Applicability.Safe, [new ReplaceValue(target, "", "{")]), ctx.Line.Number));
            }
        });
    }

    private sealed class SettingRule : TranscriptRule
    {
        private static readonly RuleDescriptor D = new("TX0004", "setting", "Sets n", "n is {0}", "Test", Severity.Warning) { FixAvailability = FixAvailability.Always };

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [D];

        public override void Initialize(RuleInitializationContext context) => context.RegisterEntryAction(ctx =>
        {
            if (ctx.Json.GetProperty("n").GetInt32() == 0)
            {
                ctx.Report(Diagnostic.Create(D, ctx.LocationOf(ctx.Entry), new Fix("Set", Applicability.Safe, [new ReplaceValue(ctx.Entry.Ref, "/n", "1")]), 0));
            }
        });
    }

    private sealed class TogglingRule : TranscriptRule
    {
        private static readonly RuleDescriptor D = new("TX0002", "toggling", "Toggles", "flag is {0}", "Test", Severity.Warning) { FixAvailability = FixAvailability.Always };

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [D];

        public override void Initialize(RuleInitializationContext context) => context.RegisterEntryAction(ctx =>
        {
            var flag = ctx.Json.GetProperty("flag").GetBoolean();
            ctx.Report(Diagnostic.Create(D, ctx.LocationOf(ctx.Entry), new Fix("Toggle", Applicability.Safe, [new ReplaceValue(ctx.Entry.Ref, "/flag", flag ? "false" : "true")]), flag));
        });
    }
}
