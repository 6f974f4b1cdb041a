using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Sarif;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;
using TranscriptLint.Reporting;
using SarifFix = Microsoft.CodeAnalysis.Sarif.Fix;
using SarifLocation = Microsoft.CodeAnalysis.Sarif.Location;
using TlFix = TranscriptLint.Fixes.Fix;

namespace TranscriptLint.Sarif;

/// <summary>
/// Writes one SARIF 2.1.0 run for a lint invocation, shaped for GitHub code scanning: rules for every enabled id,
/// results with repo-relative locations, semantic fingerprints and fixes in the original file's coordinates,
/// artifacts with SHA-256 hashes. Same input, same bytes: results are sorted and nothing depends on the clock.
/// </summary>
public static partial class SarifWriter
{
    /// <summary>The <c>uriBaseId</c> of every location.</summary>
    public const string SourceRootId = "%SRCROOT%";

    /// <summary>The final OASIS SARIF 2.1.0 schema (what GH1011/SARIF1011 ask for).</summary>
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>The tool name in <c>tool.driver.name</c>.</summary>
    public const string ToolName = "TranscriptLint";

    /// <summary>Where the project lives (<c>tool.driver.informationUri</c>).</summary>
    public const string InformationUri = "https://github.com/transcriptlint/transcriptlint";

    /// <summary>Our versioned fingerprint key (SARIF §3.27.17); GitHub reads only <c>primaryLocationLineHash</c>.</summary>
    public const string FingerprintKey = "transcriptLint/v1";

    /// <summary>GitHub's fingerprint key.</summary>
    public const string GitHubFingerprintKey = "primaryLocationLineHash";

    internal const string FixEditsProperty = "edits";
    internal const string FixApplicabilityProperty = "applicability";
    internal const string UnrenderedFixesProperty = "transcriptLint/unrenderedFixes";
    internal const string TruncationProperty = "transcriptLint/truncation";
    internal const string EntryUuidProperty = "entryUuid";
    internal const string JsonPointerProperty = "jsonPointer";

    private static readonly JsonSerializerSettings Settings = new()
    {
        Formatting = Formatting.Indented,
        ContractResolver = new ExplicitLevelResolver(),
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
    };

    private static readonly JsonWriterOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the log to <paramref name="output"/> as UTF-8 without BOM.</summary>
    /// <param name="input">The lint results and the enabled rules.</param>
    /// <param name="options">Source root, category and limits.</param>
    /// <param name="output">Where to write.</param>
    /// <returns>What was written and any warnings to print.</returns>
    public static SarifWriteReport Write(SarifRunInput input, SarifWriterOptions options, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (bytes, report) = Produce(input, options);
        using (bytes)
        {
            bytes.WriteTo(output);
        }

        return report;
    }

    /// <summary>Builds the log's bytes.</summary>
    /// <param name="input">The lint results and the enabled rules.</param>
    /// <param name="options">Source root, category and limits.</param>
    /// <returns>The UTF-8 bytes and the report.</returns>
    public static (byte[] Bytes, SarifWriteReport Report) Build(SarifRunInput input, SarifWriterOptions options)
    {
        var (bytes, report) = Produce(input, options);
        using (bytes)
        {
            return (bytes.ToArray(), report);
        }
    }

