using System.IO.Compression;
using System.Xml.Linq;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Plugins;

/// <summary>A plugin package that cannot be found, read or installed; the message is one line for the user.</summary>
public sealed class PluginPackageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PluginPackageException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, one line.</param>
    public PluginPackageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, one line.</param>
    /// <param name="innerException">The cause.</param>
    public PluginPackageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A plugin installed in a plugin folder.</summary>
/// <param name="Name">The plugin name: its folder and assembly name.</param>
/// <param name="Folder">The plugin's own folder, <c>&lt;plugins&gt;/&lt;Name&gt;</c>.</param>
/// <param name="PackageId">The NuGet package id it came from, or null when it was not installed from a package.</param>
/// <param name="PackageVersion">The package version, or null.</param>
/// <param name="Rules">The rules it provides, loaded by the host's plugin loader.</param>
/// <param name="Notifications">What loading it reported (load errors, refusals).</param>
public sealed record InstalledPlugin(string Name, string Folder, string? PackageId, string? PackageVersion, IReadOnlyList<LoadedRule> Rules, IReadOnlyList<ToolNotification> Notifications)
{
    /// <summary>The plugin assembly's version (what <c>rules</c> and SARIF show), or null when it provides no rule.</summary>
    public string? AssemblyVersion => Rules.Count == 0 ? null : Rules[0].Rule.GetType().Assembly.GetName().Version?.ToString(3);
}

/// <summary>
/// Installs rule plugins shipped as NuGet packages into a plugin folder. A package is a zip: its <c>.nuspec</c> names
/// the id and version, <c>lib/&lt;tfm&gt;/</c> holds the plugin (the nearest framework this host runs:
/// <c>net10.0</c>, else an older <c>netX.Y</c>, else <c>netstandard2.x</c>). It is unpacked into a temporary folder
/// beside the target, checked (contract version, then loaded by the host's plugin loader, which must find rules) and
/// only then renamed to <c>&lt;plugins&gt;/&lt;Name&gt;/</c>, so a failed install leaves the folder as it was.
/// Packages come from a file or a folder (a plain folder of <c>.nupkg</c> files, or a local feed laid out as
/// <c>&lt;id&gt;/&lt;version&gt;/</c>); network feeds are not read: download the package first.
/// </summary>
public static class PluginPackages
{
    /// <summary>The file, in a plugin's folder, that records the package it was installed from (the package's own nuspec).</summary>
    public const string ManifestSuffix = ".nuspec";

    private const string TempPrefix = ".transcriptlint-";

