using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TranscriptLint.Cli.Output;
using TranscriptLint.Engine.Configuration;
using TranscriptLint.Reporting;

namespace TranscriptLint.Cli.Catalog;

/// <summary>One catalog file: where it lives in the repository and what it must contain.</summary>
/// <param name="RelativePath">The path from the repository root, with forward slashes.</param>
/// <param name="Content">The full expected text.</param>
internal sealed record CatalogFile(string RelativePath, string Content);

/// <summary>
/// The rule catalog, generated from the built-in rules' descriptors: the rules table of README.md, the index of
/// docs/rules/README.md (both between markers; the prose around them is hand-written) and the rule part of
/// rules.schema.json (severity keys, rule options, profile names). <c>transcriptlint rules --write-catalog</c>
/// writes them; a test fails when one is stale.
/// </summary>
internal static class RuleCatalog
{
    /// <summary>The command that rewrites the catalog, quoted by the staleness test.</summary>
    public const string WriteCommand = "dotnet run --project src/TranscriptLint.Cli -- rules --write-catalog";

    public const string ReadmePath = "README.md";
    public const string DocsIndexPath = "docs/rules/README.md";
    public const string SchemaPath = "rules.schema.json";

    private const string ReadmeStart = "<!-- rules-table:start";
    private const string ReadmeEnd = "<!-- rules-table:end -->";
    private const string IndexStart = "<!-- rules-index:start";
    private const string IndexEnd = "<!-- rules-index:end -->";