    // The log as chunks: a report of tens of thousands of results is tens of MB, written out without another copy.
    private static (ChunkedBytes Bytes, SarifWriteReport Report) Produce(SarifRunInput input, SarifWriterOptions options)
    {
        var warnings = new List<string>();
        var sourceRoot = Path.GetFullPath(options.SourceRoot ?? SourceRoots.Default());

        var rules = input.Rules.OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToList();
        foreach (var extra in input.Results.SelectMany(r => r.Diagnostics).Select(d => d.Descriptor).DistinctBy(d => d.Id))
        {
            if (!rules.Any(r => r.Descriptor.Id == extra.Id))
            {
                rules.Add(new SarifRule(extra, extra.DefaultSeverity));
            }
        }

        rules.Sort((a, b) => string.CompareOrdinal(a.Descriptor.Id, b.Descriptor.Id));
        var ruleIndex = rules.Select((r, i) => (r.Descriptor.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);

        var files = input.Results
            .Select(r => (Result: r, Uri: ArtifactUri(options.LocalPath(r), sourceRoot)))
            .OrderBy(f => f.Uri.Uri.OriginalString, StringComparer.Ordinal)
            .ToList();
        var artifacts = new List<Artifact>();
        var ranked = new List<RankedResult>();
        foreach (var (file, uri) in files)
        {
            var index = artifacts.Count;
            artifacts.Add(Set(
                new Artifact
                {
                    Location = Located(uri, index),
                    Length = checked((int)file.Length),
                    Hashes = new Dictionary<string, string> { ["sha-256"] = file.Sha256 },
                    Encoding = "utf-8",
                },
                ("dialect", Json(file.Dialect)),
                ("lineCount", file.LineCount.ToString(CultureInfo.InvariantCulture))));
            ranked.AddRange(FileResults(file, uri, index, ruleIndex));
        }

        // Sorted by file, position, rule and message; the rank (severity, then this order) decides what a cap keeps.
        for (var i = 0; i < ranked.Count; i++)
        {
            ranked[i].Order = i;
        }

        var notifications = input.Notifications.Select(n => Notification(n, ruleIndex, files)).ToList();
        var run = new Run
        {
            Tool = new Tool { Driver = Driver(rules), Extensions = input.Extensions.Count == 0 ? null : [.. input.Extensions.OrderBy(e => e.Name, StringComparer.Ordinal).Select(Extension)] },
            // The checkout's absolute path stays out of the log (it differs per runner and leaks the machine's
            // layout): %SRCROOT% is described, and readers resolve it to their own --source-root or git root.
            OriginalUriBaseIds = new Dictionary<string, ArtifactLocation>
            {
                [SourceRootId] = options.SourceRootUri is { } rootUri
                    ? new ArtifactLocation { Uri = rootUri }
                    : new ArtifactLocation { Description = new Message { Text = SourceRootDescription } },
            },
            AutomationDetails = new RunAutomationDetails { Id = options.Category.TrimEnd('/') + "/" },
            Artifacts = artifacts,
            ColumnKind = ColumnKind.Utf16CodeUnits,
            // Unsuccessful when anything made the results incomplete: a plugin that did not load, a rule that threw.
            Invocations = [new Invocation { ExecutionSuccessful = !input.Notifications.Any(n => n.Level == "error"), ToolExecutionNotifications = notifications }],
        };
        var log = new SarifLog { SchemaUri = new Uri(SchemaUri), Version = SarifVersion.Current, Runs = [run] };

        var kept = ranked;
        var omitted = new List<RankedResult>();
        var reasons = new List<string>();
        if (kept.Count > options.MaxResults)
        {
            reasons.Add($"more than {options.MaxResults} results");
            (kept, omitted) = KeepMostSevere(ranked, options.MaxResults);
        }

        while (true)
        {
            var bytes = Serialize(log, run, kept, omitted, reasons, options, notifications);
            var gz = bytes.GzipLength();
            if (gz <= options.MaxGzipBytes || kept.Count == 0)
            {
                if (omitted.Count > 0)
                {
                    warnings.Add(TruncationMessage(omitted.Count, ranked.Count, reasons));
                }

                return (bytes, new SarifWriteReport { ResultCount = kept.Count, OmittedResults = omitted.Count, Warnings = warnings });
            }

            bytes.Dispose();
            if (!reasons.Contains(GzipReason(options)))
            {
                reasons.Add(GzipReason(options));
            }

            // Shrink in proportion to the overshoot, with a margin; always by at least one result.
            var target = (int)Math.Min(kept.Count - 1, Math.Floor(kept.Count * (double)options.MaxGzipBytes / gz * 0.95));
            (kept, omitted) = KeepMostSevere(ranked, Math.Max(0, target));
        }
    }

    private static string GzipReason(SarifWriterOptions options) => $"more than {options.MaxGzipBytes} bytes gzip-compressed";

    private static string TruncationMessage(int omitted, int total, List<string> reasons) =>
        $"SARIF output kept {total - omitted} of {total} results ({string.Join(" and ", reasons)}, GitHub's limits); {omitted} less severe results were left out.";

    private static ChunkedBytes Serialize(SarifLog log, Run run, List<RankedResult> kept, List<RankedResult> omitted, List<string> reasons, SarifWriterOptions options, List<Notification> notifications)
    {
        run.Results = [.. kept.OrderBy(r => r.Order).Select(r => r.Result)];
        var all = new List<Notification>(notifications);
        if (omitted.Count > 0)
        {
            var message = TruncationMessage(omitted.Count, kept.Count + omitted.Count, reasons);
            all.Add(new Notification { Level = FailureLevel.Warning, Message = new Message { Text = message } });
            var byLevel = omitted.GroupBy(r => r.Level).OrderByDescending(g => Rank(g.Key)).Select(g => $"\"{LevelName(g.Key)}\":{g.Count()}");
            var byRule = omitted.GroupBy(r => r.RuleId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{Json(g.Key)}:{g.Count()}");
            run.RemoveProperty(TruncationProperty);
            Set(run, (TruncationProperty,
                $"{{\"omittedResults\":{omitted.Count},\"keptResults\":{kept.Count},\"reasons\":[{string.Join(',', reasons.Select(Json))}]," +
                $"\"maxResults\":{options.MaxResults},\"maxGzipBytes\":{options.MaxGzipBytes}," +
                $"\"omittedByLevel\":{{{string.Join(',', byLevel)}}},\"omittedByRule\":{{{string.Join(',', byRule)}}}}}"));
        }
        else
        {
            run.RemoveProperty(TruncationProperty);
        }

        run.Invocations[0].ToolExecutionNotifications = all;

        // What JsonConvert.SerializeObject writes, with "\n" line ends on every system and a final one, straight into
        // chunks (no string of the whole log).
        var bytes = new ChunkedBytes();
        using (var text = new StreamWriter(bytes, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" })
        using (var json = new JsonTextWriter(text) { Formatting = Settings.Formatting })
        {
            Newtonsoft.Json.JsonSerializer.CreateDefault(Settings).Serialize(json, log);
            json.Flush();
            text.Write('\n');
        }

        return bytes;
    }

    private static (List<RankedResult> Kept, List<RankedResult> Omitted) KeepMostSevere(List<RankedResult> all, int count)
    {
        var byRank = all.OrderByDescending(r => Rank(r.Level)).ThenBy(r => r.Order).ToList();
        return (byRank.Take(count).OrderBy(r => r.Order).ToList(), byRank.Skip(count).ToList());
    }

    private static int Rank(FailureLevel level) => level switch
    {
        FailureLevel.Error => 3,
        FailureLevel.Warning => 2,
        FailureLevel.Note => 1,
        _ => 0,
    };

    private static ToolComponent Driver(List<SarifRule> rules)
    {
        var version = typeof(SarifWriter).Assembly.GetName().Version;
        var semver = version is null ? "0.0.0" : version.ToString(3);
        return new ToolComponent
        {
            Name = ToolName,
            SemanticVersion = semver,
            Version = semver,
            InformationUri = new Uri(InformationUri),
            Rules = [.. rules.Select(r => Rule(r.Descriptor))],
        };
    }

    private static ToolComponent Extension(SarifExtension e) => new()
    {
        Name = e.Name,
        Version = e.Version,
        SemanticVersion = e.Version,
        Rules = [.. e.Rules.OrderBy(d => d.Id, StringComparer.Ordinal).Select(ExtensionRule)],
    };

    // Which rules a plugin provides. GitHub wants descriptions and help on every descriptor (GH2012); the full help
    // (the doc page) is on the driver's copy, so this one stays short.
    private static ReportingDescriptor ExtensionRule(RuleDescriptor d)
    {
        var full = string.IsNullOrWhiteSpace(d.FullDescription) ? Sentence(d.Title) : d.FullDescription;
        return new ReportingDescriptor
        {
            Id = d.Id,
            Name = d.Name,
            ShortDescription = new MultiformatMessageString { Text = Sentence(d.Title) },
            FullDescription = new MultiformatMessageString { Text = full },
            Help = new MultiformatMessageString { Text = d.HelpUri is null ? full : $"{full} Documentation: {d.HelpUri}" },
            HelpUri = d.HelpUri is null ? null : new Uri(d.HelpUri),
        };
    }

    private static ReportingDescriptor Rule(RuleDescriptor d)
    {
        var full = string.IsNullOrWhiteSpace(d.FullDescription) ? Sentence(d.Title) : d.FullDescription;
        var helpText = d.HelpUri is null ? full : $"{full} Documentation: {d.HelpUri}";
        var tags = d.Tags.Append(d.SecuritySeverity is null ? null : "security").OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var properties = new List<(string?, string)>
        {
            ("tags", "[" + string.Join(',', tags.Select(Json)) + "]"),
            ("precision", Json(d.Precision)),
            ("problem.severity", Json(ProblemSeverity(d.DefaultSeverity))),
            ("category", Json(d.Category)),
            ("fixAvailability", Json(d.FixAvailability.ToString().ToLowerInvariant())),
        };
        if (d.SecuritySeverity is { } s)
        {
            properties.Add(("security-severity", Json(s.ToString("0.0", CultureInfo.InvariantCulture))));
        }

        return Set(new ReportingDescriptor
        {
            Id = d.Id,
            Name = d.Name,
            ShortDescription = new MultiformatMessageString { Text = Sentence(d.Title) },
            FullDescription = new MultiformatMessageString { Text = full },
            Help = new MultiformatMessageString { Text = helpText, Markdown = string.IsNullOrWhiteSpace(d.HelpMarkdown) ? full : d.HelpMarkdown },
            HelpUri = d.HelpUri is null ? null : new Uri(d.HelpUri),
            DefaultConfiguration = new ReportingConfiguration { Level = Level(d.DefaultSeverity) },
        }, [.. properties]);
    }

    private static string Sentence(string text) => text.EndsWith('.') ? text : text + ".";

    private static IEnumerable<RankedResult> FileResults(FileLintResult file, ArtifactLocation uri, int artifactIndex, Dictionary<string, int> ruleIndex)
    {
        if (file.Diagnostics.Count == 0)
        {
            return [];
        }

        // A result's object graph is made only if the log keeps it: GitHub takes 25,000 a run, and a file torn many times
        // over has many more findings (making all 145,000 of a 400 MB session's was a quarter of its SARIF's time).
        var results = new List<RankedResult>(file.Diagnostics.Count);
        foreach (var (d, hash, occurrence) in Fingerprinted(file))
        {
            results.Add(new RankedResult(Level(d.Severity), d.Id, () => MakeResult(file, d, hash, occurrence, uri, artifactIndex, ruleIndex)));
        }

        return results;
    }

    private static Result MakeResult(FileLintResult file, Diagnostic d, string hash, int occurrence, ArtifactLocation uri, int artifactIndex, Dictionary<string, int> ruleIndex)
    {
        var result = new Result
        {
            RuleId = d.Id,
            RuleIndex = ruleIndex[d.Id],
            Level = Level(d.Severity),
            Message = new Message { Text = d.Message },
            Locations = [ResultLocation(d.Location, uri, artifactIndex)],
            PartialFingerprints = new Dictionary<string, string>
            {
                [GitHubFingerprintKey] = $"{hash[..16]}:{occurrence}",
                [FingerprintKey] = $"{hash}:{occurrence}",
            },
        };
        var fixes = new List<SarifFix>();
        var unrendered = new List<string>();
        foreach (var fix in d.Fixes)
        {
            // The engine rendered the fix against the bytes it linted; the fixer applies the same edits.
            var replacements = file.RenderedFixOf(fix) is { IsRendered: true } rendered && rendered.Edits.All(e => e.HasTextRegion || e.BeforeText) ? Joined(rendered.Edits) : null;
            if (replacements is { Count: > 0 })
            {
                fixes.Add(Set(new SarifFix
                {
                    Description = new Message { Text = fix.Title },
                    ArtifactChanges =
                    [
                        new ArtifactChange
                        {
                            ArtifactLocation = Located(uri, artifactIndex),
                            Replacements = [.. replacements.Select(Replacement)],
                        },
                    ],
                }, FixProperties(fix)));
            }
            else
            {
                unrendered.Add(FixJson(fix));
            }
        }

        if (fixes.Count > 0)
        {
            result.Fixes = fixes;
        }

        if (unrendered.Count > 0)
        {
            // A fix that cannot be written as text replacements still travels, semantically, for the fixer.
            Set(result, (UnrenderedFixesProperty, "[" + string.Join(',', unrendered) + "]"));
        }

        return result;
    }

    /// <summary>
    /// The <c>transcriptLint/v1</c> fingerprint of each finding of a file (<c>hash:occurrence</c>), in the log's order:
    /// what baselines match on. Findings without an entry uuid are identified by their line's bytes, whose hash the
    /// lint result carries.
    /// </summary>
    /// <param name="file">A lint result.</param>
    /// <returns>Each finding with its fingerprint.</returns>
    public static IReadOnlyList<(Diagnostic Diagnostic, string Fingerprint)> Fingerprints(FileLintResult file) =>
        [.. Fingerprinted(file).Select(f => (f.Diagnostic, $"{f.Hash}:{f.Occurrence}"))];

    /// <summary>The findings of a file in the log's order, each with its fingerprint hash and its occurrence among equal hashes.</summary>
    private static IEnumerable<(Diagnostic Diagnostic, string Hash, int Occurrence)> Fingerprinted(FileLintResult file)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in file.Diagnostics
                     .OrderBy(d => d.Location.StartLine).ThenBy(d => d.Location.StartColumn).ThenBy(d => d.Id, StringComparer.Ordinal)
                     .ThenBy(d => d.Location.EndLine).ThenBy(d => d.Location.EndColumn).ThenBy(d => d.Message, StringComparer.Ordinal))
        {
            var hash = Fingerprint(d, file);
            seen[hash] = seen.GetValueOrDefault(hash) + 1;
            yield return (d, hash, seen[hash]);
        }
    }

    /// <summary>
    /// Joins edits that touch (a deleted line and the entry inserted in its place) into one replacement, as SARIF
    /// viewers show them; the text they make is the same.
    /// </summary>
    private static List<TextEdit> Joined(IReadOnlyList<TextEdit> edits)
    {
        var joined = new List<TextEdit>();
        foreach (var e in edits)
        {
            if (joined.Count > 0 && joined[^1] is var last && !last.BeforeText && !e.BeforeText && last.CharOffset + last.CharLength == e.CharOffset)
            {
                joined[^1] = last with
                {
                    ByteLength = last.ByteLength + e.ByteLength,
                    CharLength = last.CharLength + e.CharLength,
                    Inserted = last.Inserted + e.Inserted,
                    EndLine = e.EndLine,
                    EndColumn = e.EndColumn,
                };
                continue;
            }

            joined.Add(e);
        }

        return joined;
    }

    private static Replacement Replacement(TextEdit r) => new()
    {
        DeletedRegion = r.BeforeText
            ? new Region { ByteOffset = checked((int)r.ByteOffset), ByteLength = checked((int)r.ByteLength) } // the byte order mark: bytes, no character
            : new Region
            {
                StartLine = r.StartLine,
                StartColumn = r.StartColumn,
                EndLine = r.EndLine,
                EndColumn = r.EndColumn,
                CharOffset = checked((int)r.CharOffset),
                CharLength = checked((int)r.CharLength),
            },
        InsertedContent = r.Inserted.Length == 0 ? null : new ArtifactContent { Text = r.Inserted },
    };

    private static (string?, string)[] FixProperties(TlFix fix) =>
    [
        (FixApplicabilityProperty, Json(fix.Applicability.ToString().ToLowerInvariant())),
        (FixEditsProperty, EditsJson(fix)),
    ];

    private static string FixJson(TlFix fix) =>
        $"{{\"description\":{Json(fix.Title)},\"{FixApplicabilityProperty}\":{Json(fix.Applicability.ToString().ToLowerInvariant())},\"{FixEditsProperty}\":{EditsJson(fix)}}}";

    private static string EditsJson(TlFix fix)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, CompactJson))
        {
            w.WriteStartArray();
            foreach (var e in fix.Edits)
            {
                FixEditJson.Write(w, e);
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static SarifLocation ResultLocation(TranscriptLint.Location l, ArtifactLocation uri, int artifactIndex)
    {
        var startLine = Math.Max(1, l.StartLine);
        var endLine = Math.Max(startLine, l.EndLine);
        var startColumn = Math.Max(1, l.StartColumn);
        var endColumn = l.EndColumn < 1 ? startColumn : l.EndColumn;
        if (endLine == startLine && endColumn < startColumn)
        {
            endColumn = startColumn;
        }

        var location = new SarifLocation
        {
            PhysicalLocation = new PhysicalLocation
            {
                ArtifactLocation = Located(uri, artifactIndex),
                Region = new Region { StartLine = startLine, StartColumn = startColumn, EndLine = endLine, EndColumn = endColumn },
            },
        };
        if (l.EntryUuid is not null || l.JsonPointer is not null)
        {
            var name = l.EntryUuid ?? $"line {startLine}";
            location.LogicalLocations =
            [
                Set(
                    new LogicalLocation
                    {
                        Name = l.JsonPointer is { Length: > 0 } p ? LastToken(p) : name,
                        FullyQualifiedName = name + (l.JsonPointer ?? ""),
                        Kind = l.JsonPointer is { Length: > 0 } ? "value" : "object",
                    },
                    l.EntryUuid is null ? default : (EntryUuidProperty, Json(l.EntryUuid)),
                    l.JsonPointer is null ? default : (JsonPointerProperty, Json(l.JsonPointer))),
            ];
        }

        return location;
    }

    /// <summary>
    /// A fingerprint from what the finding is about, not where: the rule, the entry (its uuid, or for a line with
    /// no readable uuid the line's bytes), the pointer and the message with numbers blanked (messages quote line
    /// numbers, which shift when lines are added above).
    /// </summary>
    private static string Fingerprint(Diagnostic d, FileLintResult file)
    {
        var identity = d.Location.EntryUuid
            ?? (file.LineHashes.TryGetValue(d.Location.StartLine, out var bytes) ? "bytes:" + bytes : "line:" + d.Location.StartLine);
        var text = string.Join('\n', d.Id, identity, d.Location.JsonPointer ?? "", Digits().Replace(d.Message, "0"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    // The last reference token of a JSON pointer, unescaped (RFC 6901: ~1 is '/', ~0 is '~').
    private static string LastToken(string pointer) => pointer[(pointer.LastIndexOf('/') + 1)..].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();

    private static Notification Notification(ToolNotification n, Dictionary<string, int> ruleIndex, List<(FileLintResult Result, ArtifactLocation Uri)> files)
    {
        var notification = new Notification
        {
            Level = n.Level == "error" ? FailureLevel.Error : n.Level == "note" ? FailureLevel.Note : FailureLevel.Warning,
            Message = new Message { Text = n.Message },
        };
        if (n.RuleId is { } id)
        {
            notification.AssociatedRule = new ReportingDescriptorReference { Id = id, Index = ruleIndex.GetValueOrDefault(id, -1) };
        }

        var file = files.FindIndex(f => f.Result.Path == n.Path);
        if (file >= 0)
        {
            notification.Locations = [new SarifLocation { PhysicalLocation = new PhysicalLocation { ArtifactLocation = Located(files[file].Uri, file) } }];
        }

        return notification;
    }

    /// <summary>What <c>originalUriBaseIds.%SRCROOT%</c> says when no URI is given for it.</summary>
    public const string SourceRootDescription = "The folder given as --source-root when the log was written (default: the root of the git work tree). Every artifact URI is relative to it.";

    private static ArtifactLocation ArtifactUri(string localPath, string sourceRoot)
    {
        var relative = SourceRoots.Relative(localPath, sourceRoot);
        var escaped = string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));
        return new ArtifactLocation { Uri = new Uri(escaped, UriKind.Relative), UriBaseId = SourceRootId };
    }

    private static ArtifactLocation Located(ArtifactLocation uri, int index) => new() { Uri = uri.Uri, UriBaseId = uri.UriBaseId, Index = index };

    internal static FailureLevel Level(Severity s) => s switch
    {
        Severity.Error => FailureLevel.Error,
        Severity.Note => FailureLevel.Note,
        _ => FailureLevel.Warning,
    };

    private static string LevelName(FailureLevel l) => l switch
    {
        FailureLevel.Error => "error",
        FailureLevel.Note => "note",
        FailureLevel.None => "none",
        _ => "warning",
    };

    private static string ProblemSeverity(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "recommendation",
    };

    private static string Json(string? value)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, CompactJson))
        {
            if (value is null)
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteStringValue(value);
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Sets properties from JSON text (Sarif.Sdk keeps a property bag as serialized values).</summary>
    private static T Set<T>(T holder, params (string? Key, string Json)[] entries)
        where T : PropertyBagHolder
    {
        foreach (var (key, json) in entries)
        {
            if (key is not null)
            {
                holder.SetProperty(key, new JRaw(json));
            }
        }

        return holder;
    }

    // A finding as the cap ranks it (level, then file order), its SARIF result made on first use.
    private sealed class RankedResult(FailureLevel level, string ruleId, Func<Result> make)
    {
        private Result? _result;

        public FailureLevel Level { get; } = level;

        public string RuleId { get; } = ruleId;

        public int Order { get; set; }

        public Result Result => _result ??= make();
    }

    /// <summary>
    /// Writes <c>level</c> even when it is SARIF's default (<c>warning</c>): every result, rule and notification states
    /// it; and writes rule descriptions Sarif.Sdk would leave out.
    /// </summary>
    private sealed class ExplicitLevelResolver : DefaultContractResolver
    {
        protected override Newtonsoft.Json.Serialization.JsonProperty CreateProperty(System.Reflection.MemberInfo member, MemberSerialization memberSerialization)
        {
            var property = base.CreateProperty(member, memberSerialization);
            var explicitLevel = property.PropertyName == "level" && (member.DeclaringType == typeof(Result) || member.DeclaringType == typeof(ReportingConfiguration) || member.DeclaringType == typeof(Notification));
            // Sarif.Sdk also drops shortDescription when it equals the start of fullDescription; GitHub requires both.
            var explicitConfiguration = property.PropertyName is "defaultConfiguration" or "shortDescription" or "fullDescription" && member.DeclaringType == typeof(ReportingDescriptor);
            if (explicitLevel || explicitConfiguration)
            {
                // Sarif.Sdk leaves out values equal to SARIF's defaults (level "warning"); GitHub and readers of the
                // log should not need to know the default.
                property.DefaultValueHandling = DefaultValueHandling.Include;
                property.ShouldSerialize = o => property.ValueProvider!.GetValue(o) is not null;
            }

            return property;
        }
    }
}
