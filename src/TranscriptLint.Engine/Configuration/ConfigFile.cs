using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Configuration;

/// <summary>A config file that cannot be used: names the file, the JSON path and what was expected.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The config file.</param>
    /// <param name="jsonPath">Where in it, e.g. <c>$.severities.TL3001</c> (or a line and column for bad JSON).</param>
    /// <param name="problem">What was expected, one line.</param>
    public ConfigException(string file, string jsonPath, string problem)
        : base($"{file}: {jsonPath}: {problem}")
    {
        File = file;
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>The config file.</summary>
    public string File { get; }

    /// <summary>Where in the file.</summary>
    public string JsonPath { get; }

    /// <summary>What was expected.</summary>
    public string Problem { get; }
}

/// <summary>Finds, reads and validates <c>.transcriptlint.json</c> against <c>rules.schema.json</c>.</summary>
public static partial class ConfigFile
{
    /// <summary>The config file's name.</summary>
    public const string FileName = ".transcriptlint.json";

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly Lazy<(JsonSchema Schema, JsonDocument Document)> Schema = new(LoadSchema);

    /// <summary>The schema text (the repo's <c>rules.schema.json</c>, embedded).</summary>
    public static string SchemaText
    {
        get
        {
            using var stream = typeof(ConfigFile).Assembly.GetManifestResourceStream("rules.schema.json")
                ?? throw new InvalidOperationException("rules.schema.json is not embedded in the engine.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
    }

    /// <summary>The nearest <see cref="FileName"/> in <paramref name="startDirectory"/> or a folder above it.</summary>
    /// <param name="startDirectory">Where to start, e.g. the transcript's folder.</param>
    /// <returns>The file's full path, or null.</returns>
    public static string? Find(string startDirectory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Reads and validates a config file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The config.</returns>
    /// <exception cref="ConfigException">The file cannot be read, is not JSON, or does not match the schema.</exception>
    public static TranscriptLintConfig Load(string path)
    {
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, "$", $"cannot read the config file: {ex.Message}");
        }

        return Parse(path, text);
    }

    /// <summary>Validates config text; relative paths resolve against the folder of <paramref name="path"/>.</summary>
    /// <param name="path">The file the text came from (named in errors).</param>
    /// <param name="text">The JSON text.</param>
    /// <returns>The config.</returns>
    /// <exception cref="ConfigException">The text is not JSON or does not match the schema.</exception>
    public static TranscriptLintConfig Parse(string path, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}" : "$";
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new ConfigException(path, where, "expected valid JSON: " + (cut > 0 ? message[..cut] : message).Trim().TrimEnd('.'));
        }

