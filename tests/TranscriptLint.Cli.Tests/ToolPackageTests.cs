using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace TranscriptLint.Tests;

/// <summary>
/// Packs the CLI once per test run (from the build the tests already use, <c>--no-build</c>) and installs it the way
/// the README says, <c>dotnet tool install transcriptlint --add-source FEED</c>, into a temporary tool path.
/// The feed is the only package source, so the install works offline and never sees another transcriptlint.
/// </summary>
public sealed class InstalledTool : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("tl-tool-");

    public InstalledTool()
    {
        var configuration = typeof(InstalledTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        Feed = Path.Combine(_root.FullName, "feed");
        ToolPath = Path.Combine(_root.FullName, "tools");
        var project = Path.Combine(RepoPaths.Root, "src", "TranscriptLint.Cli", "TranscriptLint.Cli.csproj");
        Pack = Dotnet(RepoPaths.Root, "pack", project, "-c", configuration, "--no-build", "--no-restore", "-o", Feed);
        var nugetConfig = Path.Combine(_root.FullName, "nuget.config");
        File.WriteAllText(nugetConfig, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><clear /></packageSources></configuration>\n");
        Install = Dotnet(_root.FullName, "tool", "install", "transcriptlint", "--tool-path", ToolPath, "--add-source", Feed, "--configfile", nugetConfig);
    }

    public string Feed { get; }

    public string ToolPath { get; }

    public (int Exit, string Out, string Err) Pack { get; }

    public (int Exit, string Out, string Err) Install { get; }

    public string Package => Directory.EnumerateFiles(Feed, "transcriptlint.*.nupkg").Single();

    /// <summary>Runs the installed <c>transcriptlint</c> command itself (the tool's apphost), not <c>dotnet transcriptlint.dll</c>.</summary>
    public (int Exit, string Out, string Err) Run(string workingDirectory, params string[] args) =>
        Exec(Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "transcriptlint.exe" : "transcriptlint"), workingDirectory, args);

    public void Dispose() => _root.Delete(recursive: true);

    private static (int Exit, string Out, string Err) Dotnet(string workingDirectory, params string[] args) => Exec("dotnet", workingDirectory, args);

    private static (int Exit, string Out, string Err) Exec(string file, string workingDirectory, string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The tool's apphost looks for the runtime in the standard places or DOTNET_ROOT: point it at the runtime
        // running this test (<root>/shared/Microsoft.NETCore.App/<version>/).
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is null)
        {
            psi.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(180_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>Every test that needs the installed tool shares one pack and install.</summary>
[CollectionDefinition(Name)]
public sealed class InstalledToolCollection : ICollectionFixture<InstalledTool>
{
    public const string Name = "installed transcriptlint tool";
}

[Collection(InstalledToolCollection.Name)]
public sealed class ToolPackageTests(InstalledTool tool)
{
    [Fact]
    public void Dotnet_pack_makes_a_tool_package_that_installs_and_lints_with_its_built_in_rules()
    {
        tool.Pack.Exit.ShouldBe(0, tool.Pack.Out + tool.Pack.Err);
        tool.Install.Exit.ShouldBe(0, tool.Install.Out + tool.Install.Err);
        tool.Install.Out.ShouldContain("transcriptlint");

        var (exit, stdout, stderr) = tool.Run(RepoPaths.Root, "lint", "fixtures/samples");
        exit.ShouldBe(1, stderr);
        stderr.ShouldBeEmpty();
        stdout.ShouldContain("fixtures/samples/b-crash-mid-tool.jsonl(10,339): error TL3001:");
        stdout.TrimEnd().Split('\n')[^1].ShouldStartWith("Found 6 problems");

        var rules = tool.Run(RepoPaths.Root, "rules");
        rules.Exit.ShouldBe(0, rules.Err);
        rules.Out.ShouldContain("TranscriptLint.Rules.Core");
    }

    [Fact]
    public void The_package_carries_the_built_in_rules_readme_and_metadata()
    {
        using var zip = ZipFile.OpenRead(tool.Package);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        names.ShouldContain("tools/net10.0/any/transcriptlint.dll");
        names.ShouldContain("tools/net10.0/any/DotnetToolSettings.xml");
        names.ShouldContain("tools/net10.0/any/plugins/TranscriptLint.Rules.Core/TranscriptLint.Rules.Core.dll");
        names.ShouldContain("README.md");
        names.ShouldNotContain(n => n.StartsWith("tools/net10.0/any/plugins/", StringComparison.Ordinal) && n.EndsWith("TranscriptLint.Abstractions.dll", StringComparison.Ordinal), "the contract comes from the host");

        using var nuspecStream = zip.Entries.Single(e => e.FullName == "transcriptlint.nuspec").Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Meta(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        Meta("id").ShouldBe("transcriptlint");
        Meta("description").ShouldContain("Claude Code");
        Meta("license").ShouldBe("MIT");
        Meta("readme").ShouldBe("README.md");
        Meta("projectUrl").ShouldStartWith("https://");
        metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")!.Value.ShouldStartWith("https://");
        metadata.Elements().Single(e => e.Name.LocalName == "packageTypes").Elements().Single().Attribute("name")!.Value.ShouldBe("DotnetTool");
    }
}
