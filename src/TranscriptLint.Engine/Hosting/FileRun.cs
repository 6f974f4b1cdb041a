using System.Runtime.CompilerServices;
using System.Text.Json;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Documents;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Reading;
using TranscriptLint.Fixes;
using TranscriptLint.Model;
using TranscriptLint.Reporting;

namespace TranscriptLint.Engine.Hosting;

public sealed partial class LintEngine
{
    /// <summary>One transcript passing through the rules.</summary>
    private sealed class FileRun
    {
        private readonly LintEngine _engine;
        private readonly IDialect? _dialect;
        private readonly Stream _stream;
        private readonly TranscriptInfo _info;
        private readonly List<RuleActions> _actions = [];

        // Every rule's line and entry actions in one array each, in rule order: each line walks these, not every rule.
        private (RuleActions Rule, Action<LineContext> Action)[] _lineActions = [];
        private (RuleActions Rule, Action<EntryContext> Action)[] _entryActions = [];
        private readonly bool _timeRules;
        private static readonly IReadOnlyDictionary<string, TimeSpan> NoRuleTimes = new Dictionary<string, TimeSpan>();
        private readonly List<Diagnostic> _diagnostics = [];
        private readonly List<ToolNotification> _notifications = [];
        private readonly SegmentedList<Entry> _entries = new();

        // Rows instead of entry objects, when the conversation can be built over them and no rule asks for the object
        // model (decision 0004, step 2); null when entries are kept.
        private EntryRows? _rows;
        private string? _indexStorage; // what a file large enough for rows kept, for lint --timing
        private readonly TranscriptDocument? _document;

        // The tool-call view's inputs and result texts, kept only when some rule registered a tool-call action.
        private ToolCallReader? _toolCalls;

        // Compact per-line index for resolving columns and rendering fixes afterwards: offset, byte length, ending,
        // char length (-1 for a line too long to read).
        private readonly LineTable _lines = new();

        // Where OwnCopy copies a line held in memory, to parse it masked.
        private byte[] _scratch = [];
        private bool _lineTooLong; // a line over the limit was skipped unread: its characters were not counted
        private readonly List<int> _unparsed = [];

        // The line and entry every rule's context reads while its actions run: set once a line, not once a rule.
        private readonly CurrentLine _current = new();

        // The watchdog's view (see LintEngine.Watch): the rule action running now (its rule's index in _actions, -1 for
        // none), and a counter that moves whenever an action starts or ends. Written only by the thread running this
        // file, twice an action: integers, since a reference written to the heap costs a GC write barrier each time
        // (about 1 % of a lint with every rule).
        private volatile int _running = -1;
        private int _lastStarted = -1;
        private long _sequence;

        public FileRun(LintEngine engine, string path, FileClassification classification, Stream stream)
            : this(engine, path, classification.Dialect, stream, null, classification.NotATranscript, classification.Restoration?.Title)
        {
        }

        public FileRun(LintEngine engine, string path, IDialect dialect, Stream stream, TranscriptDocument? document = null)
            : this(engine, path, (IDialect?)dialect, stream, document, null, null)
        {
        }

        private FileRun(LintEngine engine, string path, IDialect? dialect, Stream stream, TranscriptDocument? document, string? notATranscript, string? restoration)
        {
            _document = document;
            _engine = engine;
            _timeRules = engine.Options.TimeRules;
            _dialect = dialect;
            _stream = stream;
            _info = new TranscriptInfo(path, _dialect?.Name ?? DialectRegistry.NoDialect, engine.Options.Profile) { NotATranscript = notATranscript, Restoration = restoration, Traits = _dialect?.Traits ?? DialectTraits.None, DocumentHasByteOrderMark = document?.BomLength > 0 };
            Console = new PluginConsole.Capture { Current = () => Running };
        }

        /// <summary>Whether to compute the file's SHA-256 (<see cref="LintOptions.HashFiles"/>, or false for bytes the caller holds).</summary>
        public bool HashFiles { get; init; } = true;

        /// <summary>The smallest file read ahead when <see cref="LintOptions.ParseAhead"/> is on (the options' value unless the caller knows better).</summary>
        public long ParseAheadFrom { get; init; } = long.MaxValue;

        /// <summary>The file's bytes when they are already in memory (the fixer's): lines are read as slices of them, not copied.</summary>
        public ReadOnlyMemory<byte>? Source { get; init; }

        /// <summary>When set, receives the lines of a JSON Lines file read whole (the fixer's next pass uses them).</summary>
        public StrongBox<LintedLines?>? LinesRead { get; init; }

        /// <summary>The console output of this file's rule actions.</summary>
        public PluginConsole.Capture Console { get; }

        /// <summary>Set when the watchdog gave up on this run (<see cref="Abandon"/>): the next rule action throws instead of running.</summary>
        public volatile bool Abandoned;

        private volatile ParseAhead? _parseAhead;

        /// <summary>The watchdog gave up on this run: its rule actions throw from now on and its reading stops.</summary>
        public void Abandon()
        {
            Abandoned = true;
            _parseAhead?.Cancel();
        }

