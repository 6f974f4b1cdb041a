using System.IO.Compression;
using TranscriptLint.Cli;
using static TranscriptLint.Tests.PluginCompiler;

namespace TranscriptLint.Tests;

/// <summary>
/// <c>transcriptlint plugin add|list|remove</c>: a plugin shipped as a NuGet package, installed into a plugin folder
/// from a file or a folder source, then listed by <c>rules</c> with its name and version. Bad packages give one line
/// and exit code 2, and leave the plugin folder as it was.
/// </summary>
public sealed class PluginPackageTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Builds <c>&lt;id&gt;.&lt;version&gt;.nupkg</c> as <c>dotnet pack</c> lays one out: a nuspec and lib/&lt;tfm&gt;/.</summary>
    private string Package(string id, string version, string? ruleId = null, string tfm = "net10.0", string? contract = null, bool withLib = true)
    {
        var build = Directory.CreateDirectory(_temp.Combine("build", id + "." + version)).FullName;
        var rule = Source(Rule("PackagedRule", ruleId ?? "CTP1001", ""));
        var at = rule.IndexOf("public sealed class", StringComparison.Ordinal);
        var source = rule[..at] + $"[assembly: System.Reflection.AssemblyVersion(\"{version.Split('-')[0]}\")]\n" + rule[at..];
        var dll = Compile(Path.Combine(build, id + ".dll"), id, source, [contract ?? ContractPath]);
        var feed = Directory.CreateDirectory(_temp.Combine("feed")).FullName;
        var nupkg = Path.Combine(feed, $"{id}.{version}.nupkg");
        using (var zip = ZipFile.Open(nupkg, ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(zip.CreateEntry(id + ".nuspec").Open()))
            {
                writer.Write($"""
                    <?xml version="1.0" encoding="utf-8"?>
                    <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                      <metadata><id>{id}</id><version>{version}</version><authors>Contoso</authors><description>Rules.</description></metadata>
                    </package>
                    """);
            }

            if (withLib)
            {
                zip.CreateEntryFromFile(dll, $"lib/{tfm}/{id}.dll");
                // A package made without ExcludeAssets="runtime" carries the contract: the host's copy is used instead.
                zip.CreateEntryFromFile(ContractPath, $"lib/{tfm}/TranscriptLint.Abstractions.dll");
            }
            else
            {
                zip.CreateEntry("content/readme.txt");
            }
        }

        return nupkg;
    }

    private string Plugins => _temp.Combine("plugins");

    [Fact]
    public void A_package_from_a_folder_source_is_installed_and_rules_lists_it_with_name_and_version()
    {
        Package("Contoso.Packaged", "1.0.0");
        Package("Contoso.Packaged", "1.2.0");
        Package("Contoso.Packaged", "2.0.0-beta.1");

        var (exit, output, error) = Run("plugin", "add", "Contoso.Packaged", "--source", _temp.Combine("feed"), "--plugins", Plugins);

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        output.ShouldStartWith($"Installed Contoso.Packaged 1.2.0 into {Path.Combine(Plugins, "Contoso.Packaged")}: 1 rule(s).\n  CTP1001 ");
        File.Exists(Path.Combine(Plugins, "Contoso.Packaged", "Contoso.Packaged.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(Plugins, "Contoso.Packaged", "TranscriptLint.Abstractions.dll")).ShouldBeFalse("the host's contract is used, never a plugin's copy");
        Directory.GetDirectories(Plugins).Select(Path.GetFileName).ShouldBe(["Contoso.Packaged"]); // no staging folder left

        var rules = Run("rules", "--plugins", Plugins);
        rules.Exit.ShouldBe(0);
        rules.Out.Split('\n').Single(l => l.StartsWith("CTP1001 ", StringComparison.Ordinal)).ShouldMatch(@" Contoso\.Packaged 1\.2\.0 +Test rule CTP1001$");

        var list = Run("plugin", "list", "--plugins", Plugins);
        list.Exit.ShouldBe(0);
        list.Out.ShouldContain("\nContoso.Packaged                 1.2.0        1.2.0      CTP1001\n");
    }

    [Fact]
    public void A_version_or_a_nupkg_path_picks_the_package_and_a_second_add_replaces_the_first()
    {
        var older = Package("Contoso.Packaged", "1.0.0");
        Package("Contoso.Packaged", "1.2.0");

        Run("plugin", "add", "Contoso.Packaged", "--version", "1.0.0", "--source", _temp.Combine("feed"), "--plugins", Plugins).Out.ShouldStartWith("Installed Contoso.Packaged 1.0.0 ");
        Run("plugin", "add", older, "--plugins", Plugins).Exit.ShouldBe(0);
        var upgraded = Run("plugin", "add", "Contoso.Packaged", "--source", _temp.Combine("feed"), "--plugins", Plugins);

        upgraded.Exit.ShouldBe(0);
        Run("plugin", "list", "--plugins", Plugins).Out.ShouldContain("Contoso.Packaged                 1.2.0 ");
        Directory.GetDirectories(Plugins).Select(Path.GetFileName).ShouldBe(["Contoso.Packaged"]);

        var missing = Run("plugin", "add", "Contoso.Packaged", "--version", "9.9.9", "--source", _temp.Combine("feed"), "--plugins", Plugins);
        missing.Exit.ShouldBe(2);
        missing.Err.ShouldBe($"transcriptlint: error: plugin add: no package Contoso.Packaged 9.9.9 in {_temp.Combine("feed")} (it has 1.0.0, 1.2.0)\n");
    }

    [Fact]
    public void Remove_deletes_the_plugin_folder_and_rules_no_longer_lists_it()
    {
        Run("plugin", "add", Package("Contoso.Packaged", "1.0.0"), "--plugins", Plugins).Exit.ShouldBe(0);

        var (exit, output, _) = Run("plugin", "remove", "contoso.packaged", "--plugins", Plugins);

        exit.ShouldBe(0);
        output.ShouldBe($"Removed {Path.Combine(Plugins, "Contoso.Packaged")}.\n");
        Directory.GetDirectories(Plugins).ShouldBeEmpty();
        Run("rules", "--plugins", Plugins).Out.ShouldNotContain("CTP1001");
        var again = Run("plugin", "remove", "Contoso.Packaged", "--plugins", Plugins);
        again.Exit.ShouldBe(2);
        again.Err.ShouldBe($"transcriptlint: error: plugin remove: no plugin Contoso.Packaged in {Plugins} (it holds none)\n");
    }

    [Fact]
    public void Bad_packages_give_one_line_exit_2_and_leave_the_plugin_folder_unchanged()
    {
        var notZip = _temp.Write("feed/Broken.1.0.0.nupkg", "this is not a zip");
        var noLib = Package("Contoso.NoLib", "1.0.0", withLib: false);
        var wrongFramework = Package("Contoso.Framework", "1.0.0", tfm: "net48");
        // The contract at a newer minor: a plugin built against it may call members this host lacks.
        Directory.CreateDirectory(_temp.Combine("future"));
        var future = Compile(
            _temp.Combine("future", "TranscriptLint.Abstractions.dll"),
            "TranscriptLint.Abstractions",
            """
            [assembly: System.Reflection.AssemblyVersion("1.9.0.0")]
            namespace TranscriptLint { public abstract class TranscriptRule { public abstract void Initialize(object context); } }
            """,
            []);
        var build = Directory.CreateDirectory(_temp.Combine("build", "future")).FullName;
        var futureDll = Compile(Path.Combine(build, "Contoso.Future.dll"), "Contoso.Future", "public sealed class FutureRule : TranscriptLint.TranscriptRule { public override void Initialize(object context) { } }", [future]);
        var newer = _temp.Combine("feed", "Contoso.Future.1.0.0.nupkg");
        using (var zip = ZipFile.Open(newer, ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(zip.CreateEntry("Contoso.Future.nuspec").Open()))
            {
                writer.Write("<package><metadata><id>Contoso.Future</id><version>1.0.0</version></metadata></package>");
            }

            zip.CreateEntryFromFile(futureDll, "lib/net10.0/Contoso.Future.dll");
        }

        Run("plugin", "add", Package("Contoso.Packaged", "1.0.0"), "--plugins", Plugins).Exit.ShouldBe(0);
        var before = Directory.GetFileSystemEntries(Plugins, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        (string[] Args, string Error)[] cases =
        [
            (["plugin", "add", _temp.Combine("feed", "Missing.1.0.0.nupkg")], $"no such package file: {_temp.Combine("feed", "Missing.1.0.0.nupkg")}"),
            (["plugin", "add", "Contoso.Missing", "--source", _temp.Combine("feed")], $"no package Contoso.Missing in {_temp.Combine("feed")} (looked for Contoso.Missing.<version>.nupkg, also in <id>/<version>/ folders)"),
            (["plugin", "add", "Contoso.Packaged"], "Contoso.Packaged is not a .nupkg file; to install it by id, pass --source FOLDER (a folder or local feed holding Contoso.Packaged.<version>.nupkg)"),
            (["plugin", "add", "Contoso.Packaged", "--source", "https://api.nuget.org/v3/index.json"], "--source https://api.nuget.org/v3/index.json: network feeds are not read; download the package (e.g. `nuget install Contoso.Packaged -Source https://api.nuget.org/v3/index.json`, or from the feed's page) and pass the .nupkg or its folder"),
            (["plugin", "add", notZip], "Broken.1.0.0.nupkg is not a NuGet package (not a zip file)"),
            (["plugin", "add", noLib], "Contoso.NoLib.1.0.0.nupkg has no lib/ folder, so it holds no plugin (a plugin package carries its assembly in lib/net10.0/)"),
            (["plugin", "add", wrongFramework], $"Contoso.Framework.1.0.0.nupkg has no assembly this transcriptlint can load (lib/ has net48; it runs net{Environment.Version.Major}.{Environment.Version.Minor})"),
            (["plugin", "add", newer], "Plugin Contoso.Future was built against TranscriptLint.Abstractions 1.9.0.0, newer than the 1.1.0.0 this transcriptlint provides, so it was refused. Update transcriptlint (dotnet tool update -g transcriptlint), or rebuild the plugin against contract 1.1"),
        ];
        foreach (var (args, expected) in cases)
        {
            var (exit, output, error) = Run([.. args, "--plugins", Plugins]);
            exit.ShouldBe(2, string.Join(' ', args));
            output.ShouldBeEmpty();
            error.ShouldBe($"transcriptlint: error: plugin add: {expected}\n");
        }

        Directory.GetFileSystemEntries(Plugins, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ShouldBe(before);
    }

    [Fact]
    public void Without_plugins_the_configs_first_plugin_folder_is_used_and_without_either_it_is_a_usage_error()
    {
        // In a process of its own: the config is searched from the working directory.
        var nupkg = Package("Contoso.Packaged", "1.0.0");
        Directory.CreateDirectory(Plugins);
        var project = Directory.CreateDirectory(_temp.Combine("project")).FullName;

        var none = CliProcess.RunIn(project, "plugin", "add", nupkg);
        none.Exit.ShouldBe(2);
        none.Err.Trim().ShouldBe("transcriptlint: error: no plugin folder: pass --plugins DIR, or name one in .transcriptlint.json (\"plugins\": [\"tools/transcriptlint-plugins\"])");

        File.WriteAllText(Path.Combine(project, ".transcriptlint.json"), """{ "plugins": ["../plugins"] }""");
        CliProcess.RunIn(project, "plugin", "add", nupkg).Exit.ShouldBe(0);
        File.Exists(Path.Combine(Plugins, "Contoso.Packaged", "Contoso.Packaged.dll")).ShouldBeTrue();
        CliProcess.RunIn(project, "rules").Out.ShouldContain(" Contoso.Packaged 1.0.0 ");
    }
}
