using System.Text.Json;
using CsCheck;
using TranscriptLint.Engine.Fixing;
using static TranscriptLint.Tests.Fixing.FixerHarness;

namespace TranscriptLint.Tests.Fixing;

/// <summary>Properties of <c>fix</c> over generated broken Claude Code sessions (CsCheck).</summary>
public sealed class FixPropertyTests
{
    private const int Iterations = 150;

    private static string Show((TurnSpec[] Turns, Breakage[] Breaks) s) =>
        $"turns=[{string.Join(", ", s.Turns.Select(t => t.ToString()))}] breaks=[{string.Join(", ", s.Breaks.Select(b => b.ToString()))}]";

    [Fact]
    public void Generated_sessions_are_broken_the_way_they_should_be()
    {
        // The generator is only useful if its breakages produce findings with Safe fixes; check a few by hand.
        var crash = BrokenSessionGenerator.Build([new TurnSpec(2, true, true, true, true), new TurnSpec(0, false, true, false, false)], [new Breakage(0, 0, false)]);
        Lint(crash).Diagnostics.Select(d => d.Id).ShouldBe(["TL3001", "TL3001"]);
        var parallel = BrokenSessionGenerator.Build([new TurnSpec(3, false, false, false, true)], [new Breakage(1, 0, true)]);
        Lint(parallel).Diagnostics.Select(d => d.Id).ShouldBe(["TL3001"]);
        var clean = BrokenSessionGenerator.Build([new TurnSpec(3, true, true, true, true), new TurnSpec(1, false, false, false, false)], []);
        Lint(clean).Diagnostics.ShouldBeEmpty();
        var tail429 = BrokenSessionGenerator.Build([new TurnSpec(1, false, true, false, false)], [new Breakage(2, 0, false)]);
        Lint(tail429).Diagnostics.Select(d => d.Id).ShouldContain("TL4001");
        var torn = BrokenSessionGenerator.Build([new TurnSpec(0, false, true, false, false)], [new Breakage(4, 0, false)]);
        Lint(torn).Diagnostics.Select(d => d.Id).ShouldBe(["TL1001"]);
    }

    [Fact]
    public void Fix_is_idempotent_deterministic_and_leaves_no_safe_fixable_finding()
    {
        var fixedRules = new Dictionary<string, int>(StringComparer.Ordinal);
        var changed = 0;
        BrokenSessionGenerator.Session.Sample(s =>
        {
            var x = BrokenSessionGenerator.Build(s.Turns, s.Breaks);
            var once = Fix(x);
            changed += once.Changed ? 1 : 0;
            foreach (var a in once.Applied)
            {
                fixedRules[a.RuleId] = fixedRules.GetValueOrDefault(a.RuleId) + 1;
            }

            once.Rejected.Select(r => r.Reason).ShouldBeEmpty();
            once.Converged.ShouldBeTrue();
            Fix(x).Fixed.ShouldBe(once.Fixed, "same input, same bytes");

            var twice = Fix(once.Fixed);
            twice.Fixed.ShouldBe(once.Fixed, "fix(fix(x)) == fix(x)");

            Lint(once.Fixed).Diagnostics.Where(d => d.Fixes.Any(f => f.Applicability == Applicability.Safe))
                .Select(d => d.ToString()).ShouldBeEmpty();
            Lint(once.Fixed).Diagnostics.Where(d => d.Id.StartsWith("TL3", StringComparison.Ordinal)).Select(d => d.ToString()).ShouldBeEmpty();
        }, iter: Iterations, threads: 1, print: Show);

        // The samples must really exercise the fixer: most sessions are broken, and every breakage kind is fixed.
        changed.ShouldBeGreaterThan(Iterations / 2);
        fixedRules.Keys.Order(StringComparer.Ordinal).ToArray().ShouldBe(["TL1001", "TL1003", "TL3001", "TL4001"], string.Join(", ", fixedRules));
    }

    [Fact]
    public void Unsafe_fixes_are_idempotent_too()
    {
        BrokenSessionGenerator.Session.Sample(s =>
        {
            var x = BrokenSessionGenerator.Build(s.Turns, s.Breaks);
            var once = Fix(x, unsafeFixes: true);
            once.Rejected.Select(r => r.Reason).ShouldBeEmpty();
            once.Converged.ShouldBeTrue();
            Fix(once.Fixed, unsafeFixes: true).Fixed.ShouldBe(once.Fixed, "fix(fix(x)) == fix(x) with --unsafe-fixes");
            Lint(once.Fixed).Diagnostics.Where(d => d.Fixes.Count > 0).Select(d => d.ToString()).ShouldBeEmpty();
        }, iter: Iterations / 2, threads: 1, print: Show);
    }