        using (document)
        {
            var root = document.RootElement;
            Validate(path, root);
            var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            return new TranscriptLintConfig
            {
                FilePath = Path.GetFullPath(path),
                Profile = root.TryGetProperty("profile"u8, out var profile) ? profile.GetString() : null,
                Plugins = ReadPlugins(path, root, directory),
                Severities = root.TryGetProperty("severities"u8, out var severities)
                    ? severities.EnumerateObject().ToDictionary(p => p.Name, p => ParseSeverity(p.Value.GetString()!), StringComparer.Ordinal)
                    : new Dictionary<string, Severity>(),
                RuleOptions = root.TryGetProperty("options"u8, out var options)
                    ? options.EnumerateObject().ToDictionary(
                        p => p.Name,
                        p => new RuleOptions(p.Value.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.Clone(), StringComparer.Ordinal)),
                        StringComparer.Ordinal)
                    : new Dictionary<string, RuleOptions>(),
                RuleTimeoutSeconds = root.TryGetProperty("ruleTimeoutSeconds"u8, out var timeout) ? timeout.GetDouble() : null,
                IgnorePaths = root.TryGetProperty("ignorePaths"u8, out var ignore) ? [.. ignore.EnumerateArray().Select(e => e.GetString()!)] : [],
            };
        }
    }

    /// <summary>Parses <c>off</c>, <c>note</c>, <c>warning</c> or <c>error</c>.</summary>
    /// <param name="value">The name.</param>
    /// <returns>The severity.</returns>
    public static Severity ParseSeverity(string value) => value switch
    {
        "off" => Severity.None,
        "note" => Severity.Note,
        "warning" => Severity.Warning,
        "error" => Severity.Error,
        _ => throw new ArgumentException($"'{value}' is not a severity (expected off, note, warning or error)", nameof(value)),
    };

    /// <summary>Turns a JSON pointer into a JSON path: <c>/plugins/0</c> becomes <c>$.plugins[0]</c>.</summary>
    /// <param name="pointer">The pointer.</param>
    /// <returns>The path.</returns>
    public static string ToJsonPath(string pointer)
    {
        var sb = new StringBuilder("$");
        if (pointer.Length == 0 || pointer == "/")
        {
            return "$";
        }

        foreach (var raw in pointer.TrimStart('/').Split('/'))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (segment.Length > 0 && segment.All(char.IsAsciiDigit))
            {
                sb.Append('[').Append(segment).Append(']');
            }
            else if (IdentifierPattern().IsMatch(segment))
            {
                sb.Append('.').Append(segment);
            }
            else
            {
                sb.Append("['").Append(segment.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
            }
        }

        return sb.ToString();
    }

    private static List<string> ReadPlugins(string path, JsonElement root, string directory)
    {
        var plugins = new List<string>();
        if (!root.TryGetProperty("plugins"u8, out var list))
        {
            return plugins;
        }

        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var folder = Path.GetFullPath(Path.Combine(directory, item.GetString()!));
            if (!Directory.Exists(folder))
            {
                throw new ConfigException(path, $"$.plugins[{i}]", $"expected an existing plugin folder; {folder} does not exist");
            }

            plugins.Add(folder);
            i++;
        }

        return plugins;
    }

    private static void Validate(string path, JsonElement root)
    {
        var (schema, schemaDocument) = Schema.Value;
        var results = schema.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return;
        }

        // The deepest failing location is the most specific one to show; ties keep schema order.
        var failures = Flatten(results)
            .Where(r => !r.IsValid && r.Errors is { Count: > 0 })
            .SelectMany(r => r.Errors!.Select(e => (Pointer: r.InstanceLocation.ToString(), Keyword: e.Key, Message: e.Value, Schema: r.SchemaLocation, IsName: r.EvaluationPath.ToString().Contains("/propertyNames", StringComparison.Ordinal))))
            .ToList();
        if (failures.Count == 0)
        {
            throw new ConfigException(path, "$", "does not match rules.schema.json");
        }

        var worst = failures.OrderByDescending(f => Depth(f.Pointer)).ThenBy(f => Rank(f.Keyword)).First();
        throw new ConfigException(path, ToJsonPath(worst.Pointer), Explain(worst.Keyword, worst.Message, worst.Schema, worst.Pointer, worst.IsName, root, schemaDocument.RootElement));
    }

    private static IEnumerable<EvaluationResults> Flatten(EvaluationResults results)
    {
        yield return results;
        foreach (var child in results.Details ?? [])
        {
            foreach (var r in Flatten(child))
            {
                yield return r;
            }
        }
    }

    private static int Depth(string pointer) => pointer.Count(c => c == '/');

    // Prefer the errors that say what was expected at the location over the generic ones.
    private static int Rank(string keyword) => keyword switch
    {
        "enum" or "type" or "pattern" or "minLength" or "minimum" => 0,
        "additionalProperties" or "propertyNames" => 2,
        _ => 1,
    };

    private static string Explain(string keyword, string message, Uri schemaLocation, string pointer, bool isPropertyName, JsonElement root, JsonElement schemaRoot)
    {
        var keywordSchema = ResolveFragment(schemaRoot, schemaLocation);
        var segment = pointer.Length > 0 ? pointer[(pointer.LastIndexOf('/') + 1)..].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal) : "";

        // A propertyNames failure is about the key itself, not the value under it.
        var value = isPropertyName ? JsonSerializerString(segment) : ResolvePointer(root, pointer);
        switch (keyword)
        {
            case "enum" when keywordSchema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("enum"u8, out var values):
                return $"expected one of {string.Join(", ", values.EnumerateArray().Select(v => v.GetRawText()))}, found {Show(value)}";
            case "type" when keywordSchema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("type"u8, out var type):
                return $"expected {Article(type.GetString() ?? "value")}, found {Show(value)}";
            case "pattern" when keywordSchema is { ValueKind: JsonValueKind.Object } s && s.GetProperty("pattern").GetString() == "^(ALL|[A-Z]{2,8}[0-9]{0,5})$":
                return $"expected a rule id, an id prefix (e.g. TL3001, TL3, ACME) or ALL, found {Show(value)}";
            case "pattern" when keywordSchema is { ValueKind: JsonValueKind.Object } s && s.GetProperty("pattern").GetString() == "^[A-Z]{2,8}[0-9]{3,5}$":
                return $"expected a rule id (e.g. TL3001), found {Show(value)}";
            case "type" when TypeMessage().Match(message) is { Success: true } m:
                return $"expected {Article(m.Groups[1].Value)}, found {Show(value)}";
            case "minLength":
                return "expected a non-empty string";
            case "minimum" when keywordSchema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("minimum"u8, out var min):
                return $"expected a number of at least {min.GetRawText()}, found {Show(value)}";
            case "false" or "" or "additionalProperties":
                return $"unknown property '{segment}'" + KnownProperties(schemaRoot, pointer);
            default:
                return "expected " + char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.');
        }
    }

    private static string KnownProperties(JsonElement schemaRoot, string pointer)
    {
        // Name what is allowed at that level: the top-level keys, or the options a built-in rule accepts.
        var parts = pointer.TrimStart('/').Split('/');
        JsonElement? node = parts.Length switch
        {
            1 => schemaRoot.GetProperty("properties"),
            3 when parts[0] == "options" && schemaRoot.GetProperty("properties").GetProperty("options").GetProperty("properties").TryGetProperty(parts[1], out var rule) => rule.GetProperty("properties"),
            _ => null,
        };
        if (node is not { } n)
        {
            return "";
        }

        var names = n.EnumerateObject().Select(p => p.Name).Where(p => p != "$schema").ToList();
        return names.Count == 0 ? " (this rule has no options)" : $" (expected one of {string.Join(", ", names)})";
    }

    private static JsonElement? ResolveFragment(JsonElement schemaRoot, Uri location)
    {
        var fragment = Uri.UnescapeDataString(location.Fragment.TrimStart('#'));
        return ResolvePointer(schemaRoot, fragment);
    }

    // A schema fragment may be written without its leading slash ("#definitions/x"); a null is a property name, not a
    // value (propertyNames errors).
    private static JsonElement? ResolvePointer(JsonElement root, string pointer) =>
        JsonPointers.Resolve(root, pointer.Length == 0 ? "" : "/" + pointer.TrimStart('/'));

    private static JsonElement JsonSerializerString(string text)
    {
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(text));
        return doc.RootElement.Clone();
    }

    private static string Show(JsonElement? value)
    {
        if (value is not { } v)
        {
            return "a property name that does not match";
        }

        var text = v.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.Null => "null",
            _ => v.GetRawText(),
        };
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    private static string Article(string type) => type switch
    {
        "object" => "an object",
        "array" => "an array",
        "integer" => "an integer",
        _ => "a " + type,
    };

    private static (JsonSchema, JsonDocument) LoadSchema()
    {
        var text = SchemaText;
        var document = JsonDocument.Parse(text);
        var schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        return (schema, document);
    }

    [GeneratedRegex("should be \"([a-z]+)\"")]
    private static partial Regex TypeMessage();

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex IdentifierPattern();
}