    /// <summary>Finds a package: a <c>.nupkg</c> path as given, or <paramref name="package"/> as an id in <paramref name="source"/>.</summary>
    /// <param name="package">A <c>.nupkg</c> path, or a package id.</param>
    /// <param name="version">The version wanted; null for the highest release (the highest pre-release when there is no release).</param>
    /// <param name="source">A folder or local feed; required for an id.</param>
    /// <returns>The package file.</returns>
    /// <exception cref="PluginPackageException">Nothing matches.</exception>
    public static string Resolve(string package, string? version, string? source)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (package.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase) || File.Exists(package))
        {
            return File.Exists(package) ? Path.GetFullPath(package) : throw new PluginPackageException($"no such package file: {package}");
        }

        if (source is null)
        {
            throw new PluginPackageException($"{package} is not a .nupkg file; to install it by id, pass --source FOLDER (a folder or local feed holding {package}.<version>.nupkg)");
        }

        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            throw new PluginPackageException($"--source {source}: network feeds are not read; download the package (e.g. `nuget install {package} -Source {source}`, or from the feed's page) and pass the .nupkg or its folder");
        }

        if (!Directory.Exists(source))
        {
            throw new PluginPackageException($"--source: no such folder: {source}");
        }

        var candidates = new List<(NuGetVersion Version, string Path)>();
        foreach (var file in Directory.EnumerateFiles(source, "*.nupkg", SearchOption.AllDirectories))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name.Length > package.Length + 1
                && name.StartsWith(package + ".", StringComparison.OrdinalIgnoreCase)
                && NuGetVersion.TryParse(name[(package.Length + 1)..], out var v))
            {
                candidates.Add((v, file));
            }
        }

        if (version is not null)
        {
            if (!NuGetVersion.TryParse(version, out var wanted))
            {
                throw new PluginPackageException($"--version: '{version}' is not a package version (e.g. 1.2.0)");
            }

            var exact = candidates.Where(c => c.Version.CompareTo(wanted) == 0).Select(c => c.Path).FirstOrDefault();
            return exact ?? throw new PluginPackageException(
                $"no package {package} {version} in {source}" + (candidates.Count == 0 ? "" : $" (it has {string.Join(", ", candidates.OrderBy(c => c.Version).Select(c => c.Version.Text).Distinct())})"));
        }

        return candidates.Count == 0
            ? throw new PluginPackageException($"no package {package} in {source} (looked for {package}.<version>.nupkg, also in <id>/<version>/ folders)")
            : candidates.OrderBy(c => c.Version.Label.Length == 0).ThenBy(c => c.Version).Last().Path; // the highest release; a pre-release only when there is no release
    }

    /// <summary>Installs a package into <paramref name="pluginsFolder"/> (created if missing), replacing an earlier install of it.</summary>
    /// <param name="nupkg">The package file.</param>
    /// <param name="pluginsFolder">The plugin folder (as given to <c>--plugins</c> or the config's <c>plugins</c>).</param>
    /// <returns>The installed plugin and the rules it adds.</returns>
    /// <exception cref="PluginPackageException">The package is not a plugin this host can load; nothing was changed.</exception>
    public static InstalledPlugin Install(string nupkg, string pluginsFolder)
    {
        ArgumentNullException.ThrowIfNull(nupkg);
        ArgumentNullException.ThrowIfNull(pluginsFolder);
        var display = Path.GetFileName(nupkg);
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(nupkg);
        }
        catch (InvalidDataException)
        {
            throw new PluginPackageException($"{display} is not a NuGet package (not a zip file)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PluginPackageException($"cannot read {display}: {ex.Message}");
        }

        using (zip)
        {
            var (id, version) = ReadNuspec(zip, display);
            var (tfm, files) = PickLibFolder(zip, display);
            // The host loads <Name>/<Name>.dll: the assembly named after the package, or the only one in the folder.
            var dlls = files.Where(f => f.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !IsContract(f.Name) && f.FullName.Count(c => c == '/') == 2).ToList();
            var main = dlls.FirstOrDefault(f => string.Equals(Path.GetFileNameWithoutExtension(f.Name), id, StringComparison.OrdinalIgnoreCase))
                ?? (dlls.Count == 1 ? dlls[0] : null)
                ?? throw new PluginPackageException($"{display}: lib/{tfm}/ has no {id}.dll" + (dlls.Count == 0 ? " (no assembly at all)" : $" (it has {string.Join(", ", dlls.Select(d => d.Name))}); the plugin assembly must be named after the package"));
            var name = Path.GetFileNameWithoutExtension(main.Name);

            Directory.CreateDirectory(pluginsFolder);
            RemoveLeftovers(pluginsFolder);
            var staging = Path.Combine(pluginsFolder, TempPrefix + "add-" + Guid.NewGuid().ToString("N")[..12]);
            var staged = Path.Combine(staging, "final", name);
            try
            {
                Extract(files, "lib/" + tfm + "/", staged);
                File.WriteAllText(Path.Combine(staged, id + ManifestSuffix), NuspecText(zip));
                Verify(Path.Combine(staged, name + ".dll"), name);
                // Loaded from a second copy: a loaded assembly stays open (on Windows it could not be renamed).
                Extract(files, "lib/" + tfm + "/", Path.Combine(staging, "check", name));
                var plugin = Load(Path.Combine(staging, "check"), name, display);
                var target = Path.Combine(pluginsFolder, name);
                Replace(staged, target);
                return plugin with { Folder = Path.GetFullPath(target), PackageId = id, PackageVersion = version };
            }
            finally
            {
                TryDelete(staging);
            }
        }
    }

    /// <summary>The plugins of a folder (<c>&lt;Name&gt;/&lt;Name&gt;.dll</c>), each loaded by the host's plugin loader.</summary>
    /// <param name="pluginsFolder">The plugin folder.</param>
    /// <returns>The plugins, by name.</returns>
    public static IReadOnlyList<InstalledPlugin> List(string pluginsFolder)
    {
        if (!Directory.Exists(pluginsFolder))
        {
            throw new PluginPackageException($"no such plugin folder: {pluginsFolder}");
        }

        var plugins = new List<InstalledPlugin>();
        foreach (var folder in Directory.EnumerateDirectories(pluginsFolder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal) || !File.Exists(Path.Combine(folder, name + ".dll")))
            {
                continue;
            }

            var notifications = new List<ToolNotification>();
            var rules = new PluginRuleSource([folder]).LoadRules(notifications);
            var (id, version) = ReadManifest(folder);
            plugins.Add(new InstalledPlugin(name, Path.GetFullPath(folder), id, version, rules, notifications));
        }

        return plugins;
    }

    /// <summary>Removes a plugin's folder from <paramref name="pluginsFolder"/>.</summary>
    /// <param name="name">The plugin name (its folder), or the package id it was installed from.</param>
    /// <param name="pluginsFolder">The plugin folder.</param>
    /// <returns>The removed plugin's folder.</returns>
    public static string Remove(string name, string pluginsFolder)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Directory.Exists(pluginsFolder))
        {
            throw new PluginPackageException($"no such plugin folder: {pluginsFolder}");
        }

        var installed = Directory.EnumerateDirectories(pluginsFolder)
            .Select(f => (Folder: f, Name: Path.GetFileName(f)))
            .Where(f => !f.Name.StartsWith(TempPrefix, StringComparison.Ordinal) && File.Exists(Path.Combine(f.Folder, f.Name + ".dll")))
            .ToList();
        var match = installed.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(ReadManifest(f.Folder).Id, name, StringComparison.OrdinalIgnoreCase));
        if (match.Folder is null)
        {
            throw new PluginPackageException($"no plugin {name} in {pluginsFolder}" + (installed.Count == 0 ? " (it holds none)" : $" (it holds {string.Join(", ", installed.Select(f => f.Name).Order(StringComparer.Ordinal))})"));
        }

        // Renamed aside first, so a half-deleted plugin is never left where the host would load it.
        var aside = Path.Combine(pluginsFolder, TempPrefix + "remove-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.Move(match.Folder, aside);
        TryDelete(aside);
        return Path.GetFullPath(match.Folder);
    }

    private static bool IsContract(string fileName) =>
        string.Equals(Path.GetFileNameWithoutExtension(fileName), PluginRuleSource.ContractAssemblyName, StringComparison.OrdinalIgnoreCase);

    private static (string Id, string Version) ReadNuspec(ZipArchive zip, string display)
    {
        var metadata = NuspecMetadata(zip, display);
        var id = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "id")?.Value.Trim();
        var version = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "version")?.Value.Trim();
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(version))
        {
            throw new PluginPackageException($"{display}: its .nuspec names no id or version");
        }

        if (id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id.Contains("..", StringComparison.Ordinal))
        {
            throw new PluginPackageException($"{display}: package id '{id}' cannot be a folder name");
        }

        return (id, version);
    }

    private static XElement NuspecMetadata(ZipArchive zip, string display)
    {
        var text = NuspecText(zip, display);
        try
        {
            return XDocument.Parse(text).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata")
                ?? throw new PluginPackageException($"{display}: its .nuspec has no <metadata>");
        }
        catch (System.Xml.XmlException ex)
        {
            throw new PluginPackageException($"{display}: its .nuspec is not valid XML ({ex.Message})");
        }
    }

    private static string NuspecText(ZipArchive zip, string? display = null)
    {
        var entry = zip.Entries.FirstOrDefault(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.Name.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
            ?? throw new PluginPackageException($"{display}: no .nuspec at its root, so it is not a NuGet package");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static (string? Id, string? Version) ReadManifest(string folder)
    {
        var nuspec = Directory.EnumerateFiles(folder, "*" + ManifestSuffix).FirstOrDefault();
        if (nuspec is null)
        {
            return (null, null);
        }

        try
        {
            var metadata = XDocument.Load(nuspec).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
            return (metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "id")?.Value.Trim(), metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "version")?.Value.Trim());
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or IOException)
        {
            return (null, null);
        }
    }

    /// <summary>The lib folder for the nearest framework this host runs, and its entries.</summary>
    private static (string Tfm, List<ZipArchiveEntry> Files) PickLibFolder(ZipArchive zip, string display)
    {
        var byTfm = zip.Entries
            .Where(e => e.FullName.StartsWith("lib/", StringComparison.OrdinalIgnoreCase) && e.Name.Length > 0)
            .Select(e => (Entry: e, Parts: e.FullName.Split('/')))
            .Where(x => x.Parts.Length >= 3)
            .GroupBy(x => x.Parts[1], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Entry).ToList(), StringComparer.OrdinalIgnoreCase);
        if (byTfm.Count == 0)
        {
            throw new PluginPackageException($"{display} has no lib/ folder, so it holds no plugin (a plugin package carries its assembly in lib/net10.0/)");
        }

        var best = byTfm.Keys.Select(t => (Tfm: t, Rank: Rank(t))).Where(t => t.Rank is not null).OrderByDescending(t => t.Rank).FirstOrDefault();
        return best.Tfm is null
            ? throw new PluginPackageException($"{display} has no assembly this transcriptlint can load (lib/ has {string.Join(", ", byTfm.Keys.Order(StringComparer.Ordinal))}; it runs net{Environment.Version.Major}.{Environment.Version.Minor})")
            : (best.Tfm, byTfm[best.Tfm]);
    }

    // net10.0 > net9.0 > … > netcoreapp3.1 > netstandard2.1 > netstandard2.0; null for what this runtime cannot load
    // (a newer netX.Y, a platform-specific or .NET Framework folder).
    private static Version? Rank(string tfm)
    {
        var t = tfm.ToLowerInvariant();
        var runtime = new Version(Environment.Version.Major, Environment.Version.Minor);
        if (t.StartsWith("netstandard", StringComparison.Ordinal))
        {
            return Version.TryParse(t["netstandard".Length..], out var s) && s.Major == 2 ? new Version(0, s.Minor) : null;
        }

        var digits = t.StartsWith("netcoreapp", StringComparison.Ordinal) ? t["netcoreapp".Length..] : t.StartsWith("net", StringComparison.Ordinal) ? t["net".Length..] : null;
        return digits is not null && digits.Contains('.', StringComparison.Ordinal) && Version.TryParse(digits, out var v) && v <= runtime && v.Major >= 3
            ? new Version(v.Major, v.Minor)
            : null;
    }

    private static void Extract(List<ZipArchiveEntry> files, string prefix, string destination)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        foreach (var entry in files)
        {
            var relative = Uri.UnescapeDataString(entry.FullName[prefix.Length..]);
            if (IsContract(entry.Name) && !relative.Contains('/', StringComparison.Ordinal))
            {
                continue; // the host's copy of the contract is used; a plugin folder never carries its own
            }

            var path = Path.GetFullPath(Path.Combine(destination, relative));
            if (!path.StartsWith(root, StringComparison.Ordinal))
            {
                throw new PluginPackageException($"package entry {entry.FullName} points outside the plugin folder; refused");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            entry.ExtractToFile(path, overwrite: true);
        }
    }

    private static void Verify(string dll, string name)
    {
        Version? contract;
        try
        {
            contract = PluginRuleSource.ReadContractReference(dll);
        }
        catch (Exception ex) when (ex is BadImageFormatException or InvalidOperationException)
        {
            throw new PluginPackageException($"{name}.dll is not a .NET assembly ({ex.Message.ReplaceLineEndings(" ").TrimEnd('.')})");
        }

        if (contract is null)
        {
            throw new PluginPackageException($"{name}.dll does not reference {PluginRuleSource.ContractAssemblyName}, so it is not a rule plugin");
        }

        if (PluginRuleSource.ContractRefusal(name, contract) is { } refusal)
        {
            throw new PluginPackageException(refusal.TrimEnd('.'));
        }
    }

    private static InstalledPlugin Load(string staging, string name, string display)
    {
        var notifications = new List<ToolNotification>();
        var rules = new PluginRuleSource([staging]).LoadRules(notifications);
        if (notifications.FirstOrDefault(n => n.Level == "error") is { } error)
        {
            throw new PluginPackageException(error.Message.TrimEnd('.'));
        }

        if (rules.Count == 0)
        {
            throw new PluginPackageException($"{display}: {name}.dll loads but holds no rule (a public, non-abstract TranscriptRule with a parameterless constructor)");
        }

        return new InstalledPlugin(name, staging, null, null, rules, notifications);
    }

    // The old install is renamed aside, the new one renamed in, then the old one deleted: the host sees either the
    // old plugin or the new one, never a mixture.
    private static void Replace(string staged, string target)
    {
        string? aside = null;
        if (Directory.Exists(target))
        {
            aside = Path.Combine(Path.GetDirectoryName(target)!, TempPrefix + "old-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.Move(target, aside);
        }

        try
        {
            Directory.Move(staged, target);
        }
        catch
        {
            if (aside is not null)
            {
                Directory.Move(aside, target);
            }

            throw;
        }

        if (aside is not null)
        {
            TryDelete(aside);
        }
    }

    // Working folders an interrupted add or remove left behind (or a loaded copy Windows would not let go of).
    private static void RemoveLeftovers(string pluginsFolder)
    {
        foreach (var folder in Directory.EnumerateDirectories(pluginsFolder, TempPrefix + "*"))
        {
            TryDelete(folder);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still open (Windows) keeps a temporary folder; the host skips folders with this prefix.
        }
    }

    /// <summary>A package version: numeric parts, then an optional pre-release label (sorted before the release).</summary>
    private sealed record NuGetVersion(Version Numbers, string Label, string Text) : IComparable<NuGetVersion>
    {
        public static bool TryParse(string text, out NuGetVersion version)
        {
            version = null!;
            var plus = text.IndexOf('+', StringComparison.Ordinal);
            var core = plus >= 0 ? text[..plus] : text;
            var dash = core.IndexOf('-', StringComparison.Ordinal);
            var numbers = dash >= 0 ? core[..dash] : core;
            if (numbers.Length == 0 || !char.IsAsciiDigit(numbers[0]) || !Version.TryParse(numbers.Contains('.', StringComparison.Ordinal) ? numbers : numbers + ".0", out var v))
            {
                return false;
            }

            version = new NuGetVersion(new Version(v.Major, v.Minor, Math.Max(v.Build, 0), Math.Max(v.Revision, 0)), dash >= 0 ? core[(dash + 1)..] : "", text);
            return true;
        }

        public int CompareTo(NuGetVersion? other)
        {
            if (other is null)
            {
                return 1;
            }

            var c = Numbers.CompareTo(other.Numbers);
            if (c != 0)
            {
                return c;
            }

            return (Label.Length == 0, other.Label.Length == 0) switch
            {
                (true, true) => 0,
                (true, false) => 1,
                (false, true) => -1,
                _ => string.Compare(Label, other.Label, StringComparison.OrdinalIgnoreCase),
            };
        }

        public override string ToString() => Text;
    }
}
