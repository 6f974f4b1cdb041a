using System.Text.Json;
using System.Text.RegularExpressions;
using TranscriptLint;
using TranscriptLint.Model;

namespace Acme.TranscriptRules;

/// <summary>
/// ACME1002: a tool call runs <c>git push --force</c> (or <c>-f</c>). Written once against the tool-call view, it
/// fires on every transcript format: Claude Code's <c>Bash</c> input, Codex's <c>shell</c> arguments string, a chat
/// log's <c>tool_calls</c>, Gemini CLI's <c>run_shell_command</c>, Copilot CLI's <c>bash</c> request.
/// </summary>
public sealed partial class ForcePushRule : TranscriptRule
{
    /// <summary>The descriptor.</summary>
    public static readonly RuleDescriptor Descriptor = new(
        AcmeRuleIds.ForcePushInToolCall,
        "force-push-in-tool-call",
        "A tool call force-pushes",
        "Tool call {0} force-pushes ({1}): {2}",
        "Security",
        Severity.Warning)
    {
        FullDescription = "An agent that runs git push --force can overwrite other people's commits on a shared branch. Reported on any tool whose input has a command ('command' as a string or an argument list, 'cmd', or a free-form input).",
        HelpMarkdown = Docs.For(AcmeRuleIds.ForcePushInToolCall),
        Tags = ["acme", "git"],
    };

    /// <inheritdoc/>
    public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

    /// <inheritdoc/>
    public override void Initialize(RuleInitializationContext context) => context.RegisterToolCallAction(Check);

    private static void Check(ToolCallContext ctx)
    {
        var call = ctx.ToolCall;
        if (Command(call) is not { } command || !ForcePush().IsMatch(command))
        {
            return;
        }

        // The result says whether it happened: the same fields on every format.
        var outcome = !call.HasResult ? "no result recorded" : call.IsError ? "it failed" : "it ran";
        ctx.Report(Diagnostic.Create(Descriptor, ctx.CallLocation, fix: null, call.Name ?? "?", outcome, command));
    }

    // The command of a shell-like tool, whatever its name: {"command":"…"}, {"command":["bash","-lc","…"]},
    // {"cmd":"…"}, or a free-form input (a Codex custom tool).
    private static string? Command(ToolCall call)
    {
        if (call.TryGetInput("command", out var command))
        {
            return command.ValueKind switch
            {
                JsonValueKind.String => command.GetString(),
                JsonValueKind.Array => string.Join(' ', command.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString())),
                _ => null,
            };
        }

        return call.GetInputString("cmd") ?? call.InputText;
    }

    [GeneratedRegex(@"\bgit\s+push\b[^;&|\n]*\s(--force|-f)(\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ForcePush();
}
