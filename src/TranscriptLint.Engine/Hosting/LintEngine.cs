using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Documents;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Model;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// The rule host: initialises every enabled rule once, then streams each transcript through the rules'
/// line and entry actions, builds the conversation view and runs conversation and end actions. A rule that
/// throws is reported and switched off for that file; reports of undeclared descriptors are refused. Rules run
/// on a worker thread under a watchdog (<see cref="LintOptions.RuleTimeout"/>): a rule action over budget is
/// abandoned, reported, and the file is linted again without that rule. Console output of rules is captured
/// (<see cref="PluginConsole"/>) and reported as a notification.
/// </summary>
public sealed partial class LintEngine
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 1024 };
    private readonly List<RuleRegistration> _registrations = [];
    private readonly List<ToolNotification> _initNotifications = [];

    // Rules that ran over their time budget: off for the rest of the run (their thread may still be running).
    private readonly ConcurrentDictionary<RuleRegistration, bool> _suspended = new();

    // The file whose first rule action started last on any thread, for a last word if a plugin ends the process.
    private static volatile FileRun? LastRun;

    /// <summary>Creates the host and initialises the enabled rules.</summary>
    /// <param name="rules">The loaded rules.</param>
    /// <param name="options">Severity, selection and profile.</param>
    public LintEngine(IReadOnlyList<LoadedRule> rules, LintOptions options)
    {
        PluginConsole.Install(); // rule output never reaches the real stdout, whoever hosts the engine
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
                _initNotifications.Add(new ToolNotification("error", $"Rule {registration.DisplayName} failed to initialise: {ExceptionText.OneLine(ex)}", registration.PrimaryId));
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
    /// <param name="readUpTo">Told, every few MB and at the end, how many bytes of the file have been read (for a progress line); may be called from a second reading thread.</param>
    /// <returns>The result.</returns>
    public FileLintResult LintFile(string path, string? displayPath = null, Action<long>? readUpTo = null)
    {
        // A FIFO would block open(2) forever and a device never ends: never open them.
        Files.FileKinds.EnsureNotSpecial(path, displayPath);

        // FileShare.ReadWrite: an agent may still be appending; we read a consistent prefix and hash exactly it.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var reported = readUpTo is null ? null : new ReadProgressStream(stream, readUpTo);
        return LintStream(reported ?? (Stream)stream, displayPath ?? path);
    }

    /// <summary>Lints a seekable stream.</summary>
    /// <param name="stream">The transcript bytes; must be seekable.</param>
    /// <param name="displayPath">The path shown in findings.</param>
    /// <returns>The result.</returns>
    public FileLintResult LintStream(Stream stream, string displayPath) => LintStream(stream, displayPath, Options.HashFiles);

    /// <summary>
    /// Lints content the fixer holds: no SHA-256 is computed, since the caller knows exactly which bytes were linted
    /// (<see cref="FileLintResult.Sha256"/> is empty). An unedited array is read as slices of itself; edited content, or
    /// a file read by offset, through its pieces.
    /// </summary>
    /// <param name="content">The bytes.</param>
    /// <param name="displayPath">The path shown in findings.</param>
    /// <param name="parseAheadFrom">A lower <see cref="LintOptions.ParseAheadFrom"/> for this file (the fixer's lints after its first run on compiled code), or null.</param>
    /// <param name="readUpTo">Told every few MB how far the lint has read, or null.</param>
    /// <param name="linesRead">When set, receives the lines of a JSON Lines file (<see cref="Fixing.LintedLines"/>).</param>
    /// <returns>The result.</returns>
    internal FileLintResult LintHeld(Fixing.FixedContent content, string displayPath, long? parseAheadFrom = null, Action<long>? readUpTo = null, StrongBox<Fixing.LintedLines?>? linesRead = null)
    {
        using var stream = content.OpenRead();

        // Bytes in memory are read as slices of themselves (a wrapper would make the lint copy them): no progress.
        using var reported = readUpTo is null || LineReader.InMemoryBytes(stream) is not null ? null : new ReadProgressStream(stream, readUpTo);
        return LintStream(reported ?? stream, displayPath, hashFiles: false, parseAheadFrom, linesRead);
    }

    private FileLintResult LintStream(Stream stream, string displayPath, bool hashFiles, long? parseAheadFrom = null, StrongBox<Fixing.LintedLines?>? linesRead = null)
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
            return Watched(stream, displayPath, gate => new FileRun(this, displayPath, documentDialect, gate, forcedDocument) { HashFiles = hashFiles });
        }

        // Classify first (binary, compressed, text, JSON Lines and its dialect): it reads a bounded sample, line by
        // line. Only a file that may be a whole-document format is then read whole and parsed as one document, so a
        // JSON Lines session (whatever the length of its lines) is never held in memory twice.
        var classification = FileClassifier.Classify(stream, Options.MaxLineBytes, forced);
        string? invalidUtf8 = null; // where a whole document holds invalid UTF-8 ("invalid UTF-8 at line 11, byte 425")
        if (forced is null && classification.MayBeDocument)
        {
            if (DocumentSniffer.Detect(stream, null, out var problem) is { } document)
            {
                using (document)
                {
                    return Watched(stream, displayPath, gate => new FileRun(this, displayPath, document.Dialect, gate, document) { HashFiles = hashFiles });
                }
            }

            // A saved session (Gemini CLI) with one bad byte or a torn end still looks like one JSON document: say why
            // it does not read as one, so the person whose session broke learns where, not only that it is "not JSON Lines".
            if (classification.Shape.Kind == FileShapeKind.JsonDocument && problem is { } why && TranscriptDocument.IsDamage(why))
            {
                // Invalid UTF-8 alone is what a Node-based harness reads past (as U+FFFD): restorable.
                invalidUtf8 = why.StartsWith(TranscriptDocument.InvalidUtf8Problem, StringComparison.Ordinal) ? why : null;
                classification = classification with { Shape = classification.Shape with { Description = $"{classification.Shape.Description}, but it does not read: {why}", MayBeRestored = classification.Shape.MayBeRestored || invalidUtf8 is not null } };
            }
        }

        if (forced is null && classification.Dialect is null && classification.Shape.MayBeRestored)
        {
            classification = RestorationVerdict(stream, classification, invalidUtf8);
        }

        stream.Position = 0;
        var source = LineReader.InMemoryBytes(stream);
        try
        {
            return Watched(stream, displayPath, gate => new FileRun(this, displayPath, classification, gate) { Source = source, HashFiles = hashFiles, ParseAheadFrom = Math.Min(parseAheadFrom ?? long.MaxValue, Options.ParseAheadFrom), LinesRead = linesRead });
        }
        finally
        {
            if (stream.Length > LargeFile)
            {
                LargeBuffers.Release(); // a huge line's buffer is not kept for the next file
            }
        }
    }

    // A transcript damaged as a whole (saved as UTF-16, padded with NULs, a Gemini CLI session cut off) stays not a
    // transcript (no rule reads it as it is), but when a restoration provably gives a transcript, its finding says
    // what the file holds and that fix can restore it; otherwise why not.
    private FileClassification RestorationVerdict(Stream stream, FileClassification classification, string? invalidUtf8)
    {
        var shape = classification.Shape;
        var restored = TranscriptRestoration.Restore(stream, out var why);
        var utf16 = shape.Kind == FileShapeKind.Utf16;
        if (restored is null)
        {
            return utf16 ? classification with { Shape = shape with { Description = $"UTF-16 text (transcripts are UTF-8), which fix cannot convert: {why}" } } : classification;
        }

        if (DialectOf(restored.Bytes) is not { } dialect)
        {
            return utf16 ? classification with { Shape = shape with { Description = "UTF-16 text (transcripts are UTF-8), and converted it is not a transcript either" } } : classification;
        }

        var description = (restored.Encoding, invalidUtf8) switch
        {
            ({ } encoding, _) => $"{encoding} text holding a {dialect} transcript (transcripts are UTF-8)",
            (_, { } where) =>
                $"a {dialect} transcript (one JSON document) holding {where}, which no strict JSON reader accepts (a Node-based harness reads each bad sequence as U+FFFD)",
            _ => shape.Description,
        };
        return classification with { Shape = shape with { Description = description }, Restoration = restored.How };
    }

    // The dialect that reads these UTF-8 bytes, or null when they are not a transcript.
    private string? DialectOf(byte[] utf8)
    {
        using var stream = new MemoryStream(utf8, writable: false);
        var classification = FileClassifier.Classify(stream, Options.MaxLineBytes);
        if (classification.Dialect is { } dialect)
        {
            return dialect.Name;
        }

        return classification.MayBeDocument ? DocumentSniffer.DialectOf(stream) : null;
    }

    // Files above this size let go of the reader's kept buffer when they are done.
    private const long LargeFile = 64L * 1024 * 1024;

    /// <summary>
    /// Runs the rules over one file under the watchdog; when a rule action runs over its budget, the run is
    /// abandoned and the file linted again without that rule, until a run completes.
    /// </summary>
    private FileLintResult Watched(Stream stream, string displayPath, Func<Stream, FileRun> create)
    {
        var stopped = new List<ToolNotification>();
        while (true)
        {
            stream.Position = 0;
            var gate = new GatedStream(stream);
            var run = create(gate);
            if (Options.RuleTimeout <= TimeSpan.Zero)
            {
                return run.Execute();
            }

            if (Watch(run, Options.RuleTimeout, out var stuck) is { } result)
            {
                return stopped.Count == 0 ? result : WithNotifications(result, stopped);
            }

            // Over budget: .NET cannot stop a thread, so leave it behind (it is a background thread and can no longer
            // touch the stream or report), switch the rule off, and lint the file again for a deterministic result.
            run.Abandon();
            gate.Close();
            _suspended[stuck.Registration] = true;
            stopped.Add(new ToolNotification(
                "error",
                $"Rule {stuck.Registration.DisplayName} ran for more than {Options.RuleTimeout.TotalSeconds:0.###} s on {displayPath} and was stopped; " +
                "the file was linted again without it, and it is off for the rest of this run (raise the budget with --rule-timeout or ruleTimeoutSeconds)",
                stuck.Registration.PrimaryId,
                displayPath));
        }
    }

    /// <summary>The rule action running now, for a last word when a plugin ends the process.</summary>
    /// <returns>E.g. "while rule TL9001 (SlowRule from Slow.Rules) on s.jsonl was running"; or the last rule that ran; null when none ran.</returns>
    public static string? DescribeLastRule() => LastRun is not { } run || run.LastStarted is not { } a
        ? null
        : run.Running == a
            ? $"while rule {a.Registration.DisplayName} on {run.Path} was running"
            : $"outside a rule action (the last rule to run was {a.Registration.DisplayName} on {run.Path})";

    // Everything the run without the stopped rule found, with the notices of the tries before it first. A copy
    // (`with`) keeps every property: one that listed them by hand dropped the rendered fixes, line hashes and unparsed
    // lines (SARIF lost its replacements, baselines their keys, the fixer its list of lines to repair first).
    private static FileLintResult WithNotifications(FileLintResult result, List<ToolNotification> first) =>
        result with { Notifications = [.. first, .. result.Notifications] };

    /// <summary>
    /// Runs the file on the caller's rules thread (<see cref="RulesThread"/>) and watches it: when the same rule action has been running for longer than
    /// <paramref name="budget"/> (the action counter has not moved), gives up and returns null.
    /// </summary>
    private static FileLintResult? Watch(FileRun run, TimeSpan budget, out FileRun.RuleActions stuck)
    {
        stuck = null!;
        var job = RulesThread.Start(run.Execute);
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(budget.TotalMilliseconds / 4, 5, 250));
        var lastSequence = -1L;
        var since = Stopwatch.GetTimestamp();
        while (!job.Wait(poll))
        {
            var sequence = run.Sequence;
            var running = run.Running;
            if (sequence != lastSequence || running is null)
            {
                lastSequence = sequence;
                since = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(since) >= budget && run.Sequence == sequence)
            {
                stuck = running;
                RulesThread.AbandonCurrent();
                return null;
            }
        }

        return job.Result();
    }

    /// <summary>Parses one line's bytes as a JSON object, the way a tolerant reader (Node's JSON.parse) would.</summary>
    /// <param name="bytes">The line.</param>
    /// <param name="flags">The reader's flags for the line.</param>
    /// <param name="error">The parse error, when it fails.</param>
    /// <param name="errorPosition">The byte position of the error in the line.</param>
    /// <param name="scratch">Whether <paramref name="bytes"/> are the caller's own buffer, which the parse may mask while it runs.</param>
    /// <returns>The document, or null.</returns>
    internal static JsonDocument? ParseLine(ReadOnlyMemory<byte> bytes, LineFlags flags, out string? error, out long errorPosition, bool scratch = false)
    {
        error = null;
        errorPosition = 0;
        if ((flags & LineFlags.TooLong) != 0)
        {
            error = "the line is longer than the configured maximum and was not parsed";
            return null;
        }

        if ((flags & LineFlags.InvalidUtf8) != 0)
        {
            // Node decodes invalid sequences as U+FFFD and parses on; do the same so TL1002 (encoding), not
            // TL1001 (structure), reports the bytes.
            bytes = LenientUtf8.Decode(bytes.Span);
            scratch = true; // a new array of its own
        }

        try
        {
            var doc = scratch && MemoryMarshal.TryGetArray(bytes, out var own)
                ? EscapedStringMask.Parse(own.AsMemory(), DocumentOptions)
                : JsonDocument.Parse(bytes, DocumentOptions);
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

    /// <summary>Thrown inside an abandoned run so its thread stops at the next rule action.</summary>
    internal sealed class AbandonedRunException() : Exception("This lint run was abandoned by the watchdog.");

    /// <summary>
    /// The transcript stream as one run sees it: every access holds a lock, and after it is closed (the
    /// watchdog abandoned the run) every access throws, so a thread left behind never moves the position of the
    /// stream the next run reads. Closing it does not close the stream underneath.
    /// </summary>
    private sealed class GatedStream(Stream inner) : Stream
    {
        private readonly Lock _gate = new();
        private bool _closed;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => Guarded(() => inner.Length);

        public override long Position { get => Guarded(() => inner.Position); set => Guarded(() => inner.Position = value); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Guarded(() => inner.Read(buffer, offset, count));

        public override long Seek(long offset, SeekOrigin origin) => Guarded(() => inner.Seek(offset, origin));

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                lock (_gate)
                {
                    _closed = true;
                }
            }

            base.Dispose(disposing);
        }

        private T Guarded<T>(Func<T> access)
        {
            lock (_gate)
            {
                return _closed ? throw new AbandonedRunException() : access();
            }
        }
    }
}
