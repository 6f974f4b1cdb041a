using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using McMaster.NETCore.Plugins.Loader;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Plugins;

/// <summary>
/// Loads rules from plugin folders: each plugin is <c>&lt;folder&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c>, loaded into its own
/// load context with McMaster.NETCore.Plugins. Only the TranscriptLint.Abstractions assembly is shared with the
/// host, so a plugin may carry its own versions of anything else. A plugin built against another major version
/// of the contract, or a newer minor, is refused before it is loaded; a plugin that fails to load is reported and skipped; two rules
/// declaring one id are reported by name and only the first loaded is kept. Nothing here stops the run.
/// </summary>
public sealed class PluginRuleSource : IRuleSource
{
    /// <summary>The assembly name of the plugin contract.</summary>
    public const string ContractAssemblyName = "TranscriptLint.Abstractions";

    // One load context per plugin file per process: loading the same folder again (a second config, `rules`
    // after `lint` in tests) reuses it instead of creating another copy of every type.
    private static readonly ConcurrentDictionary<string, Lazy<LoadedPlugin>> Cache = new(StringComparer.Ordinal);

    private readonly List<string> _folders;

    /// <summary>Creates a source over plugin folders, searched in order (earlier folders win duplicate ids).</summary>
    /// <param name="folders">Folders holding <c>&lt;Name&gt;/&lt;Name&gt;.dll</c>, or a single plugin's own folder.</param>
    public PluginRuleSource(IEnumerable<string> folders)
    {
        _folders = [];
        foreach (var folder in folders)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
            if (!_folders.Contains(full, StringComparer.Ordinal))
            {
                _folders.Add(full);
            }
        }
    }

    /// <summary>The folder of built-in plugins: <c>plugins/</c> beside the running executable.</summary>
    public static string BuiltInFolder => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>The contract version this host implements (TranscriptLint.Abstractions' assembly version).</summary>
    public static Version ContractVersion { get; } = typeof(TranscriptRule).Assembly.GetName().Version ?? new Version(1, 0, 0, 0);

    /// <summary>The folders searched, full paths, in order.</summary>
    public IReadOnlyList<string> Folders => _folders;

    /// <inheritdoc/>
    public IReadOnlyList<LoadedRule> LoadRules(ICollection<ToolNotification> notifications)
    {
        var rules = new List<LoadedRule>();
        foreach (var folder in _folders)
        {
            if (!Directory.Exists(folder))
            {
                notifications.Add(new ToolNotification("error", $"Plugin folder {folder} does not exist; no rules loaded from it."));
                continue;
            }

            foreach (var dll in DiscoverPlugins(folder, notifications))
            {
                var plugin = Cache.GetOrAdd(dll, path => new Lazy<LoadedPlugin>(() => LoadPlugin(path))).Value;
                foreach (var n in plugin.Notifications)
                {
                    notifications.Add(n);
                }

                rules.AddRange(plugin.Rules);
            }
        }

        return RemoveDuplicateIds(rules, notifications);
    }

    /// <summary>
    /// Keeps the first rule that declares each id; a later rule that declares an id already taken is reported
    /// with both sources and skipped as a whole.
    /// </summary>
    /// <param name="rules">Rules in load order.</param>
    /// <param name="notifications">Receives one error per conflict.</param>
    /// <returns>The rules kept.</returns>
    public static IReadOnlyList<LoadedRule> RemoveDuplicateIds(IReadOnlyList<LoadedRule> rules, ICollection<ToolNotification> notifications)
    {
        var owners = new Dictionary<string, LoadedRule>(StringComparer.Ordinal);
        var kept = new List<LoadedRule>();
        foreach (var loaded in rules)
        {
            IReadOnlyList<RuleDescriptor> descriptors;
            try
            {
                descriptors = loaded.Rule.SupportedDescriptors;
            }
            catch (Exception ex)
            {
                notifications.Add(new ToolNotification("error", $"{loaded.Source}: rule {loaded.Rule.GetType().FullName} threw from SupportedDescriptors ({ExceptionText.OneLine(ex)}); skipped."));
                continue;
            }

            var clash = descriptors.Select(d => d.Id).FirstOrDefault(owners.ContainsKey);
            if (clash is not null)
            {
                var first = owners[clash];
                notifications.Add(new ToolNotification(
                    "error",
                    $"Rule id {clash} is declared by two plugins: {Describe(first, loaded)} and {Describe(loaded, first)}. Only the first is loaded; rename the id in one of them.",
                    clash));
                continue;
            }

            foreach (var d in descriptors)
            {
                owners[d.Id] = loaded;
            }

            kept.Add(loaded);
        }

        return kept;
    }

    /// <summary>Whether <paramref name="dll"/> is the built-in rules assembly shipped in <see cref="BuiltInFolder"/>.</summary>
    /// <param name="dll">A plugin's main assembly, full path.</param>
    /// <returns>True for <c>plugins/TranscriptLint.Rules.Core/TranscriptLint.Rules.Core.dll</c> beside the host.</returns>
    internal static bool IsBuiltInRules(string dll) => string.Equals(
        dll,
        Path.Combine(BuiltInFolder, BuiltInRulesName, BuiltInRulesName + ".dll"),
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private const string BuiltInRulesName = "TranscriptLint.Rules.Core";

    /// <summary>Reads which version of the contract an assembly was compiled against, without loading it.</summary>
    /// <param name="assemblyPath">The plugin assembly.</param>
    /// <returns>The referenced contract version, or null when the assembly does not reference the contract.</returns>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static Version? ReadContractReference(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException("the file has no .NET metadata", assemblyPath);
        }

        var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        foreach (var handle in reader.AssemblyReferences)
        {
            var reference = reader.GetAssemblyReference(handle);
            if (reader.GetString(reference.Name) == ContractAssemblyName)
            {
                return reference.Version;
            }
        }

        return null;
    }

    // The plugin and rule type; the file too when both sides have the same name (one plugin installed twice).
    private static string Describe(LoadedRule rule, LoadedRule other) =>
        rule.Source == other.Source && rule.AssemblyPath is { } path
            ? $"{rule.Source} ({rule.Rule.GetType().FullName}, {path})"
            : $"{rule.Source} ({rule.Rule.GetType().FullName})";

    /// <summary>The plugin assemblies of a folder: the folder itself when it is one plugin, else its <c>&lt;Name&gt;/&lt;Name&gt;.dll</c>.</summary>
    private static List<string> DiscoverPlugins(string folder, ICollection<ToolNotification> notifications)
    {
        var own = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
        if (File.Exists(own))
        {
            return [own];
        }

        var found = new List<string>();
        foreach (var sub in Directory.EnumerateDirectories(folder).OrderBy(d => d, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(sub);
            if (name.StartsWith(".transcriptlint-", StringComparison.Ordinal))
            {
                continue; // `plugin add`/`remove` working folders: never a plugin
            }

            var dll = Path.Combine(sub, name + ".dll");
            if (File.Exists(dll))
            {
                found.Add(dll);
            }
            else if (Directory.EnumerateFiles(sub, "*.dll").Any())
            {
                notifications.Add(new ToolNotification("warning", $"Plugin folder {sub} has no {name}.dll; a plugin is <folder>/<Name>/<Name>.dll. Skipped."));
            }
        }

        foreach (var loose in Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(loose);
            notifications.Add(new ToolNotification("warning", $"{loose} is not in a folder of its own and was not loaded; move it to {Path.Combine(folder, name, name + ".dll")}."));
        }

        return found;
    }

    private static LoadedPlugin LoadPlugin(string dll)
    {
        var name = Path.GetFileNameWithoutExtension(dll);
        var notifications = new List<ToolNotification>();
        var builtIn = IsBuiltInRules(dll);
        Version? contract;
        try
        {
            // The built-in rules are built with this host, against its contract: reading their references would load a
            // metadata reader (System.Reflection.Metadata and its collections) into every run for a known answer.
            contract = builtIn ? ContractVersion : ReadContractReference(dll);
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            notifications.Add(new ToolNotification("error", $"Plugin {name} ({dll}) could not be read as a .NET assembly: {OneLine(ex.Message)}. Skipped."));
            return new LoadedPlugin([], notifications);
        }

        if (contract is null)
        {
            notifications.Add(new ToolNotification("warning", $"Plugin {name} ({dll}) does not reference {ContractAssemblyName}, so it holds no rules. Skipped."));
            return new LoadedPlugin([], notifications);
        }

        if (ContractRefusal(name, contract) is { } refusal)
        {
            notifications.Add(new ToolNotification("error", refusal));
            return new LoadedPlugin([], notifications);
        }

        try
        {
            var assembly = builtIn ? LoadBuiltIn(dll) : LoadIntoOwnContext(dll);
            var rules = new AssemblyRuleSource(assembly).LoadRules(notifications)
                .Select(r => r with { Source = name, AssemblyPath = dll })
                .ToList();
            if (rules.Count == 0 && notifications.Count == 0)
            {
                notifications.Add(new ToolNotification("warning", $"Plugin {name} ({dll}) holds no public rule class (a public, non-abstract TranscriptRule with a parameterless constructor)."));
            }

            return new LoadedPlugin(rules, notifications);
        }
        catch (Exception ex)
        {
            notifications.Add(new ToolNotification("error", $"Plugin {name} ({dll}) failed to load: {OneLine(ExceptionText.OneLine(ex))}. Skipped."));
            return new LoadedPlugin([], notifications);
        }
    }

    /// <summary>
    /// Loads a plugin's main assembly into a new McMaster load context that resolves its dependencies from its own
    /// <c>.deps.json</c> and shares only the contract assembly with the host: what <c>PluginLoader.CreateFromAssemblyFile(dll,
    /// sharedTypes: [typeof(TranscriptRule)])</c> builds, without its last step. That step reads every
    /// <c>*.runtimeconfig.json</c> beside the host with reflection-based JSON and asks for the process's main module, only
    /// to find <c>additionalProbingPaths</c> (written by SDKs before .NET 6 for development builds) and the <c>dotnet</c>
    /// runtime store: nothing a plugin of this host uses, and about 50 ms of every cold start (a quarter of linting a
    /// small file).
    /// </summary>
    /// <param name="dll">The plugin's main assembly.</param>
    /// <returns>The loaded assembly.</returns>
    private static Assembly LoadIntoOwnContext(string dll)
    {
        var contract = typeof(TranscriptRule).Assembly;
        var context = new AssemblyLoadContextBuilder()
            .SetMainAssemblyPath(dll)
            .SetDefaultContext(AssemblyLoadContext.GetLoadContext(contract) ?? AssemblyLoadContext.Default)
            .PreferDefaultLoadContextAssembly(contract.GetName())
            .Build();
        return context.LoadFromAssemblyPath(dll);
    }

    /// <summary>
    /// Loads the built-in rules beside the host. They are built with it and need only the contract, the framework and
    /// System.IO.Hashing, which the host carries too; an own load context would first load the contract's whole reference
    /// closure into the host (McMaster's <c>PreferDefaultLoadContextAssembly</c>: System.Text.Json and through it about 15
    /// assemblies), about 10 ms and 2 MB of every run.
    /// </summary>
    /// <param name="dll">The built-in rules assembly.</param>
    /// <returns>The loaded assembly (the one already loaded, when a host such as a test references it).</returns>
    private static Assembly LoadBuiltIn(string dll)
    {
        if (AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == BuiltInRulesName) is { } loaded)
        {
            return loaded;
        }

        // A dependency the host does not carry (none today) is taken from the rules' own folder.
        var folder = Path.GetDirectoryName(dll)!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            Path.Combine(folder, name.Name + ".dll") is var candidate && File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        return AssemblyLoadContext.Default.LoadFromAssemblyPath(dll);
    }

    /// <summary>
    /// Why a plugin built against <paramref name="contract"/> is refused by this host (another major, or a newer minor),
    /// in one line saying which side to update; null when it loads.
    /// </summary>
    /// <param name="name">The plugin name, for the message.</param>
    /// <param name="contract">The contract version the plugin references.</param>
    /// <returns>The refusal, or null.</returns>
    public static string? ContractRefusal(string name, Version contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (contract.Major != ContractVersion.Major)
        {
            var advice = contract.Major > ContractVersion.Major
                ? "Update transcriptlint, or use a build of the plugin made for contract " + ContractVersion.Major + ".x"
                : "Rebuild the plugin against contract " + ContractVersion.Major + ".x";
            return $"Plugin {name} was built against {ContractAssemblyName} {contract}, but this transcriptlint provides {ContractVersion}: major versions differ, so it was refused. {advice}.";
        }

        // A newer minor may call members this host does not have (MissingMethodException mid-run), so it is refused
        // up front; an older minor is fine because minors only add.
        if (contract.Minor > ContractVersion.Minor)
        {
            return $"Plugin {name} was built against {ContractAssemblyName} {contract}, newer than the {ContractVersion} this transcriptlint provides, so it was refused. Update transcriptlint (dotnet tool update -g transcriptlint), or rebuild the plugin against contract {ContractVersion.Major}.{ContractVersion.Minor}.";
        }

        return null;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim().TrimEnd('.');

    private sealed record LoadedPlugin(IReadOnlyList<LoadedRule> Rules, IReadOnlyList<ToolNotification> Notifications);
}