        // _actions only grows, and an index is published (volatile) after its rule was added.
        public RuleActions? Running => _running is var i and >= 0 ? _actions[i] : null;

        /// <summary>The rule whose action started last on this file, or null.</summary>
        public RuleActions? LastStarted => _lastStarted is var i and >= 0 ? _actions[i] : null;

        public long Sequence => Volatile.Read(ref _sequence);

        public string Path => _info.Path;

        public FileLintResult Execute() => _dialect is null ? ExecuteNotATranscript() : ExecuteTranscript(_dialect);

        // Not a transcript (or empty): only the not-a-transcript rule's start action runs, nothing is parsed, and the
        // bytes are only hashed, so a binary or a huge document costs one streaming read and one finding.
        private FileLintResult ExecuteNotATranscript()
        {
            if (_info.NotATranscript is not null)
            {
                foreach (var reg in _engine._registrations.Where(r => r.DeclaredIds.Contains(TranscriptInfo.NotATranscriptRuleId)))
                {
                    var actions = new RuleActions(this, reg, _actions.Count);
                    _actions.Add(actions);
                    foreach (var start in reg.StartActions)
                    {
                        actions.Invoke(() => start(new StartContext(actions)));
                    }
                }
            }

            _stream.Position = 0;
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long length = 0;
            var lines = 0;
            var last = (byte)'\n';
            int read;
            while ((read = _stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                last = buffer[read - 1];
                length += read;
            }

            _diagnostics.Sort(CompareDiagnostics);
            return new FileLintResult
            {
                Path = _info.Path,
                Dialect = _info.Dialect,
                Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
                LineCount = lines + (last == (byte)'\n' ? 0 : 1),
                Length = length,
                Diagnostics = _diagnostics,
                Notifications = _notifications,
                LineHashes = _engine.Options.HashFindingLines ? StreamedLineHashes() : NoLineHashes,
            };
        }

        // With timing on, each rule's time in its actions on this file, by its first id (a rule that got no call is
        // listed at zero, so every rule that ran on the file appears).
        private IReadOnlyDictionary<string, TimeSpan> RuleTimes()
        {
            if (!_timeRules)
            {
                return NoRuleTimes;
            }

            var times = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
            foreach (var a in _actions)
            {
                var id = a.Registration.PrimaryId;
                times[id] = times.GetValueOrDefault(id) + System.Diagnostics.Stopwatch.GetElapsedTime(0, a.ElapsedTicks);
            }

            return times;
        }

        private FileLintResult ExecuteTranscript(IDialect dialect)
        {
            using var console = PluginConsole.Enter(Console);
            var result = ExecuteRules(dialect);
            foreach (var (key, chars, firstLine) in Console.Drain())
            {
                var who = key is RuleActions a ? $"Rule {a.Registration.DisplayName}" : "Plugin code";
                _notifications.Add(new ToolNotification(
                    "warning",
                    $"{who} wrote {chars} character(s) to the console while linting {_info.Path}; captured, not printed: {firstLine}",
                    (key as RuleActions)?.Registration.PrimaryId,
                    _info.Path));
            }

            return result;
        }

        private FileLintResult ExecuteRules(IDialect dialect)
        {
            foreach (var reg in _engine._registrations)
            {
                if (_engine._suspended.ContainsKey(reg))
                {
                    continue; // ran over its time budget on an earlier file (or an earlier try of this one)
                }

                var actions = new RuleActions(this, reg, _actions.Count);
                _actions.Add(actions);
                foreach (var start in reg.StartActions)
                {
                    actions.Invoke(() => start(new StartContext(actions)));
                }
            }

            // The contract: actions are registered in the start action. Later ones are refused (StartContext.Open).
            foreach (var a in _actions)
            {
                a.RegistrationClosed = true;
            }

            (_lineActions, _entryActions) = (InRuleOrder(a => a.LineActions), InRuleOrder(a => a.EntryActions));

            if (_actions.Any(a => a.ToolCallActions.Count > 0))
            {
                _toolCalls = new ToolCallReader();
            }

            if (_document is null && _engine.Options.EntryRows && (Source?.Length ?? _stream.Length) >= _engine.Options.EntryRowsFrom)
            {
                // A file long enough for rows keeps them unless its format or a rule needs an entry object per line.
                var objectModel = _actions.FirstOrDefault(a => a.ConversationActions.Count > 0 || a.ToolCallActions.Count > 0);
                var entriesBecause = dialect is not ClaudeCodeDialect ? $"the {dialect.Name} format has no rows yet"
                    : objectModel is not null ? $"rule {objectModel.Registration.PrimaryId} reads the object model ({(objectModel.ConversationActions.Count > 0 ? "a conversation action" : "a tool-call action")})"
                    : null;
                _indexStorage = entriesBecause is null ? "rows" : "entries: " + entriesBecause;
                _rows = entriesBecause is null ? new EntryRows(_lines) : null;
            }

            string sha;
            long length;
            if (_document is not null)
            {
                ProcessDocument(_document);
                sha = HashFiles ? Sha256Hex(_document.Bytes) : "";
                length = _document.Bytes.Length;
            }
            else
            {
            using (var reader = Source is { } source ? new LineReader(source, _engine.Options.MaxLineBytes, HashFiles) : new LineReader(new NonClosingStream(_stream), _engine.Options.MaxLineBytes, HashFiles))
            {
                var streamLength = _stream.Length;
                if (_engine.Options.ParseAhead && streamLength >= ParseAheadFrom)
                {
                    using var ahead = new ParseAhead(reader, streamLength, copyBytes: Source is null, _engine.Options.MaskEscapedStrings);
                    _parseAhead = ahead;
                    if (Abandoned)
                    {
                        ahead.Cancel();
                    }

                    while (ahead.TryTake(out var parsed))
                    {
                        ProcessLine(parsed, ownsDocument: false); // the read-ahead thread disposes it (see ParseAhead)
                    }
                }
                else
                {
                    while (reader.TryReadLine(out var line))
                    {
                        ProcessLine(ParsedLine.Parse(OwnCopy(line), streamLength, _engine.Options.MaskEscapedStrings), ownsDocument: true);
                    }
                }

                sha = reader.Sha256 ?? "";
                length = reader.BytesRead;
            }
            }

            // A large file's index now sits among its lines' garbage and the free space between kept objects, and the
            // conversation is about to add its tables: one compacting collection here keeps the peak down. Stop 32
            // added it (a 1 GB session 184-186 -> 171-175 MiB); stop 45 took it out when it only cost time (138.9-139.6
            // MiB without it against 140.5-140.7). Stop 48 needs it again: with TL5001 allocating less, the runtime
            // collects less often (24 young collections instead of 28) and the heap ended with 13 MB of free space
            // between objects instead of 5, so the 1 GB peak rose to 152.7-153.4 MiB; with it, 141.3-141.5, the same CPU
            // (`-j1`, 3 runs alternated).
            if (_entries.Count >= CompactBeforeConversation)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            }

            ConversationIndex? index = _rows is null ? null : RowIndexOrEmpty(_rows); // with entries, made for the first rule that reads it
            var conversation = _rows is null ? BuildConversation(dialect) : null; // rows: no rule asked for the object model
            if (_toolCalls is not null)
            {
                RunToolCallActions(_toolCalls, conversation!);
            }

            foreach (var a in _actions)
            {
                foreach (var action in a.ConversationActions)
                {
                    a.Invoke(() => action(new ConversationCtx(a, conversation!)));
                }

                foreach (var action in a.IndexActions)
                {
                    index ??= new KeptEntryIndex(conversation!);
                    a.Invoke(() => action(new IndexCtx(a, index)));
                }
            }

            foreach (var a in _actions)
            {
                foreach (var action in a.EndActions)
                {
                    a.Invoke(() => action(new EndCtx(a, _document?.Text.LineCount ?? _lines.Count)));
                }
            }

            // Decision 0001: a fix that changes the chain before thinking bound to its prefix also removes that thinking.
            var extended = Fixing.PrefixBoundThinking.Apply(index ??= new KeptEntryIndex(conversation!), _diagnostics);
            if (!ReferenceEquals(extended, _diagnostics))
            {
                _diagnostics.Clear();
                _diagnostics.AddRange(extended);
            }

            var resolved = _document is null ? ResolveLocations(_diagnostics) : ResolveDocumentLocations(_document, _diagnostics);
            resolved.Sort(CompareDiagnostics);
            var lineSource = _document is null ? new SourceLines(_lines, _lines.Count > 0 ? (int)_lines[0].Offset : 0, LineBytes) : null;
            if (LinesRead is not null && _document is null && !_lineTooLong)
            {
                LinesRead.Value = new LintedLines(_lines, lineSource!.BomLength, length);
            }

            return new FileLintResult
            {
                Path = _info.Path,
                Dialect = dialect.Name,
                Sha256 = sha,
                LineCount = _document?.Text.LineCount ?? _lines.Count,
                Length = length,
                Diagnostics = resolved,
                Notifications = _notifications,
                UnparsedLines = _unparsed,
                RuleTimes = RuleTimes(),
                IndexStorage = _timeRules ? _indexStorage : null,
                RenderedFixes = !_engine.Options.RenderFixes ? NoRenderedFixes : RenderFixes(resolved, edits => _document is null ? FixRenderer.Render(lineSource!, dialect, edits) : FixRenderer.Render(_document, edits)),
                LineHashes = !_engine.Options.HashFindingLines ? NoLineHashes
                    : _document is null ? LineHashes(resolved, _lines.Count, lineSource!.Content)
                    : LineHashes(resolved, _document.Text.LineCount, n => _document.Bytes[_document.Text.LineStart(n).._document.Text.LineContentEnd(n)]),
            };
        }