    [Fact]
    public void Fix_keeps_every_real_prompt_text_call_result_and_thinking_block()
    {
        BrokenSessionGenerator.Session.Sample(s =>
        {
            var x = BrokenSessionGenerator.Build(s.Turns, s.Breaks);
            var outcome = Fix(x);
            var before = Content(x);
            var after = Content(outcome.Fixed);
            var calls = before.Where(c => c.StartsWith("call:", StringComparison.Ordinal)).Select(c => c[5..]).ToHashSet();
            foreach (var item in before)
            {
                // The only fix that exists to remove content removes tool results whose call is gone (TL3002).
                var orphanResult = item.StartsWith("result:", StringComparison.Ordinal) && !calls.Contains(item[7..].Split('|')[0]);
                if (!(orphanResult && outcome.Applied.Any(a => a.RuleId == "TL3002")))
                {
                    after.ShouldContain(item);
                }
            }
        }, iter: Iterations, threads: 1, print: Show);
    }

    // Every byte of the input outside the declared edit spans of the fixes a pass applied (a deleted or wholly
    // replaced line, the value a pointer names, a removed element with its separator) is in the output, in order;
    // checked pass after pass until nothing applies, by an oracle independent of the fixer's own FixInvariants.
    [Fact]
    public void A_fix_never_removes_more_than_its_declared_edits_on_generated_sessions()
    {
        var engine = NewEngine();
        var applied = 0;
        foreach (var unsafeFixes in new[] { false, true })
        {
            var options = new FixOptions { IncludeUnsafe = unsafeFixes };
            BrokenSessionGenerator.Session.Sample(s => applied += AssertPassesKeepUndeclaredBytes(engine, options, BrokenSessionGenerator.Build(s.Turns, s.Breaks)),
                iter: Iterations / 2, threads: 1, print: Show);
        }

        applied.ShouldBeGreaterThan(Iterations / 2, "the sessions must really be fixed");
    }

    [Fact]
    public void A_fix_never_removes_more_than_its_declared_edits_on_mutated_real_transcripts()
    {
        var engine = NewEngine();
        var corpus = Directory.EnumerateFiles(RepoPaths.Fixtures, "*.jsonl", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length < 16 * 1024).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var options = new FixOptions { IncludeUnsafe = true };
        var applied = 0;
        Gen.Int.Sample(seed =>
        {
            var input = TranscriptLint.Fuzz.Mutator.Mutate(corpus, new Random(seed));
            applied += AssertPassesKeepUndeclaredBytes(engine, options, input);
        }, iter: 200, threads: 1);
        applied.ShouldBeGreaterThan(20, "the mutated inputs must really be fixed");
    }

    private static int AssertPassesKeepUndeclaredBytes(TranscriptLint.Engine.Hosting.LintEngine engine, FixOptions options, byte[] input)
    {
        var fixes = 0;
        for (var pass = 1; pass <= options.MaxPasses; pass++)
        {
            if (TranscriptLint.Fuzz.FixOracle.OnePass(engine, options, input) is not { } result)
            {
                break;
            }

            fixes += result.Applied.Count;
            if (result.Dialect is not TranscriptLint.Engine.Dialects.IDocumentDialect)
            {
                TranscriptLint.Fuzz.FixOracle.LostBytes(input, result.Output, result.Dialect, result.Applied.SelectMany(f => f.Edits))
                    .ShouldBeNull($"pass {pass}: {string.Join(", ", result.Applied.Select(f => f.Candidate.RuleId + " " + string.Join(" ", f.Edits)))}");
            }

            if (result.Output.AsSpan().SequenceEqual(input))
            {
                break;
            }

            input = result.Output;
        }

        return fixes;
    }

    /// <summary>The real content of a transcript: prompts, assistant text, tool calls and results, thinking signatures.</summary>
    private static HashSet<string> Content(byte[] bytes)
    {
        var items = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in Text(bytes).Split('\n'))
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue; // a torn line holds no readable content
            }

            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message", out var m) || m.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (m.TryGetProperty("model", out var model) && model.GetString() == "<synthetic>")
                {
                    continue; // harness-made, not real content
                }

                var content = m.GetProperty("content");
                if (content.ValueKind == JsonValueKind.String)
                {
                    items.Add("prompt:" + content.GetString());
                    continue;
                }

                foreach (var b in content.EnumerateArray())
                {
                    var type = b.GetProperty("type").GetString();
                    _ = type switch
                    {
                        "text" => items.Add("text:" + b.GetProperty("text").GetString()),
                        "tool_use" => items.Add("call:" + b.GetProperty("id").GetString()),
                        "tool_result" when !b.GetProperty("content").ToString().Contains("Inserted by TranscriptLint", StringComparison.Ordinal) =>
                            items.Add("result:" + b.GetProperty("tool_use_id").GetString() + "|" + b.GetProperty("content").GetRawText()),
                        "thinking" => items.Add("thinking:" + b.GetRawText()),
                        _ => false,
                    };
                }
            }
        }

        return items;
    }
}
