using System.Text;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Documents;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// The rule host: initialises every enabled rule once, then streams each transcript through the rules'
/// line and entry actions, builds the conversation view and runs conversation and end actions. A rule that
/// throws is reported and switched off for that file; reports of undeclared descriptors are refused.
/// </summary>
public sealed partial class LintEngine
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 1024 };
    private readonly List<RuleRegistration> _registrations = [];
    private readonly List<ToolNotification> _initNotifications = [];

    /// <summary>Creates the host and initialises the enabled rules.</summary>
    /// <param name="rules">The loaded rules.</param>
    /// <param name="options">Severity, selection and profile.</param>
    public LintEngine(IReadOnlyList<LoadedRule> rules, LintOptions options)
    {
        Options = options;
        Rules = rules;
        foreach (var loaded in rules)
        {
            var enabled = loaded.Rule.SupportedDescriptors.Where(d => options.EffectiveSeverity(d) != Severity.None).ToList();
            if (enabled.Count == 0)
            {
                continue; // every id of this rule is off: do not even initialise it
            }

            var registration = new RuleRegistration(loaded, enabled, options);
            try
            {
                loaded.Rule.Initialize(registration);
                _registrations.Add(registration);
            }
            catch (Exception ex)
            {
                _initNotifications.Add(new ToolNotification("error", $"Rule {registration.DisplayName} failed to initialise: {ex.GetType().Name}: {ex.Message}", registration.PrimaryId));
            }
        }
    }

    /// <summary>The options in force.</summary>
    public LintOptions Options { get; }

    /// <summary>Every loaded rule, enabled or not.</summary>
    public IReadOnlyList<LoadedRule> Rules { get; }

    /// <summary>Problems met while initialising rules.</summary>
    public IReadOnlyList<ToolNotification> InitializationNotifications => _initNotifications;

    /// <summary>Lints a file on disk. Throws <see cref="IOException"/> (<see cref="Files.NotARegularFileException"/> for a FIFO, socket or device, which is never opened) or <see cref="UnauthorizedAccessException"/> when it cannot be read.</summary>
    /// <param name="path">The file.</param>
    /// <param name="displayPath">The path shown in findings (defaults to <paramref name="path"/>).</param>
    /// <returns>The result.</returns>
    public FileLintResult LintFile(string path, string? displayPath = null)
    {
        // A FIFO would block open(2) forever and a device never ends: never open them.
        Files.FileKinds.EnsureNotSpecial(path, displayPath);

        // FileShare.ReadWrite: an agent may still be appending; we read a consistent prefix and hash exactly it.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        return LintStream(stream, displayPath ?? path);
    }

    /// <summary>Lints a seekable stream.</summary>
    /// <param name="stream">The transcript bytes; must be seekable.</param>
    /// <param name="displayPath">The path shown in findings.</param>
    /// <returns>The result.</returns>
    public FileLintResult LintStream(Stream stream, string displayPath)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The transcript stream must be seekable.", nameof(stream));
        }

        var forced = Options.Dialect is { } name ? DialectRegistry.ByName(name) ?? throw new ArgumentException($"Unknown dialect '{name}'.") : null;
        if (forced is IDocumentDialect documentDialect)
        {
            using var forcedDocument = DocumentSniffer.Detect(stream, documentDialect, out var problem)
                ?? throw new IOException($"it is not a {documentDialect.Name} document: {problem}");
            return new FileRun(this, displayPath, documentDialect, stream, forcedDocument).Execute();
        }

        if (forced is null && DocumentSniffer.Detect(stream, null) is { } document)
        {
            using (document)
            {
                return new FileRun(this, displayPath, document.Dialect, stream, document).Execute();
            }
        }

        stream.Position = 0;
        var dialect = forced ?? DetectDialect(stream);
        stream.Position = 0;
        var run = new FileRun(this, displayPath, dialect, stream);
        return run.Execute();
    }

    private IDialect DetectDialect(Stream stream)
    {
        using var reader = new LineReader(new NonClosingStream(stream), Options.MaxLineBytes);
        for (var i = 0; i < 1000 && reader.TryReadLine(out var line); i++)
        {
            // The same tolerant parse as the lint pass (invalid UTF-8 decoded as U+FFFD); a torn first line must
            // not hide the format, so keep looking until an object parses.
            using var doc = line.Bytes.IsEmpty ? null : ParseLine(line.Bytes, line.Flags, out _, out _);
            if (doc is not null)
            {
                return DialectRegistry.Detect(doc.RootElement);
            }
        }

        return DialectRegistry.Detect(null);
    }

    /// <summary>Parses one line's bytes as a JSON object, the way a tolerant reader (Node's JSON.parse) would.</summary>
    /// <param name="bytes">The line.</param>
    /// <param name="flags">The reader's flags for the line.</param>
    /// <param name="error">The parse error, when it fails.</param>
    /// <param name="errorPosition">The byte position of the error in the line.</param>
    /// <returns>The document, or null.</returns>
    internal static JsonDocument? ParseLine(ReadOnlyMemory<byte> bytes, LineFlags flags, out string? error, out long errorPosition)
    {
        error = null;
        errorPosition = 0;
        if (flags.HasFlag(LineFlags.TooLong))
        {
            error = "the line is longer than the configured maximum and was not parsed";
            return null;
        }

        if (flags.HasFlag(LineFlags.InvalidUtf8))
        {
            // Node decodes invalid sequences as U+FFFD and parses on; do the same so TL1002 (encoding), not
            // TL1001 (structure), reports the bytes.
            bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes.Span));
        }

        try
        {
            var doc = JsonDocument.Parse(bytes, DocumentOptions);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"the line is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object";
                doc.Dispose();
                return null;
            }

            return doc;
        }
        catch (JsonException ex)
        {
            errorPosition = ex.BytePositionInLine ?? 0;
            error = OneLine(ex.Message);
            return null;
        }
    }

    private static string OneLine(string message)
    {
        // System.Text.Json messages end with " LineNumber: 0 | BytePositionInLine: 12." — our locations say that.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = (cut > 0 ? message[..cut] : message).Trim();
        return text.TrimEnd('.');
    }

    /// <summary>The per-rule registrations made in <see cref="TranscriptRule.Initialize"/>.</summary>
    internal sealed class RuleRegistration(LoadedRule loaded, List<RuleDescriptor> enabled, LintOptions options) : RuleInitializationContext
    {
        public LoadedRule Loaded { get; } = loaded;

        public List<Action<TranscriptStartContext>> StartActions { get; } = [];

        public RuleOptions RuleOptions { get; } = loaded.Rule.SupportedDescriptors.Select(d => options.RuleOptions.GetValueOrDefault(d.Id)).FirstOrDefault(o => o is not null) ?? RuleOptions.Empty;

        public Dictionary<string, Severity> Severities { get; } = enabled.ToDictionary(d => d.Id, options.EffectiveSeverity, StringComparer.Ordinal);

        public HashSet<string> DeclaredIds { get; } = loaded.Rule.SupportedDescriptors.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

        public string PrimaryId => Loaded.Rule.SupportedDescriptors.FirstOrDefault()?.Id ?? Loaded.Rule.GetType().Name;

        public string DisplayName => $"{PrimaryId} ({Loaded.Rule.GetType().Name} from {Loaded.Source})";

        public override void RegisterTranscriptStartAction(Action<TranscriptStartContext> action) => StartActions.Add(action);
    }

    /// <summary>Wraps a stream so a reader can dispose its wrapper without closing the shared stream.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