        // Enough for any transcript worth repairing; a binary file's millions of "lines" are not listed.
        private const int MaxUnparsedLines = 65_536;

        // About 280 MB of a Claude Code session: below it a collection costs more than the memory it saves.
        private const int CompactBeforeConversation = 100_000;

        // A line's or a file's SHA-256 as lower-case hex. Not inlined: naming SHA-256 in ExecuteRules loaded the
        // cryptography library for every file, hashed or not.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

        // Every rule's actions of one kind, rule by rule, each with its rule.
        private (RuleActions Rule, Action<TContext> Action)[] InRuleOrder<TContext>(Func<RuleActions, List<Action<TContext>>> of)
        {
            var all = new List<(RuleActions, Action<TContext>)>();
            foreach (var a in _actions)
            {
                foreach (var action in of(a))
                {
                    all.Add((a, action));
                }
            }

            return all.ToArray();
        }

        // Every entry is kept until the conversation rules have run: its shape (kind, type, role, model, session, flags)
        // is shared with the equal ones before it, so the index grows by the entry's ids and position, not its strings.
        // With rows, the entry is copied into them and dies with its line.
        private void Keep(Entry entry)
        {
            entry.ShareShape();
            if (_rows is not null)
            {
                _rows.Add(entry);
            }
            else
            {
                _entries.Add(entry);
            }
        }

