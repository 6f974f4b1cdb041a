using System.CommandLine;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Explain;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>transcriptlint explain-error "&lt;pasted error&gt;" [--transcript FILE]</c>: names the rules that catch a
/// provider error and, with a transcript, maps <c>messages.N</c> to the line that produced it and lints that spot.
/// </summary>
public static class ExplainErrorCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var error = new Argument<string>("error")
        {
            Description = "The provider error as pasted (any wrapper: LiteLLM, Bedrock, Vertex JSON…); '-' reads it from standard input.",
        };
        var transcript = new Option<string?>("--transcript", "-t")
        {
            Description = "The transcript that produced the error: map messages.N to its line and lint that spot.",
            HelpName = "FILE",
        };
        var profile = new Option<string>("--profile")
        {
            Description = "Provider profile for linting the transcript: " + string.Join(", ", ProviderProfile.Names) + ".",
            DefaultValueFactory = _ => ProviderProfile.DefaultName,
            HelpName = "NAME",
        };
        Suggest.OneOf(profile, [.. ProviderProfile.Names]);

        var command = new Command("explain-error", "Name the rules that catch a pasted provider error (HTTP 400). Exit 0: a rule matches; 1: none does; 2: usage error.")
        {
            error, transcript, profile,
        };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(error) ?? "";
            if (text == "-")
            {
                text = Console.In.ReadToEnd();
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                throw new UsageException("paste the provider error as the argument (or '-' to read it from standard input)");
            }

            var notifications = new List<ToolNotification>();
            var rules = BuiltInRules.Source.LoadRules(notifications);
            var explanation = ErrorExplainer.Explain(text, rules.SelectMany(r => r.Rule.SupportedDescriptors));
            Write(explanation, stdout);
            if (parse.GetValue(transcript) is { } path)
            {
                if (!File.Exists(path))
                {
                    throw new UsageException($"cannot read {path}: no such file");
                }

                var options = new LintOptions { Profile = ProviderProfile.Find(parse.GetValue(profile)) ?? ProviderProfile.Anthropic };
                MapToTranscript(explanation, rules, options, path, stdout);
            }

            WriteNextStep(explanation, parse.GetValue(transcript), stdout);
            return explanation.Matches.Count > 0 ? ExitCodes.Clean : ExitCodes.Findings;
        });
        return command;
    }

    private static void Write(ErrorExplanation explanation, TextWriter stdout)
    {
        if (explanation.Matches.Count == 0)
        {
            stdout.WriteLine("No rule matches this error.");
            stdout.WriteLine($"  provider message: {OneLine(explanation.ProviderMessage)}");
            stdout.WriteLine("  Run 'transcriptlint rules' for the catalog, or lint the transcript: 'transcriptlint lint FILE'.");
            return;
        }

        stdout.WriteLine(explanation.Matches.Count == 1 ? "1 rule catches this error:" : $"{explanation.Matches.Count} rules catch this error:");
        foreach (var m in explanation.Matches)
        {
            var d = m.Descriptor;
            stdout.WriteLine($"  {d.Id} {d.Name} ({TextReporter.SeverityName(d.DefaultSeverity)}, fix: {d.FixAvailability.ToString().ToLowerInvariant()}): {d.Title}");
            stdout.WriteLine($"    prevents: {m.Pattern}");
            if (d.HelpUri is { } uri)
            {
                stdout.WriteLine($"    docs: {uri}");
            }
        }

        if (explanation.Positions.Count > 0)
        {
            stdout.WriteLine($"Position: {string.Join(", ", explanation.Positions)}");
        }

        if (explanation.ToolIds.Count > 0)
        {
            stdout.WriteLine($"Tool ids: {string.Join(", ", explanation.ToolIds)}");
        }
    }

    // Every explanation ends with the command to run next: find the session, preview the fix, or apply it.
    private static void WriteNextStep(ErrorExplanation explanation, string? transcript, TextWriter stdout)
    {
        stdout.WriteLine();
        if (transcript is null)
        {
            stdout.WriteLine("Next: find the session and its fix with 'transcriptlint doctor' (or, if you know the file, " +
                "'transcriptlint explain-error \"<error>\" --transcript FILE').");
            return;
        }

        var file = Sessions.Shell.Quote(transcript);
        stdout.WriteLine(explanation.Matches.Count > 0
            ? $"Next: quit the agent, preview the repair with 'transcriptlint fix --diff {file}', then run 'transcriptlint fix {file}' (the original is kept as .bak)."
            : $"Next: lint the whole transcript with 'transcriptlint lint {file}'.");
    }

    private static void MapToTranscript(ErrorExplanation explanation, IReadOnlyList<LoadedRule> rules, LintOptions options, string path, TextWriter stdout)
    {
        Conversation? conversation = null;
        var probe = new LoadedRule(new ConversationProbe(c => conversation = c), "explain-error");
        var engine = new LintEngine([.. rules, probe], options);
        var display = InputFiles.Display(path);
        var result = engine.LintFile(path, display);
        stdout.WriteLine($"Transcript {display} ({result.Dialect}, profile {options.Profile.Name}):");
        if (conversation is null)
        {
            stdout.WriteLine("  no conversation could be read from it.");
            return;
        }

        var chain = conversation.ResumeChain;
        stdout.WriteLine($"  a resume sends {chain.Count} messages (messages.0 to messages.{Math.Max(0, chain.Count - 1)}).");
        var spotLines = new SortedSet<int>();
        foreach (var position in explanation.Positions)
        {
            if (position.MessageIndex >= chain.Count)
            {
                stdout.WriteLine($"  {position}: the resume chain has only {chain.Count} messages; the request held more (a new prompt, or a different branch).");
                continue;
            }

            var message = chain[position.MessageIndex];
            var lines = message.Entries.Select(e => e.Line.Number).Order().ToList();
            stdout.WriteLine($"  messages.{position.MessageIndex} ({ConsecutiveRole(message.Role)}) comes from line{(lines.Count == 1 ? "" : "s")} {string.Join(", ", lines)}");
            if (position.ContentIndex is { } m)
            {
                if (m < message.Blocks.Count)
                {
                    var block = message.Blocks[m];
                    stdout.WriteLine($"  {position} is line {block.Entry.Line.Number} at {block.Block.JsonPointer} ({block.Block.TypeName}{(block.Block.ToolId is { } id ? " " + id : "")})");
                    spotLines.Add(block.Entry.Line.Number);
                }
                else
                {
                    stdout.WriteLine($"  {position}: the message has only {message.Blocks.Count} blocks.");
                    spotLines.UnionWith(lines);
                }
            }
            else
            {
                spotLines.UnionWith(lines);
            }
        }

        foreach (var id in explanation.ToolIds)
        {
            var holders = conversation.Entries.Where(e => e.Blocks.Any(b => b.ToolId == id)).Select(e => e.Line.Number).ToList();
            stdout.WriteLine(holders.Count == 0 ? $"  {id} is not in the transcript." : $"  {id} appears on line{(holders.Count == 1 ? "" : "s")} {string.Join(", ", holders)}");
            spotLines.UnionWith(holders);
        }

        var matched = explanation.Matches.Select(m => m.Descriptor.Id).ToHashSet(StringComparer.Ordinal);
        var atSpot = result.Diagnostics.Where(d => spotLines.Contains(d.Location.StartLine)).ToList();
        var elsewhere = result.Diagnostics.Where(d => !spotLines.Contains(d.Location.StartLine) && matched.Contains(d.Id)).ToList();
        if (spotLines.Count > 0)
        {
            stdout.WriteLine(atSpot.Count == 0 ? "  No findings at that spot." : "Findings at that spot:");
            foreach (var d in atSpot)
            {
                stdout.WriteLine("  " + Format(d));
            }
        }

        if (elsewhere.Count > 0)
        {
            stdout.WriteLine("Findings of the matching rules elsewhere in the transcript:");
            foreach (var d in elsewhere)
            {
                stdout.WriteLine("  " + Format(d));
            }
        }
        else if (atSpot.Count == 0 && spotLines.Count == 0)
        {
            stdout.WriteLine("  No findings of the matching rules in the transcript.");
        }
    }

    private static string Format(Diagnostic d)
    {
        var fix = d.Fixes.FirstOrDefault();
        var fixNote = fix is null ? "" : $" [fix: {fix.Applicability.ToString().ToLowerInvariant()}]";
        return $"{d.Location.Path}({d.Location.StartLine},{d.Location.StartColumn}): {TextReporter.SeverityName(d.Severity)} {d.Id}: {d.Message}{fixNote}";
    }

    private static string ConsecutiveRole(MessageRole role) => role.ToString().ToLowerInvariant();

    private static string OneLine(string s)
    {
        var one = string.Join(' ', s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return one.Length > 300 ? one[..300] + "…" : one;
    }

    /// <summary>Captures the conversation view of the transcript being linted; reports nothing.</summary>
    private sealed class ConversationProbe(Action<Conversation> capture) : TranscriptRule
    {
        private static readonly RuleDescriptor Descriptor = new("XPROBE001", "conversation-probe", "Captures the conversation view", "unused", "Internal", Severity.Note);

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

        public override void Initialize(RuleInitializationContext context) => context.RegisterConversationAction(ctx => capture(ctx.Conversation));
    }
}
