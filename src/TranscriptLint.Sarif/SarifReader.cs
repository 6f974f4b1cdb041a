using System.Text.Json;
using Microsoft.CodeAnalysis.Sarif;
using Newtonsoft.Json;
using TranscriptLint.Reporting;
using TranscriptLint.Fixes;
using SarifLocation = Microsoft.CodeAnalysis.Sarif.Location;
using TlFix = TranscriptLint.Fixes.Fix;
using TlLocation = TranscriptLint.Location;

namespace TranscriptLint.Sarif;

/// <summary>A finding read back from SARIF, with the fixes the fixer can apply.</summary>
/// <param name="RuleId">The rule id.</param>
/// <param name="Severity">The result's level.</param>
/// <param name="Message">The message text.</param>
/// <param name="Location">Where (path resolved against the source root when possible).</param>
/// <param name="Fixes">The semantic fixes.</param>
public sealed record SarifFinding(string RuleId, Severity Severity, string Message, TlLocation Location, IReadOnlyList<TlFix> Fixes);

/// <summary>The findings of one transcript in a SARIF log.</summary>
public sealed class SarifFileFindings
{
    /// <summary>The artifact URI as written (relative to <c>%SRCROOT%</c>, or absolute).</summary>
    public required string Uri { get; init; }

    /// <summary>The local file, when the URI resolves to one.</summary>
    public string? LocalPath { get; init; }

    /// <summary>The SHA-256 of the file as linted: the fixer refuses to apply fixes to a file that changed since.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The dialect the file was linted as.</summary>
    public string? Dialect { get; init; }

    /// <summary>The findings, in the log's order.</summary>
    public required IReadOnlyList<SarifFinding> Findings { get; init; }
}

/// <summary>SARIF that is not a TranscriptLint log we can read.</summary>
/// <param name="message">One line saying what is wrong.</param>
public sealed class SarifReadException(string message) : Exception(message);

/// <summary>Reads TranscriptLint's own SARIF back into per-file findings and fixes (for <c>fix --from-sarif</c>).</summary>
public static class SarifReader
{
    /// <summary>Reads a SARIF file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="sourceRoot">The local directory for <c>%SRCROOT%</c>; null uses the log's <c>originalUriBaseIds</c>.</param>
    /// <returns>The files with findings or artifacts, ordered as in the log.</returns>
    public static IReadOnlyList<SarifFileFindings> ReadFile(string path, string? sourceRoot = null) =>
        Read(File.ReadAllText(path), sourceRoot);

    /// <summary>Reads SARIF text.</summary>
    /// <param name="sarif">The log.</param>
    /// <param name="sourceRoot">The local directory for <c>%SRCROOT%</c>; null uses the log's <c>originalUriBaseIds</c>.</param>
    /// <returns>The files with findings or artifacts, ordered as in the log.</returns>
    public static IReadOnlyList<SarifFileFindings> Read(string sarif, string? sourceRoot = null)
    {
        SarifLog? log;
        try
        {
            log = JsonConvert.DeserializeObject<SarifLog>(sarif);
        }
        catch (Exception ex) when (ex is Newtonsoft.Json.JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new SarifReadException($"not a readable SARIF log: {OneLine(ex.Message)}");
        }

        if (log?.Runs is null)
        {
            throw new SarifReadException("not a SARIF log: it has no runs");
        }

        var files = new List<FileBuilder>();
        var byKey = new Dictionary<string, FileBuilder>(StringComparer.Ordinal);
        foreach (var run in log.Runs)
        {
            var roots = BaseIds(run, sourceRoot);
            FileBuilder Get(ArtifactLocation? location)
            {
                var uri = location?.Uri?.OriginalString ?? "";
                var baseId = location?.UriBaseId;
                var key = baseId + "|" + uri;
                if (!byKey.TryGetValue(key, out var file))
                {
                    file = new FileBuilder(uri, Resolve(location, roots));
                    byKey[key] = file;
                    files.Add(file);
                }

                return file;
            }

            if (run.Artifacts is not null)
            {
                foreach (var artifact in run.Artifacts)
                {
                    var file = Get(artifact.Location);
                    file.Sha256 = artifact.Hashes is { } hashes && hashes.TryGetValue("sha-256", out var sha) ? sha : null;
                    file.Dialect = artifact.TryGetProperty("dialect", out string? dialect) ? dialect : null;
                }
            }

            foreach (var result in run.Results ?? [])
            {
                var physical = result.Locations?.FirstOrDefault()?.PhysicalLocation;
                var artifactLocation = physical?.ArtifactLocation;
                if (artifactLocation is { Uri: null, Index: >= 0 } && run.Artifacts is { } arts && artifactLocation.Index < arts.Count)
                {
                    artifactLocation = arts[artifactLocation.Index].Location;
                }

                var file = Get(artifactLocation);
                var ruleId = result.RuleId ?? (result.RuleIndex >= 0 ? run.Tool?.Driver?.Rules?.ElementAtOrDefault(result.RuleIndex)?.Id : null)
                    ?? throw new SarifReadException("a result has no ruleId");
                file.Findings.Add(new SarifFinding(
                    ruleId,
                    SeverityOf(result.Level),
                    result.Message?.Text ?? "",
                    LocationOf(physical?.Region, result.Locations![0], file.LocalPath ?? file.Uri),
                    FixesOf(result)));
            }
        }

        return [.. files.Select(f => new SarifFileFindings { Uri = f.Uri, LocalPath = f.LocalPath, Sha256 = f.Sha256, Dialect = f.Dialect, Findings = f.Findings })];
    }