        private Conversation BuildConversation(IDialect dialect)
        {
            try
            {
                return dialect.BuildConversation(_entries);
            }
            catch (Exception ex)
            {
                NoConversation(ex);
                return new EmptyConversation(_entries);
            }
        }

        private void NoConversation(Exception ex) =>
            _notifications.Add(new ToolNotification("error", $"{_info.Path}: could not build the conversation view ({ex.GetType().Name}: {ex.Message}); conversation rules skipped.", Path: _info.Path));

        private ConversationIndex RowIndexOrEmpty(EntryRows rows)
        {
            try
            {
                return new RowIndex(rows, new ClaudeCodeChain(rows), ReadEntryAgain);
            }
            catch (Exception ex)
            {
                NoConversation(ex);
                return new KeptEntryIndex(new EmptyConversation([]));
            }
        }

        // A line's entry made again from its bytes, for a rule that asks a row index for the object (a fix's edits).
        private Entry? ReadEntryAgain(TranscriptLine line)
        {
            ReadOnlyMemory<byte>? read;
            try
            {
                read = ReadLine(line);
            }
            catch (ObjectDisposedException)
            {
                throw new InvalidOperationException($"{_info.Path}: the lint has ended and the file is closed; an entry of the conversation index can be made (ToEntry, ToBlock) only while the rule's action runs.");
            }

            if (read is not { } bytes)
            {
                return null;
            }

            using var doc = System.Text.Json.JsonDocument.Parse(bytes, DocumentOptions);
            var entry = _dialect!.ReadEntry(doc.RootElement, line);
            entry.KeepCompact();
            return entry;
        }

        // The line's bytes live in the reader's (or the parse-ahead batch's) buffer: every action runs before the next line.
        private void ProcessLine(in ParsedLine parsed, bool ownsDocument)
        {
            var raw = parsed.Raw;
            var tooLong = (raw.Flags & LineFlags.TooLong) != 0;
            _lineTooLong |= tooLong;
            _lines.Add(new LineSpan(raw.Line.ByteOffset, raw.Line.ContentLength, raw.Line.Terminator, tooLong ? -1 : raw.Line.CharLength));
            var bytes = raw.Bytes;
            var doc = parsed.Document;
            using (ownsDocument ? doc : null)
            {
                _current.SetLine(raw, bytes, doc is not null, parsed.Error, parsed.ErrorPosition, parsed.IsLast, parsed.Blank); // valid only during the callbacks
                foreach (var (a, action) in _lineActions)
                {
                    a.Invoke(action, a.LineContext); // no closure per action per line
                }

                if (doc is null)
                {
                    if (!parsed.Blank && _unparsed.Count < MaxUnparsedLines)
                    {
                        _unparsed.Add(raw.Line.Number);
                    }

                    return;
                }

                var entry = _dialect!.ReadEntry(doc.RootElement, raw.Line);
                Keep(entry);
                var root = doc.RootElement;
                _toolCalls?.Collect(entry, root);
                _current.SetEntry(entry, root, bytes); // valid only during the callbacks
                foreach (var (a, action) in _entryActions)
                {
                    a.Invoke(action, a.EntryContext);
                }

                entry.KeepCompact();
            }
        }

        // A line held in memory by the caller (a fix's output, piped input) is not the parse's to mask; one with escapes
        // is copied into a buffer of this run's first, which the next line reuses once this one's document is disposed.
        private RawLine OwnCopy(RawLine line)
        {
            if (line.Scratch || !_engine.Options.MaskEscapedStrings || !EscapedStringMask.WorthCopying(line.Bytes.Span))
            {
                return line;
            }

            var length = line.Bytes.Length;
            if (_scratch.Length < length)
            {
                _scratch = new byte[Math.Max(length, Math.Min(EscapedStringMask.CopyLimit, _scratch.Length * 2))];
            }

            line.Bytes.Span.CopyTo(_scratch);
            return new RawLine(line.Line, _scratch.AsMemory(0, length), line.Flags, scratch: true);
        }

