using System.Diagnostics;
using System.Reflection;

namespace TranscriptLint.Tests;

/// <summary>Runs only when <c>TL_TEMPLATE_TEST=1</c> (<c>.ci/run</c> sets it): it packs, restores and builds for minutes.</summary>
public sealed class TemplateFactAttribute : FactAttribute
{
    public TemplateFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TL_TEMPLATE_TEST") != "1")
        {
            Skip = "set TL_TEMPLATE_TEST=1 to run the dotnet new template end to end (.ci/run does)";
        }
    }
}

/// <summary>
/// The rule author's path outside this repository: pack TranscriptLint.Abstractions and TranscriptLint.Testing into a
/// local feed, install the template, <c>dotnet new transcriptlint-rule</c> in a temp folder and <c>dotnet test</c> the
/// result against that feed only (NuGet's cache stands in for nuget.org for xunit; a fresh packages folder makes
/// sure the just-packed TranscriptLint packages are the ones used).
/// </summary>
public sealed class RuleTemplateTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("tl-template-");

    public void Dispose() => _root.Delete(recursive: true);

    [TemplateFact]
    public void Dotnet_new_gives_a_rule_and_tests_that_pass_against_the_packages()
    {
        var feed = Pack();
        var generated = New("Contoso.TranscriptRules", "cts");

        File.Exists(Path.Combine(generated, "Contoso.TranscriptRules", "CtsRuleIds.cs")).ShouldBeTrue();
        File.Exists(Path.Combine(generated, "Contoso.TranscriptRules", "docs", "CTS1001.md")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(generated, "Contoso.TranscriptRules", "CtsRuleIds.cs")).ShouldContain("public const string InternalHostnameInText = \"CTS1001\";");
        Directory.EnumerateFiles(generated, "*", SearchOption.AllDirectories).ShouldNotContain(f => f.Contains("Acme", StringComparison.Ordinal) || f.Contains("ACME", StringComparison.Ordinal));

        var watch = Stopwatch.StartNew();
        var test = Dotnet(generated, Environment(feed), "test", "Contoso.TranscriptRules.Tests");
        watch.Stop();
        test.Exit.ShouldBe(0, test.Out + test.Err);
        test.Out.ShouldContain("Passed!");
        Console.WriteLine($"dotnet test of the generated projects: {watch.Elapsed.TotalSeconds:F0} s");

        // The generated plugin project packs as a plugin package that `transcriptlint plugin add` installs.
        var packages = Path.Combine(_root.FullName, "plugin-packages");
        var pack = Dotnet(generated, Environment(feed), "pack", "Contoso.TranscriptRules", "-c", "Release", "-o", packages);
        pack.Exit.ShouldBe(0, pack.Out + pack.Err);
        var plugins = Path.Combine(_root.FullName, "plugins");
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        TranscriptLint.Cli.CliApp.Run(["plugin", "add", "Contoso.TranscriptRules", "--source", packages, "--plugins", plugins], stdout, stderr).ShouldBe(0, stderr.ToString());
        stdout.ToString().ShouldStartWith("Installed Contoso.TranscriptRules 1.0.0 ");
        stdout.ToString().ShouldContain("  CTS1002  force-push-in-tool-call ");
        File.Exists(Path.Combine(plugins, "Contoso.TranscriptRules", "TranscriptLint.Abstractions.dll")).ShouldBeFalse();
    }

    [TemplateFact]
    public void A_prefix_that_is_not_letters_fails_the_build_with_one_clear_line()
    {
        var feed = Pack();
        var generated = New("Bad.TranscriptRules", "c1s");

        var build = Dotnet(generated, Environment(feed), "build", "Bad.TranscriptRules");
        build.Exit.ShouldNotBe(0);
        (build.Out + build.Err).ShouldContain("The rule id prefix 'C1S' must be 2-8 letters A-Z");
    }

    private string Pack()
    {
        var configuration = typeof(RuleTemplateTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var feed = Path.Combine(_root.FullName, "feed");
        foreach (var project in new[] { "TranscriptLint.Abstractions", "TranscriptLint.Testing" })
        {
            var pack = Dotnet(RepoPaths.Root, NoEnvironment, "pack", Path.Combine(RepoPaths.Root, "src", project, project + ".csproj"), "-c", configuration, "-o", feed);
            pack.Exit.ShouldBe(0, pack.Out + pack.Err);
        }

        File.WriteAllText(Path.Combine(_root.FullName, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="cache" value="{GlobalPackages()}" />
              </packageSources>
            </configuration>
            """);
        return feed;
    }

    private string New(string name, string prefix)
    {
        var hive = Path.Combine(_root.FullName, "hive");
        var install = Dotnet(_root.FullName, NoEnvironment, "new", "install", Path.Combine(RepoPaths.Root, "rules", "samples"), "--debug:custom-hive", hive);
        install.Exit.ShouldBe(0, install.Out + install.Err);
        var created = Dotnet(_root.FullName, NoEnvironment, "new", "transcriptlint-rule", "-n", name, "--prefix", prefix, "--debug:custom-hive", hive);
        created.Exit.ShouldBe(0, created.Out + created.Err);
        return Path.Combine(_root.FullName, name);
    }

    private static readonly Dictionary<string, string> NoEnvironment = [];

    private Dictionary<string, string> Environment(string feed) => new()
    {
        ["NUGET_PACKAGES"] = Path.Combine(_root.FullName, "packages"),
    };

    private static string GlobalPackages() =>
        System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static (int Exit, string Out, string Err) Dotnet(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(600_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