    private static Dictionary<string, string> BaseIds(Run run, string? sourceRoot)
    {
        var roots = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, location) in run.OriginalUriBaseIds ?? new Dictionary<string, ArtifactLocation>())
        {
            if (location.Uri is { IsAbsoluteUri: true, IsFile: true } uri)
            {
                roots[id] = uri.LocalPath;
            }
        }

        if (sourceRoot is not null)
        {
            roots[SarifWriter.SourceRootId] = Path.GetFullPath(sourceRoot);
        }
        else if (!roots.ContainsKey(SarifWriter.SourceRootId))
        {
            // Logs carry no absolute checkout path: %SRCROOT% is where the writer's default points here too.
            roots[SarifWriter.SourceRootId] = SourceRoots.Default();
        }

        return roots;
    }

    private static string? Resolve(ArtifactLocation? location, Dictionary<string, string> roots)
    {
        if (location?.Uri is not { } uri)
        {
            return null;
        }

        if (uri.IsAbsoluteUri)
        {
            return uri.IsFile ? uri.LocalPath : null;
        }

        if (location.UriBaseId is { } baseId && roots.TryGetValue(baseId, out var root))
        {
            var relative = System.Uri.UnescapeDataString(uri.OriginalString).Replace('/', Path.DirectorySeparatorChar);
            return Path.GetFullPath(Path.Combine(root, relative));
        }

        return null;
    }

    private static TlLocation LocationOf(Region? region, SarifLocation location, string path)
    {
        string? uuid = null;
        string? pointer = null;
        if (location.LogicalLocations?.FirstOrDefault() is { } logical)
        {
            uuid = logical.TryGetProperty(SarifWriter.EntryUuidProperty, out string? u) ? u : null;
            pointer = logical.TryGetProperty(SarifWriter.JsonPointerProperty, out string? p) ? p : null;
        }

        var startLine = region?.StartLine is > 0 ? region.StartLine : 1;
        return new TlLocation
        {
            Path = path,
            StartLine = startLine,
            StartColumn = region?.StartColumn is > 0 ? region.StartColumn : 1,
            EndLine = region?.EndLine is > 0 ? region.EndLine : startLine,
            EndColumn = region?.EndColumn is > 0 ? region.EndColumn : 0,
            EntryUuid = uuid,
            JsonPointer = pointer,
        };
    }

    private static List<TlFix> FixesOf(Result result)
    {
        var fixes = new List<TlFix>();
        foreach (var fix in result.Fixes ?? [])
        {
            if (!fix.TryGetSerializedPropertyValue(SarifWriter.FixEditsProperty, out var edits))
            {
                continue; // not one of ours: only text replacements, nothing semantic to apply
            }

            var applicability = fix.TryGetProperty(SarifWriter.FixApplicabilityProperty, out string? a) ? a : null;
            fixes.Add(new TlFix(fix.Description?.Text ?? "Fix", ParseApplicability(applicability), ParseEdits(edits)));
        }

        if (result.TryGetSerializedPropertyValue(SarifWriter.UnrenderedFixesProperty, out var unrendered))
        {
            using var doc = Parse(unrendered);
            foreach (var f in doc.RootElement.EnumerateArray())
            {
                fixes.Add(new TlFix(
                    f.GetProperty("description").GetString() ?? "Fix",
                    ParseApplicability(f.GetProperty(SarifWriter.FixApplicabilityProperty).GetString()),
                    ParseEdits(f.GetProperty(SarifWriter.FixEditsProperty).GetRawText())));
            }
        }

        return fixes;
    }

    private static List<FixEdit> ParseEdits(string json)
    {
        using var doc = Parse(json);
        try
        {
            return [.. doc.RootElement.EnumerateArray().Select(FixEditJson.Read)];
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SarifReadException($"a fix's edits are not readable: {OneLine(ex.Message)}");
        }
    }

    private static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new SarifReadException($"a fix property is not JSON: {OneLine(ex.Message)}");
        }
    }

    private static Applicability ParseApplicability(string? value) =>
        Enum.TryParse<Applicability>(value, ignoreCase: true, out var a) ? a : Applicability.DisplayOnly;

    private static Severity SeverityOf(FailureLevel level) => level switch
    {
        FailureLevel.Error => Severity.Error,
        FailureLevel.Note => Severity.Note,
        FailureLevel.None => Severity.None,
        _ => Severity.Warning,
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private sealed class FileBuilder(string uri, string? localPath)
    {
        public string Uri { get; } = uri;

        public string? LocalPath { get; } = localPath;

        public string? Sha256 { get; set; }

        public string? Dialect { get; set; }

        public List<SarifFinding> Findings { get; } = [];
    }
}