        private void RunToolCallActions(ToolCallReader reader, Conversation conversation)
        {
            List<ToolCall> calls;
            try
            {
                calls = reader.Build(conversation);
            }
            catch (Exception ex)
            {
                _notifications.Add(new ToolNotification("error", $"{_info.Path}: could not build the tool-call view ({ex.GetType().Name}: {ex.Message}); tool-call actions skipped.", Path: _info.Path));
                return;
            }

            foreach (var a in _actions)
            {
                foreach (var action in a.ToolCallActions)
                {
                    foreach (var call in calls)
                    {
                        a.Invoke(() => action(new ToolCallCtx(a, call, conversation)));
                    }
                }
            }
        }

        // A whole document: no line actions (its physical lines are not JSON objects); each element of its entries
        // array is an entry, its JSON and bytes the element's own.
        private void ProcessDocument(TranscriptDocument document)
        {
            for (var i = 0; i < document.Elements.Count; i++)
            {
                var element = document.Elements[i];
                var entry = element.Entry;
                Keep(entry);
                var json = document.Values[i];
                _toolCalls?.Collect(entry, json);
                _current.SetEntry(entry, json, document.Bytes.AsMemory(element.Start, element.End - element.Start));
                foreach (var (a, action) in _entryActions)
                {
                    a.Invoke(action, a.EntryContext);
                }
            }
        }

        // A location names an entry by its start line (and key); its pointer resolves inside the element's span
        // and becomes a physical line/column range, possibly over several lines.
        private static List<Diagnostic> ResolveDocumentLocations(TranscriptDocument document, List<Diagnostic> diagnostics)
        {
            var result = new List<Diagnostic>(diagnostics.Count);
            foreach (var d in diagnostics)
            {
                var loc = d.Location;
                if (loc.EndColumn > 0 && loc.JsonPointer is null)
                {
                    result.Add(d);
                    continue;
                }

                int start, end;
                if (document.Find(new EntryRef(loc.StartLine, loc.EntryUuid)) is { } element)
                {
                    (start, end) = (element.Start, element.End);
                    if (loc.JsonPointer is { } pointer
                        && JsonPointerLocator.Find(document.Bytes.AsSpan(element.Start, element.End - element.Start), pointer) is { } span)
                    {
                        (start, end) = (element.Start + span.Start, element.Start + span.End);
                    }
                }
                else if (loc.StartLine >= 1 && loc.StartLine <= document.Text.LineCount)
                {
                    (start, end) = (document.Text.LineStart(loc.StartLine), document.Text.LineContentEnd(loc.StartLine));
                }
                else
                {
                    result.Add(d);
                    continue;
                }

                result.Add(d.WithLocation(loc with
                {
                    StartLine = document.Text.LineOf(start),
                    StartColumn = document.Text.ColumnOf(start),
                    EndLine = document.Text.LineOf(Math.Max(start, end - 1)),
                    EndColumn = document.Text.ColumnOf(end),
                }));
            }

            return result;
        }

        // The lines findings point at, read again with the line reader (this path keeps no line index).
        private Dictionary<int, string> StreamedLineHashes()
        {
            var wanted = _diagnostics.Where(d => d.Location.EntryUuid is null).Select(d => d.Location.StartLine).ToHashSet();
            var hashes = new Dictionary<int, string>();
            if (wanted.Count == 0)
            {
                return hashes;
            }

            _stream.Position = 0;
            using var reader = new LineReader(new NonClosingStream(_stream));
            while (hashes.Count < wanted.Count && reader.TryReadLine(out var raw))
            {
                if (wanted.Contains(raw.Line.Number) && (raw.Flags & LineFlags.TooLong) == 0)
                {
                    hashes[raw.Line.Number] = Sha256Hex(raw.Bytes.Span);
                }
            }

            return hashes;
        }

        private static readonly Dictionary<int, string> NoLineHashes = [];

        private static readonly Dictionary<Fix, RenderedFix> NoRenderedFixes = new(ReferenceEqualityComparer.Instance);

        // Every fix rendered once, here, against the bytes just linted: what reports show and the fixer applies.
        private static Dictionary<Fix, RenderedFix> RenderFixes(List<Diagnostic> diagnostics, Func<IReadOnlyList<FixEdit>, RenderedFix> render)
        {
            var rendered = new Dictionary<Fix, RenderedFix>(ReferenceEqualityComparer.Instance);
            foreach (var fix in diagnostics.SelectMany(d => d.Fixes))
            {
                if (!rendered.ContainsKey(fix))
                {
                    rendered[fix] = render(fix.Edits);
                }
            }

            return rendered;
        }

        // Findings without an entry id are told apart by their line's bytes (fingerprints, baselines).
        private static Dictionary<int, string> LineHashes(List<Diagnostic> diagnostics, int lineCount, Func<int, byte[]> content)
        {
            var hashes = new Dictionary<int, string>();
            foreach (var line in diagnostics.Where(d => d.Location.EntryUuid is null).Select(d => d.Location.StartLine).Distinct())
            {
                if (line >= 1 && line <= lineCount)
                {
                    hashes[line] = Sha256Hex(content(line));
                }
            }

            return hashes;
        }