    /// <summary>The built-in rules' descriptors (the plugins shipped in <c>plugins/</c>), by id.</summary>
    public static IReadOnlyList<RuleDescriptor> BuiltInDescriptors()
    {
        var notes = new List<ToolNotification>();
        var rules = new LintSetup(new CommandLineSettings()).RulesFor(null, notes);
        return [.. rules.SelectMany(r => r.Rule.SupportedDescriptors).OrderBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>Finds the repository root: the nearest folder at or above <paramref name="start"/> holding rules.schema.json and docs/rules.</summary>
    public static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SchemaPath)) && Directory.Exists(Path.Combine(dir.FullName, "docs", "rules")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>What every catalog file must contain, given their current text (the hand-written parts are kept).</summary>
    /// <exception cref="InvalidDataException">A file lacks its markers or is not JSON.</exception>
    public static IReadOnlyList<CatalogFile> Render(string root, IReadOnlyList<RuleDescriptor> descriptors) =>
    [
        new(ReadmePath, Splice(Read(root, ReadmePath), ReadmePath, ReadmeStart, ReadmeEnd, ReadmeTable(descriptors))),
        new(DocsIndexPath, Splice(Read(root, DocsIndexPath), DocsIndexPath, IndexStart, IndexEnd, DocsIndex(descriptors))),
        new(SchemaPath, Schema(Read(root, SchemaPath), descriptors)),
    ];

    /// <summary>The catalog files whose text differs from what the descriptors give.</summary>
    public static IReadOnlyList<CatalogFile> Stale(string root, IReadOnlyList<RuleDescriptor> descriptors) =>
        [.. Render(root, descriptors).Where(f => Read(root, f.RelativePath) != f.Content)];

    /// <summary>Rewrites the stale catalog files; returns them.</summary>
    public static IReadOnlyList<CatalogFile> Write(string root, IReadOnlyList<RuleDescriptor> descriptors)
    {
        var stale = Stale(root, descriptors);
        foreach (var f in stale)
        {
            File.WriteAllText(Path.Combine(root, f.RelativePath), f.Content, new UTF8Encoding(false));
        }

        return stale;
    }

    /// <summary>The rules table of README.md (also <c>transcriptlint rules --markdown</c>).</summary>
    public static string ReadmeTable(IEnumerable<RuleDescriptor> descriptors)
    {
        var sb = new StringBuilder("| ID | Name | Default | Fix | What it catches |\n|---|---|---|---|---|\n");
        foreach (var d in descriptors.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            sb.Append($"| [{d.Id}](docs/rules/{d.Id}.md) | {d.Name} | {TextReporter.SeverityName(d.DefaultSeverity)} | {d.FixAvailability.ToString().ToLowerInvariant()} | {Cell(d.Title)} |\n");
        }

        return sb.ToString();
    }

    /// <summary>The index of docs/rules/README.md: title, severity by provider profile where it differs, and the first provider error the rule prevents.</summary>
    public static string DocsIndex(IEnumerable<RuleDescriptor> descriptors)
    {
        var sb = new StringBuilder("| ID | Name | Default | By profile | Fix | What it catches | Provider error it prevents |\n|---|---|---|---|---|---|---|\n");
        foreach (var d in descriptors.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            var error = d.PreventsErrors.Count == 0 ? "" : "`" + Cell(d.PreventsErrors[0]).Replace("`", "", StringComparison.Ordinal) + "`";
            var byProfile = string.Join(", ", ProviderProfile.All.Where(p => d.ProfileSeverities.ContainsKey(p.Name)).Select(p => $"{p.Name}: {TextReporter.SeverityName(d.ProfileSeverities[p.Name])}"));
            sb.Append($"| [{d.Id}](./{d.Id}.md) | {d.Name} | {TextReporter.SeverityName(d.DefaultSeverity)} | {byProfile} | {d.FixAvailability.ToString().ToLowerInvariant()} | {Cell(d.Title)} | {error} |\n");
        }

        return sb.ToString();
    }

    /// <summary>rules.schema.json with its rule part (severity keys, options, profile names) generated.</summary>
    public static string Schema(string current, IEnumerable<RuleDescriptor> descriptors)
    {
        var root = JsonNode.Parse(current) as JsonObject ?? throw new InvalidDataException($"{SchemaPath}: not a JSON object");
        var properties = root["properties"] as JsonObject ?? throw new InvalidDataException($"{SchemaPath}: no properties object");
        var severities = new JsonObject();
        var options = new JsonObject();
        foreach (var d in descriptors.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            severities[d.Id] = new JsonObject { ["$ref"] = "#/$defs/severity", ["description"] = $"{d.Id} {d.Name}" };
            options[d.Id] = OptionsSchema(d);
        }

        Section(properties, "severities")["properties"] = severities;
        Section(properties, "options")["properties"] = options;
        Section(properties, "profile")["enum"] = new JsonArray([.. ProviderProfile.Names.Select(n => (JsonNode)JsonValue.Create(n))]);
        Section(properties, "profile")["default"] = ProviderProfile.DefaultName;
        var json = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return json.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static JsonObject OptionsSchema(RuleDescriptor d)
    {
        var props = new JsonObject();
        foreach (var o in d.Options.OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            var p = new JsonObject { ["type"] = o.Type.ToString().ToLowerInvariant() };
            if (o.Minimum is { } min)
            {
                p["minimum"] = min;
            }

            p["default"] = o.Default switch
            {
                long n => JsonValue.Create(n),
                int n => JsonValue.Create(n),
                bool b => JsonValue.Create(b),
                string t => JsonValue.Create(t),
                _ => null,
            };
            if (p["default"] is null)
            {
                p.Remove("default");
            }

            p["description"] = o.Description;
            props[o.Name] = p;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["description"] = d.Options.Count == 0 ? $"Options of {d.Id} {d.Name}: this rule has no options." : $"Options of {d.Id} {d.Name}.",
            ["properties"] = props,
        };
    }

    private static JsonObject Section(JsonObject properties, string name) =>
        properties[name] as JsonObject ?? throw new InvalidDataException($"{SchemaPath}: no properties.{name} object");

    private static string Read(string root, string relativePath)
    {
        var path = Path.Combine(root, relativePath);
        return File.Exists(path)
            ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal)
            : throw new InvalidDataException($"{relativePath}: not found under {root}");
    }

    // Replaces the lines between the start marker's line and the end marker, keeping both markers.
    private static string Splice(string text, string path, string startMarker, string endMarker, string body)
    {
        var start = text.IndexOf(startMarker, StringComparison.Ordinal);
        var end = text.IndexOf(endMarker, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidDataException($"{path}: the generated part must sit between a line starting '{startMarker}' and a line '{endMarker}'");
        }

        var bodyStart = text.IndexOf('\n', start) + 1;
        return text[..bodyStart] + body + text[end..];
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
