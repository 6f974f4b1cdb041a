using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace TranscriptLint.Tests;

/// <summary>
/// The composite GitHub Action at the repository root: its structure and inputs, and a dry run of its lint and
/// verdict steps with bash and the tool installed from the package (as the install step does on a runner).
/// </summary>
[Collection(InstalledToolCollection.Name)]
public sealed partial class GitHubActionTests(InstalledTool tool)
{
    private static readonly YamlMappingNode Action = Load();

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepoPaths.Root, "action.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static string Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return ((YamlScalarNode)node).Value!;
    }

    private static List<YamlMappingNode> Steps => [.. ((YamlSequenceNode)((YamlMappingNode)Action["runs"])["steps"]).Children.Cast<YamlMappingNode>()];

    private static YamlMappingNode Step(string name) => Steps.Single(s => Scalar(s, "name") == name);

    private static bool Has(YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    [Fact]
    public void The_action_is_composite_with_documented_inputs_and_outputs()
    {
        Scalar(Action, "runs", "using").ShouldBe("composite");
        var inputs = (YamlMappingNode)Action["inputs"];
        var names = inputs.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        names.ShouldBe(["paths", "args", "fail-level", "sarif-file", "upload-sarif", "category", "baseline", "shard", "allow-rule-failures", "version", "dotnet-version"], ignoreOrder: true);
        foreach (var (key, value) in inputs.Children)
        {
            Scalar(value, "description").ShouldNotBeNullOrWhiteSpace($"input {key} needs a description");
        }

        Scalar(inputs, "paths", "required").ShouldBe("true");
        Scalar(inputs, "upload-sarif", "default").ShouldBe("false", "uploading is asked for, not assumed");
        ((YamlMappingNode)Action["outputs"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ShouldBe(["sarif-file", "exit-code"], ignoreOrder: true);
    }

    [Fact]
    public void The_steps_install_the_tool_lint_upload_when_asked_and_fail_last()
    {
        Steps.Select(s => Scalar(s, "name")).ShouldBe(["Set up .NET", "Install transcriptlint", "Lint transcripts", "Upload SARIF to code scanning", "Fail on findings"]);
        Scalar(Step("Set up .NET"), "uses").ShouldStartWith("actions/setup-dotnet@");
        var install = Scalar(Step("Install transcriptlint"), "run");
        install.ShouldContain("dotnet pack \"$TL_SOURCE/src/TranscriptLint.Cli\"");
        install.ShouldContain("dotnet tool install transcriptlint --tool-path \"$tools\" --add-source");
        install.ShouldContain(">> \"$GITHUB_PATH\"");
        var upload = Step("Upload SARIF to code scanning");
        Scalar(upload, "uses").ShouldStartWith("github/codeql-action/upload-sarif@");
        Scalar(upload, "if").ShouldContain("inputs.upload-sarif == 'true'");
        Scalar(upload, "if").ShouldContain("always()", Case.Sensitive, "findings must still be uploaded");
        Scalar(upload, "with", "sarif_file").ShouldBe("${{ inputs.sarif-file }}");
        Scalar(upload, "with", "category").ShouldBe("${{ inputs.category }}");

        foreach (var step in Steps.Where(s => Has(s, "run")))
        {
            Scalar(step, "shell").ShouldBe("bash");
            // Inputs reach scripts through env only: an input expanded into the script text is a script-injection hole.
            Scalar(step, "run").ShouldNotContain("${{", Case.Sensitive, $"step '{Scalar(step, "name")}'");
        }
    }

    [Fact]
    public void A_dry_run_of_the_lint_and_verdict_steps_writes_annotations_and_sarif_and_fails_on_findings()
    {
        using var temp = new TempDir();
        var sarif = temp.Combine("out", "transcriptlint.sarif");
        Directory.CreateDirectory(Path.GetDirectoryName(sarif)!);
        var outputs = temp.Combine("github_output");
        File.WriteAllText(outputs, "");
        var inputs = new Dictionary<string, string>
        {
            ["paths"] = "fixtures/samples\nfixtures/claude-code/TL3001/*.jsonl",
            ["sarif-file"] = sarif,
            ["args"] = "--select TL3,TL4",
        };

        var (exit, stdout, stderr) = RunStep("Lint transcripts", inputs, outputs);

        exit.ShouldBe(0, stderr + stdout);
        var lines = stdout.Split('\n');
        lines.ShouldContain(l => l.StartsWith("::error file=fixtures/samples/b-crash-mid-tool.jsonl,line=10,col=339,", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("::error file=fixtures/claude-code/TL3001/", StringComparison.Ordinal), "the glob was expanded by transcriptlint");
        lines.ShouldNotContain(l => l.Contains("TL2001", StringComparison.Ordinal), "args were passed through");
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(sarif)))
        {
            var run = doc.RootElement.GetProperty("runs")[0];
            run.GetProperty("automationDetails").GetProperty("id").GetString().ShouldBe("transcriptlint/");
            run.GetProperty("results").GetArrayLength().ShouldBe(lines.Count(l => l.StartsWith("::", StringComparison.Ordinal)));
        }

        var recorded = File.ReadAllLines(outputs);
        recorded.ShouldContain($"sarif-file={sarif}");
        recorded.ShouldContain("exit-code=1");

        var verdict = RunStep("Fail on findings", new Dictionary<string, string>(), outputs, steps: new() { ["lint"] = "1" });
        verdict.Exit.ShouldBe(1);
        verdict.Out.ShouldContain("::error title=transcriptlint::findings");
        RunStep("Fail on findings", new Dictionary<string, string>(), outputs, steps: new() { ["lint"] = "0" }).Exit.ShouldBe(0);
        RunStep("Fail on findings", new Dictionary<string, string>(), outputs, steps: new() { ["lint"] = "3" }).Exit.ShouldBe(3);
    }

    [Fact]
    public void A_dry_run_with_nothing_to_lint_records_exit_2()
    {
        using var temp = new TempDir();
        var outputs = temp.Combine("github_output");
        File.WriteAllText(outputs, "");
        Directory.CreateDirectory(temp.Combine("empty"));

        var (exit, _, stderr) = RunStep("Lint transcripts", new() { ["paths"] = temp.Combine("empty"), ["sarif-file"] = temp.Combine("x.sarif") }, outputs);

        exit.ShouldBe(0, "the step records the code; the verdict step fails");
        stderr.ShouldContain("no transcript to lint");
        File.ReadAllLines(outputs).ShouldContain("exit-code=2");
    }

    /// <summary>Runs one step's script with bash, its env evaluated from the inputs (defaults filled in) and step outputs.</summary>
    private (int Exit, string Out, string Err) RunStep(string name, Dictionary<string, string> given, string githubOutput, Dictionary<string, string>? steps = null)
    {
        var step = Step(name);
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Scalar(step, "run"));
        var inputs = (YamlMappingNode)Action["inputs"];
        string Input(string key) => given.TryGetValue(key, out var v) ? v : Has((YamlMappingNode)inputs[key], "default") ? Scalar(inputs, key, "default") : "";
        foreach (var (key, value) in ((YamlMappingNode)step["env"]).Children)
        {
            var text = Expression().Replace(((YamlScalarNode)value).Value!, m => m.Groups["kind"].Value == "inputs"
                ? Input(m.Groups["name"].Value)
                : steps?.GetValueOrDefault(m.Groups["name"].Value) ?? "");
            psi.Environment[((YamlScalarNode)key).Value!] = text;
        }

        psi.Environment["GITHUB_OUTPUT"] = githubOutput;
        psi.Environment["GITHUB_WORKSPACE"] = RepoPaths.Root;
        psi.Environment["PATH"] = tool.ToolPath + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["DOTNET_ROOT"] = Environment.GetEnvironmentVariable("DOTNET_ROOT") ?? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit(120_000).ShouldBeTrue($"step '{name}' did not finish");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    // ${{ inputs.name }} and ${{ steps.id.outputs.exit-code }}
    [GeneratedRegex(@"\$\{\{\s*(?<kind>inputs|steps)\.(?<name>[\w-]+)(\.outputs\.[\w-]+)?\s*\}\}")]
    private static partial Regex Expression();
}