        private static int CompareDiagnostics(Diagnostic a, Diagnostic b)
        {
            var c = a.Location.StartLine.CompareTo(b.Location.StartLine);
            if (c == 0) c = a.Location.StartColumn.CompareTo(b.Location.StartColumn);
            if (c == 0) c = string.CompareOrdinal(a.Id, b.Id);
            if (c == 0) c = a.Location.EndLine.CompareTo(b.Location.EndLine);
            if (c == 0) c = a.Location.EndColumn.CompareTo(b.Location.EndColumn);
            if (c == 0) c = string.CompareOrdinal(a.Message, b.Message);
            return c;
        }

        // Entry-level locations leave columns open; narrow them to the pointed value by re-reading only the
        // lines that have findings (the run never kept line text in memory).
        private List<Diagnostic> ResolveLocations(List<Diagnostic> diagnostics)
        {
            var result = new List<Diagnostic>(diagnostics.Count);
            var cache = new LineBytesCache(); // findings come rule by rule, a line's often together: the recent lines stay
            foreach (var d in diagnostics)
            {
                var loc = d.Location;
                if (loc.StartLine < 1 || loc.StartLine > _lines.Count)
                {
                    result.Add(d);
                    continue;
                }

                var info = _lines[loc.StartLine - 1];
                if (loc.EndColumn > 0 && loc.JsonPointer is null)
                {
                    result.Add(d);
                    continue;
                }

                var newLoc = loc with { StartColumn = 1, EndColumn = Math.Max(0, info.Chars) + 1 };
                if (loc.JsonPointer is { } pointer && loc.StartLine == loc.EndLine && info.Length > 0 && info.Chars > 0)
                {
                    byte[]? large = null;
                    ReadOnlyMemory<byte> bytes;
                    if (cache.TryGet(loc.StartLine, out var cached))
                    {
                        bytes = cached;
                    }
                    else if (Source is { } source)
                    {
                        bytes = source.Slice((int)info.Offset, info.Length); // a slice, never a copy
                    }
                    else if (info.Length > LargeLine)
                    {
                        // A huge line is read into the reader's kept buffer, used and given back: no second copy.
                        large = LargeBuffers.Rent(info.Length);
                        bytes = ReadLineBytes(info.Offset, large.AsMemory(0, info.Length));
                    }
                    else
                    {
                        var line = new byte[info.Length];
                        ReadLineBytes(info.Offset, line);
                        bytes = cache.Add(loc.StartLine, line);
                    }

                    if (JsonPointerLocator.Find(bytes.Span, pointer) is { } span)
                    {
                        newLoc = newLoc with
                        {
                            StartColumn = JsonPointerLocator.ColumnOf(bytes.Span, span.Start),
                            EndColumn = JsonPointerLocator.ColumnOf(bytes.Span, span.End),
                        };
                    }

                    if (large is not null)
                    {
                        LargeBuffers.Return(large);
                    }
                }

                result.Add(d.WithLocation(newLoc));
            }

            return result;
        }

        private const int LargeLine = 1024 * 1024;

        // A copy of one line's content (the renderer keeps the few lines a fix and its neighbours need).
        private byte[] LineBytes(long offset, int length)
        {
            if (Source is { } source)
            {
                return source.Slice((int)offset, length).ToArray();
            }

            var bytes = new byte[length];
            ReadLineBytes(offset, bytes);
            return bytes;
        }

        // An entry's bytes read again (RuleActionContext.ReadEntryBytes): a slice when the file is in memory, else
        // read from the stream and the stream put back where the line reader left it.
        private ReadOnlyMemory<byte>? EntryBytes(Entry entry)
        {
            if (_document is not null)
            {
                return _document.Find(entry.Ref) is { } element ? _document.Bytes.AsMemory(element.Start, element.End - element.Start) : null;
            }

            return ReadLine(entry.Line);
        }

        // A line's bytes read again, when it is this file's line as read.
        private ReadOnlyMemory<byte>? ReadLine(TranscriptLine line)
        {
            if (line.Number < 1 || line.Number > _lines.Count || _lines[line.Number - 1].Offset != line.ByteOffset || _lines[line.Number - 1].Length != line.ContentLength)
            {
                return null; // not an entry of this file
            }

            if (Source is { } source)
            {
                return source.Slice((int)line.ByteOffset, line.ContentLength);
            }

            var at = _stream.Position;
            try
            {
                return ReadLineBytes(line.ByteOffset, new byte[line.ContentLength]);
            }
            finally
            {
                _stream.Position = at;
            }
        }

        private Memory<byte> ReadLineBytes(long offset, Memory<byte> into)
        {
            _stream.Position = offset;
            _stream.ReadExactly(into.Span);
            return into;
        }

        /// <summary>The actions one rule registered for this file, and its crash switch.</summary>
        internal sealed class RuleActions(FileRun run, RuleRegistration registration, int index)
        {
            public FileRun Run { get; } = run;

            /// <summary>This rule's place in its run's rules.</summary>
            public int Index { get; } = index;

