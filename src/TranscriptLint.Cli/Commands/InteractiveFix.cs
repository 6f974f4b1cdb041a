using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>fix --interactive</c>: one finding at a time, its fix shown as the readable diff, then a question.
/// y applies it, n skips it, a applies it and every later Safe fix without asking (Unsafe ones are still asked),
/// q stops asking (what was accepted so far is still applied). Enter takes the default: yes for a Safe fix, no
/// for an Unsafe one. The accepted fixes are then applied together by the ordinary fixer, so the result is what
/// <c>fix</c> would write for exactly those fixes.
/// </summary>
internal static class InteractiveFix
{
    /// <summary>Asks about each fix; returns the outcome of applying the accepted ones (an unchanged one when none was).</summary>
    public static FixOutcome Ask(LintEngine engine, byte[] bytes, string display, Painter painter, TextReader input, TextWriter output)
    {
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        using var stream = new MemoryStream(bytes, writable: false);
        var lint = engine.LintStream(stream, display);
        var offered = lint.Diagnostics
            .Select(d => (Finding: d, Fix: d.Fixes.FirstOrDefault(f => f.Applicability is Applicability.Safe or Applicability.Unsafe)))
            .ToList();
        var fixable = offered.Where(o => o.Fix is not null).ToList();
        output.WriteLine(painter.Bold(display) + $": {Count(lint.Diagnostics.Count, "finding")}, {Count(fixable.Count, "with a fix", "with a fix")}."
            + (fixable.Count > 0 ? painter.Dim(" Quit the agent using this session before answering: it keeps writing to the file.") : ""));
        foreach (var (finding, _) in offered.Where(o => o.Fix is null && o.Finding.Severity >= Severity.Warning))
        {
            output.WriteLine(painter.Dim($"  line {finding.Location.StartLine} {finding.Id}: no automatic fix (transcriptlint explain {finding.Id})"));
        }

        var preview = new TranscriptFixer(engine, new FixOptions { IncludeUnsafe = true });
        var chosen = new List<RecordedFix>();
        var all = false;
        for (var i = 0; i < fixable.Count; i++)
        {
            var (finding, fix) = fixable[i];
            var isUnsafe = fix!.Applicability == Applicability.Unsafe;
            output.WriteLine();
            output.WriteLine(painter.Bold($"[{i + 1}/{fixable.Count}]"));
            var alone = preview.Fix(bytes, display, new RecordedFindings(display, sha, [new RecordedFix(finding.Id, fix)]));
            if (alone.Changed)
            {
                var shown = new StringWriter();
                ReadableDiff.Write(shown, display, alone.DiffBase, alone.Fixed, alone.Applied, [finding], painter, alone.Restoration);
                // The per-file heading of the diff is already said above; keep the change itself.
                foreach (var line in shown.ToString().Split('\n').Skip(1).Where(l => l.Length > 0))
                {
                    output.WriteLine(line);
                }
            }
            else
            {
                output.WriteLine($"  line {finding.Location.StartLine}  {painter.Severity(TextReporter.SeverityName(finding.Severity))} {painter.Bold(finding.Id)}: {finding.Message}");
                output.WriteLine(painter.Dim($"    fix: {fix.Title} (changes nothing on its own)"));
            }

            if (isUnsafe)
            {
                output.WriteLine(painter.Warning("    This fix is Unsafe: it drops or rewrites content. Read the change above before saying yes."));
            }

            if (all && !isUnsafe)
            {
                output.WriteLine(painter.Good("    applying (a)"));
                chosen.Add(new RecordedFix(finding.Id, fix));
                continue;
            }

            var answer = Prompt(isUnsafe ? "Apply this Unsafe fix? [y/N/q] " : "Apply this fix? [Y/n/a/q] ", isUnsafe ? 'n' : 'y', isUnsafe ? "ynq" : "ynaq", input, output);
            if (answer == 'q')
            {
                output.WriteLine(painter.Dim("    stopped; the fixes accepted so far are applied."));
                break;
            }

            if (answer is 'y' or 'a')
            {
                chosen.Add(new RecordedFix(finding.Id, fix));
                all |= answer == 'a';
            }
        }

        output.WriteLine();
        if (chosen.Count == 0)
        {
            output.WriteLine($"{display}: nothing applied.");
        }

        var options = new FixOptions { IncludeUnsafe = chosen.Any(c => c.Fix.Applicability == Applicability.Unsafe) };
        return new TranscriptFixer(engine, options).Fix(bytes, display, new RecordedFindings(display, sha, chosen));
    }

    // Reads answers until one is understood; end of input (Ctrl-D) is "q".
    private static char Prompt(string question, char fallback, string allowed, TextReader input, TextWriter output)
    {
        while (true)
        {
            output.Write("    " + question);
            output.Flush();
            var line = input.ReadLine();
            if (line is null)
            {
                output.WriteLine();
                return 'q';
            }

            var word = line.Trim().ToLowerInvariant();
            var c = word.Length == 0 ? fallback : word[0];
            if (allowed.Contains(c) && (word.Length <= 1 || word is "yes" or "no" or "all" or "quit"))
            {
                return c;
            }

            output.WriteLine($"    answer {string.Join(", ", allowed.Select(a => a.ToString()))} (Enter: {fallback})");
        }
    }

    private static string Count(int n, string what, string? many = null) => n == 1 ? $"1 {what}" : $"{n} {many ?? what + "s"}";
}
