using System.CommandLine;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Engine.Plugins;

namespace TranscriptLint.Cli.Commands;

/// <summary>
/// <c>transcriptlint plugin add|list|remove</c>: installs rule plugins shipped as NuGet packages into a plugin folder
/// (the one <c>--plugins</c> or the config's <c>plugins</c> names), lists and removes them. See docs/plugins.md.
/// </summary>
public static class PluginCommand
{
    public const string Details =
        "A plugin package is a .nupkg whose lib/net10.0/ (or the nearest older framework) holds the plugin:\n" +
        "`dotnet pack` of a project made by `dotnet new transcriptlint-rule` gives one. `plugin add` unpacks it into\n" +
        "DIR/<Name>/, checks the contract version it was built against, loads it as lint does and prints its rules;\n" +
        "a package that fails any check leaves DIR unchanged. DIR is --plugins, else the first `plugins` folder of\n" +
        ".transcriptlint.json (searched from the working directory). Packages come from a .nupkg path or, by id,\n" +
        "from --source: a folder or local feed (<id>.<version>.nupkg, or <id>/<version>/ folders). Network feeds\n" +
        "(https://…) are not read: download the .nupkg first. Package dependencies are not installed: a plugin\n" +
        "carries what it needs in its lib folder.\n" +
        "\n" +
        "Exit codes: 0 done; 2 the package or folder was not found, is not a loadable plugin, or was refused.";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("plugin", "Install, list and remove rule plugins shipped as NuGet packages (in a plugin folder).");
        command.Subcommands.Add(Add(stdout, stderr));
        command.Subcommands.Add(List(stdout, stderr));
        command.Subcommands.Add(Remove(stdout, stderr));
        return command;
    }

    private static Option<string?> PluginsOption() => new("--plugins")
    {
        Description = "The plugin folder (created if missing). Default: the first `plugins` folder of .transcriptlint.json.",
        HelpName = "DIR",
    };

    private static Command Add(TextWriter stdout, TextWriter stderr)
    {
        var package = new Argument<string>("package") { Description = "A .nupkg file, or a package id to find in --source." };
        var version = new Option<string?>("--version") { Description = "The package version to install (default: the highest release in --source; a pre-release only when there is no release).", HelpName = "VERSION" };
        var source = new Option<string?>("--source") { Description = "A folder or local NuGet feed holding <id>.<version>.nupkg. Network feeds are not read.", HelpName = "FOLDER" };
        var plugins = PluginsOption();
        var command = new Command("add", "Install a plugin package into the plugin folder, check it loads, and print the rules it adds.")
        {
            package, version, source, plugins,
        };
        command.SetAction(parse => Guard(stderr, "plugin add", () =>
        {
            var folder = PluginFolder(parse.GetValue(plugins));
            var file = PluginPackages.Resolve(parse.GetValue(package)!, parse.GetValue(version), parse.GetValue(source));
            var installed = PluginPackages.Install(file, folder);
            var rules = installed.Rules.SelectMany(r => r.Rule.SupportedDescriptors).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
            stdout.WriteLine($"Installed {installed.PackageId} {installed.PackageVersion} into {installed.Folder}: {rules.Count} rule(s).");
            foreach (var d in rules)
            {
                stdout.WriteLine($"  {d.Id,-8} {d.Name,-36} {d.Title}");
            }

            stdout.WriteLine($"Load it with --plugins {folder}, or \"plugins\": [\"{folder.Replace("\\", "/", StringComparison.Ordinal)}\"] in .transcriptlint.json.");
            return ExitCodes.Clean;
        }));
        return command;
    }

    private static Command List(TextWriter stdout, TextWriter stderr)
    {
        var plugins = PluginsOption();
        var command = new Command("list", "List the plugins of the plugin folder: name, package version, assembly version and rule ids.")
        {
            plugins,
        };
        command.SetAction(parse => Guard(stderr, "plugin list", () =>
        {
            var folder = PluginFolder(parse.GetValue(plugins));
            var installed = PluginPackages.List(folder);
            stdout.WriteLine($"{"NAME",-32} {"PACKAGE",-12} {"ASSEMBLY",-10} RULES");
            foreach (var p in installed)
            {
                var ids = p.Rules.SelectMany(r => r.Rule.SupportedDescriptors).Select(d => d.Id).Order(StringComparer.Ordinal).ToList();
                var problem = p.Notifications.FirstOrDefault(n => n.Level == "error")?.Message;
                stdout.WriteLine($"{p.Name,-32} {p.PackageVersion ?? "-",-12} {p.AssemblyVersion ?? "-",-10} {(problem is null ? string.Join(", ", ids) : "not loaded: " + problem)}");
            }

            stdout.WriteLine($"{installed.Count} plugin(s) in {folder}.");
            return ExitCodes.Clean;
        }));
        return command;
    }

    private static Command Remove(TextWriter stdout, TextWriter stderr)
    {
        var name = new Argument<string>("name") { Description = "The plugin's name (its folder) or the package id it was installed from." };
        var plugins = PluginsOption();
        var command = new Command("remove", "Remove a plugin from the plugin folder.")
        {
            name, plugins,
        };
        command.SetAction(parse => Guard(stderr, "plugin remove", () =>
        {
            var removed = PluginPackages.Remove(parse.GetValue(name)!, PluginFolder(parse.GetValue(plugins)));
            stdout.WriteLine($"Removed {removed}.");
            return ExitCodes.Clean;
        }));
        return command;
    }

    private static string PluginFolder(string? option)
    {
        if (option is not null)
        {
            return Path.GetFullPath(option);
        }

        var configPath = ConfigFile.Find(Directory.GetCurrentDirectory());
        var config = configPath is null ? null : LintRun.Guard(() => ConfigFile.Load(configPath));
        return config?.Plugins.FirstOrDefault()
            ?? throw new UsageException("no plugin folder: pass --plugins DIR, or name one in .transcriptlint.json (\"plugins\": [\"tools/transcriptlint-plugins\"])");
    }

    private static int Guard(TextWriter stderr, string what, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (PluginPackageException ex)
        {
            stderr.WriteLine($"transcriptlint: error: {what}: {ex.Message}");
            return ExitCodes.UsageOrInput;
        }
    }
}