            public RuleRegistration Registration { get; } = registration;

            public List<Action<LineContext>> LineActions { get; } = [];

            public List<Action<EntryContext>> EntryActions { get; } = [];

            public List<Action<ConversationContext>> ConversationActions { get; } = [];

            public List<Action<ToolCallContext>> ToolCallActions { get; } = [];

            public List<Action<IndexContext>> IndexActions { get; } = [];

            public List<Action<TranscriptEndContext>> EndActions { get; } = [];

            public bool Crashed { get; private set; }

            /// <summary>Set once the start actions have run: an action registered later would never run.</summary>
            public bool RegistrationClosed { get; set; }

            /// <summary>With timing on, the stopwatch ticks spent in this rule's actions on this file.</summary>
            public long ElapsedTicks { get; private set; }

            private LineCtx? _lineCtx;
            private EntryCtx? _entryCtx;

            // Line and entry contexts are valid only during their callback (the line's JSON is disposed after it), so
            // one per rule serves every line: it reads the run's current line, and nothing is written per rule per line.
            public LineContext LineContext => _lineCtx ??= new LineCtx(this);

            public EntryContext EntryContext => _entryCtx ??= new EntryCtx(this);

            private HashSet<string>? _refusals; // made at a rule's first refused finding: a rule per file, most never

            public void Invoke(Action action) => Invoke(static run => run(), action);

            public void Invoke<TContext>(Action<TContext> action, TContext context)
            {
                if (Run.Abandoned)
                {
                    throw new AbandonedRunException(); // the watchdog moved on: this thread only has to stop
                }

                if (Crashed)
                {
                    return;
                }

                var run = Run;
                if (run._lastStarted < 0)
                {
                    LastRun = run; // once a file: a reference written per action would cost a write barrier each time
                }

                run._running = Index;
                run._lastStarted = Index;
                Volatile.Write(ref run._sequence, run._sequence + 1);
                var started = run._timeRules ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
                try
                {
                    action(context);
                }
                catch (Exception ex) when (ex is not AbandonedRunException)
                {
                    Crash(ex);
                }
                finally
                {
                    if (started != 0)
                    {
                        ElapsedTicks += System.Diagnostics.Stopwatch.GetTimestamp() - started;
                    }

                    run._running = -1;
                    Volatile.Write(ref run._sequence, run._sequence + 1);
                }
            }

            // A broken rule must not take the run down: report it once and switch it off for this file. Out of Invoke,
            // which runs for every rule on every line.
            private void Crash(Exception ex)
            {
                Crashed = true;
                var where = ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim();
                Run._notifications.Add(new ToolNotification(
                    "error",
                    $"Rule {Registration.DisplayName} threw {ex.GetType().Name} on {Run._info.Path}: {ex.Message}" + (where is null ? "" : $" ({where})"),
                    Registration.PrimaryId,
                    Run._info.Path));
            }

            // Whether this refusal (its kind and id) is the rule's first of its kind in this file: each is reported once.
            private bool FirstRefusal(string key) => (_refusals ??= new(StringComparer.Ordinal)).Add(key);

            public void Report(Diagnostic diagnostic)
            {
                var id = diagnostic.Id;
                if (!Registration.DeclaredIds.Contains(id))
                {
                    if (FirstRefusal("undeclared:" + id))
                    {
                        Run._notifications.Add(new ToolNotification("error", $"Rule {Registration.DisplayName} reported {id}, which it does not declare; the finding was refused.", Registration.PrimaryId, Run._info.Path));
                    }

                    return;
                }

                if (diagnostic.Fixes.Count > 0 && diagnostic.Descriptor.FixAvailability == FixAvailability.None)
                {
                    if (FirstRefusal("fix:" + id))
                    {
                        Run._notifications.Add(new ToolNotification("error", $"Rule {Registration.DisplayName} attached a fix to {id}, which declares no fixes; the finding was refused.", id, Run._info.Path));
                    }

                    return;
                }

                if (!Registration.Severities.TryGetValue(id, out var severity))
                {
                    return; // this id is switched off
                }

                Run._diagnostics.Add(diagnostic.WithSeverity(severity));
            }
        }

        private sealed class StartContext(RuleActions a) : TranscriptStartContext
        {
            public override TranscriptInfo Transcript => a.Run._info;

            public override RuleOptions Options => a.Registration.RuleOptions;

            public override void Report(Diagnostic diagnostic) => a.Report(diagnostic);

            public override void RegisterLineAction(Action<LineContext> action) => Open().LineActions.Add(action);

            public override void RegisterEntryAction(Action<EntryContext> action) => Open().EntryActions.Add(action);

            public override void RegisterConversationAction(Action<ConversationContext> action) => Open().ConversationActions.Add(action);

            public override void RegisterToolCallAction(Action<ToolCallContext> action) => Open().ToolCallActions.Add(action);

            public override void RegisterIndexAction(Action<IndexContext> action) => Open().IndexActions.Add(action);

            public override void RegisterTranscriptEndAction(Action<TranscriptEndContext> action) => Open().EndActions.Add(action);

            // The contract: actions are registered in the start action. One registered later, from a kept start context,
            // is refused loudly (the rule is reported and switched off for the file), not silently never run.
            private RuleActions Open() => a.RegistrationClosed
                ? throw new InvalidOperationException($"Rule {a.Registration.DisplayName} registered an action after its transcript start action returned; register every action in the start action.")
                : a;
        }

        /// <summary>The line (and its entry) the rules' actions are running on.</summary>
        private sealed class CurrentLine
        {
            public RawLine Raw;
            public ReadOnlyMemory<byte> Bytes;
            public bool Valid;
            public string? Error;
            public long ErrorPosition;
            public bool IsLast;
            public bool Blank;
            public Entry? Entry;
            public JsonElement Json;
            public ReadOnlyMemory<byte> EntryBytes;

            public void SetLine(RawLine raw, ReadOnlyMemory<byte> bytes, bool valid, string? error, long errorPosition, bool isLast, bool blank) =>
                (Raw, Bytes, Valid, Error, ErrorPosition, IsLast, Blank) = (raw, bytes, valid, error, errorPosition, isLast, blank);

            public void SetEntry(Entry entry, JsonElement json, ReadOnlyMemory<byte> bytes) => (Entry, Json, EntryBytes) = (entry, json, bytes);
        }

        private sealed class LineCtx(RuleActions a) : LineContext
        {
            private readonly CurrentLine _current = a.Run._current;

            public override TranscriptInfo Transcript => a.Run._info;

            public override RuleOptions Options => a.Registration.RuleOptions;

            public override void Report(Diagnostic diagnostic) => a.Report(diagnostic);

            public override TranscriptLine Line => _current.Raw.Line;

            public override LineFlags Flags => _current.Raw.Flags;

            public override ReadOnlySpan<byte> Bytes => _current.Bytes.Span;

            public override bool IsValidJson => _current.Valid;

            public override string? ParseError => _current.Error;

            public override long ParseErrorBytePosition => _current.ErrorPosition;

            public override bool IsLastLine => _current.IsLast;

            public override bool IsBlank => _current.Blank;
        }

        private sealed class EntryCtx(RuleActions a) : EntryContext
        {
            private readonly CurrentLine _current = a.Run._current;

            public override TranscriptInfo Transcript => a.Run._info;

            public override RuleOptions Options => a.Registration.RuleOptions;

            public override void Report(Diagnostic diagnostic) => a.Report(diagnostic);

            public override Entry Entry => _current.Entry!;

            public override ReadOnlyMemory<byte>? ReadEntryBytes(Entry entry) => a.Run.EntryBytes(entry);

            public override JsonElement Json => _current.Json;

            public override ReadOnlySpan<byte> Bytes => _current.EntryBytes.Span;
        }

        private sealed class ConversationCtx(RuleActions a, Conversation conversation) : ConversationContext
        {
            public override TranscriptInfo Transcript => a.Run._info;

            public override RuleOptions Options => a.Registration.RuleOptions;

            public override void Report(Diagnostic diagnostic) => a.Report(diagnostic);

            public override Conversation Conversation => conversation;

            public override ReadOnlyMemory<byte>? ReadEntryBytes(Entry entry) => a.Run.EntryBytes(entry);
        }

        private sealed class IndexCtx(RuleActions a, ConversationIndex index) : IndexContext
        {
            public override TranscriptInfo Transcript => a.Run._info;

            public override RuleOptions Options => a.Registration.RuleOptions;

            public override void Report(Diagnostic diagnostic) => a.Report(diagnostic);

            public override ConversationIndex Index => index;

            public override ReadOnlyMemory<byte>? ReadEntryBytes(Entry entry) => a.Run.EntryBytes(entry);

            // On rows, the line is read by its place, with no entry made from it.
            public override ReadOnlyMemory<byte>? ReadEntryBytes(EntryHandle entry) =>
                index is RowIndex && entry.IndexOrNull == index ? a.Run.ReadLine(entry.Line) : base.ReadEntryBytes(entry);
        }

        private sealed class ToolCallCtx(RuleActions a, ToolCall call, Conversation conversation) : ToolCallContext
        {
            public override TranscriptInfo Transcript => a.Run._info;

            public override RuleOptions Options => a.Registration.RuleOptions;

            public override void Report(Diagnostic diagnostic) => a.Report(diagnostic);

            public override ToolCall ToolCall => call;

            public override Conversation Conversation => conversation;

            public override ReadOnlyMemory<byte>? ReadEntryBytes(Entry entry) => a.Run.EntryBytes(entry);
        }

        private sealed class EndCtx(RuleActions a, int lineCount) : TranscriptEndContext
        {
            public override TranscriptInfo Transcript => a.Run._info;

            public override RuleOptions Options => a.Registration.RuleOptions;

            public override void Report(Diagnostic diagnostic) => a.Report(diagnostic);

            public override int LineCount => lineCount;

            public override ReadOnlyMemory<byte>? ReadEntryBytes(Entry entry) => a.Run.EntryBytes(entry);
        }
    }
}
