using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Model;
using TranscriptLint.Tests.Fixing;

namespace TranscriptLint.Tests;

/// <summary>
/// Rows instead of kept entries (decision 0004, step 2) change nothing a rule or a user sees: on every fixture and
/// vendored real transcript, the row index answers every handle question as the kept-entry index does, its splices make
/// the same edits, and a lint with every built-in rule gives the same SARIF bytes (fixes included) either way.
/// </summary>
public sealed class RowIndexTests
{
    private static readonly RuleDescriptor Probe = new("TT0102", "row-probe", "Probe", "probe", "Test", Severity.Note);

    private static readonly LintOptions Rows = new() { HashFiles = true, EntryRowsFrom = 0 };
    private static readonly LintOptions Entries = new() { HashFiles = true, EntryRows = false };

    public static TheoryData<string> Transcripts() => ConversationIndexTests.Transcripts();

    public static TheoryData<string> Fixtures() => [.. FixParityTests.Inputs.Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal))];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_fixture_gives_the_same_sarif_bytes_with_rows_as_with_kept_entries(string fixture)
    {
        var path = Path.Combine(RepoPaths.Root, fixture);

        var rows = new LintEngine(FixerHarness.Rules, Rows).LintFile(path, fixture);

        ParseAheadTests.Sarif(rows).ShouldBe(ParseAheadTests.Sarif(new LintEngine(FixerHarness.Rules, Entries).LintFile(path, fixture)), fixture);
    }

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Every_row_handle_answers_what_the_kept_entry_handle_answers(string file)
    {
        var path = Path.Combine(RepoPaths.Fixtures, file);
        var (kept, dialect) = Capture(path, withConversation: true);
        var compared = false;

        // Compared inside the row rule's action: a row index reads lines again while its file is open.
        var (rows, _) = Capture(path, withConversation: false, rows =>
        {
            kept.ShouldNotBeNull();
            ShouldAnswerAlike(rows, kept, file, dialect);
            compared = true;
        });
        compared.ShouldBe(kept is not null, "a transcript has an index either way, and a file that is not one has none");
    }

    private static void ShouldAnswerAlike(ConversationIndex rows, ConversationIndex kept, string file, string dialect)
    {
        var expectRows = dialect == "claude-code" && file.EndsWith(".jsonl", StringComparison.Ordinal);
        rows.ShouldBeOfType(expectRows ? typeof(RowIndex) : typeof(KeptEntryIndex), $"{file} ({dialect})");
        kept.ShouldBeOfType<KeptEntryIndex>();

        (rows.Count, rows.HasParentGraph, rows.SessionId, rows.MessageCount, rows.ChainLength, rows.ResumeLeaf.Position)
            .ShouldBe((kept.Count, kept.HasParentGraph, kept.SessionId, kept.MessageCount, kept.ChainLength, kept.ResumeLeaf.Position));
        for (var i = 0; i < kept.Count; i++)
        {
            var (k, r) = (kept[i], rows[i]);
            (r.Kind, r.Line, r.TypeName, r.Role, r.SessionId, r.IsSynthetic, r.Uuid, r.HasUuid).ShouldBe((k.Kind, k.Line, k.TypeName, k.Role, k.SessionId, k.IsSynthetic, k.Uuid, k.HasUuid));
            (r.ParentUuid, r.Synthetic, r.MessageId, r.Model, r.Ref, r.Subtype, r.ClaudeCode).ShouldBe((k.ParentUuid, k.Synthetic, k.MessageId, k.Model, k.Ref, k.Subtype, k.ClaudeCode));
            rows.ParentOf(r).Position.ShouldBe(kept.ParentOf(k).Position, $"parent of line {k.Line.Number}");
            rows.FirstCopyOf(r).Position.ShouldBe(kept.FirstCopyOf(k).Position);
            rows.ChildrenOf(r).Select(h => h.Position).ShouldBe(kept.ChildrenOf(k).Select(h => h.Position));
            rows.ChainChildOf(r).Position.ShouldBe(kept.ChainChildOf(k).Position);
            (rows.IsCanonical(r), rows.IsInResumeContext(r)).ShouldBe((kept.IsCanonical(k), kept.IsInResumeContext(k)));

            // The entry made again from the line is the kept one's equal, and leads back to the same handle.
            var (made, keptEntry) = (r.ToEntry(), k.ToEntry());
            r.ToEntry().ShouldBeSameAs(made, "one object per entry");
            rows.HandleOf(made).ShouldBe(r);
            (made.Line, made.Uuid, made.Kind, made.MessageId, made.Blocks.Count).ShouldBe((keptEntry.Line, keptEntry.Uuid, keptEntry.Kind, keptEntry.MessageId, keptEntry.Blocks.Count));

            rows.BlockCountOf(r).ShouldBe(kept.BlockCountOf(k));
            for (var b = 0; b < kept.BlockCountOf(k); b++)
            {
                ShouldReadAlike(rows.BlockOf(r, b), kept.BlockOf(k, b));
                if (kept.BlockOf(k, b) is { Kind: BlockKind.ToolCall, ToolId: { } id })
                {
                    rows.ResultAnchorOf(r, id).Position.ShouldBe(kept.ResultAnchorOf(k, id).Position);
                }
            }
        }

        Enumerable.Range(0, rows.ChainLength).Select(i => rows.ChainEntryAt(i).Position).ShouldBe(Enumerable.Range(0, kept.ChainLength).Select(i => kept.ChainEntryAt(i).Position));
        for (var m = 0; m < kept.MessageCount; m++)
        {
            var (k, r) = (kept.MessageAt(m), rows.MessageAt(m));
            (r.Role, r.EntryCount, r.CanonicalEntryCount, r.BlockCount, r.CanonicalBlockCount, r.ProviderMessageId, r.IsSynthetic)
                .ShouldBe((k.Role, k.EntryCount, k.CanonicalEntryCount, k.BlockCount, k.CanonicalBlockCount, k.ProviderMessageId, k.IsSynthetic), $"message {m}");
            for (var i = 0; i < k.EntryCount; i++)
            {
                r.EntryAt(i).Position.ShouldBe(k.EntryAt(i).Position);
                r.IsRecovered(r.EntryAt(i)).ShouldBe(k.IsRecovered(k.EntryAt(i)));
            }

            for (var i = 0; i < k.CanonicalEntryCount; i++)
            {
                r.CanonicalEntryAt(i).Position.ShouldBe(k.CanonicalEntryAt(i).Position);
            }

            for (var i = 0; i < k.BlockCount; i++)
            {
                ShouldReadAlike(r.BlockAt(i), k.BlockAt(i));
            }

            for (var i = 0; i < k.CanonicalBlockCount; i++)
            {
                ShouldReadAlike(r.CanonicalBlockAt(i), k.CanonicalBlockAt(i));
            }
        }

        // The fixes' splices: every entry alone and every run of three, over either backing, make the same edits.
        for (var i = 0; i < kept.Count; i++)
        {
            ChainSplice.SpliceAll(rows, [rows[i]]).ShouldBe(ChainSplice.SpliceAll(kept, [kept[i]]), $"line {kept[i].Line.Number}");
            if (i + 3 <= kept.Count)
            {
                ChainSplice.SpliceAll(rows, [rows[i], rows[i + 1], rows[i + 2]]).ShouldBe(ChainSplice.SpliceAll(kept, [kept[i], kept[i + 1], kept[i + 2]]));
            }
        }
    }

    [Fact]
    public void A_rule_on_the_object_model_keeps_entries_one_on_the_index_alone_gets_rows_and_a_small_file_keeps_entries()
    {
        var session = Path.Combine(RepoPaths.Fixtures, "claude-code", "TL2001", "clean-compact-boundary.jsonl");
        Capture(session, withConversation: true).Index.ShouldBeOfType<KeptEntryIndex>();
        Capture(session, withConversation: false).Index.ShouldBeOfType<RowIndex>();

        var rule = new CaptureRule(withConversation: false);
        new LintEngine([new LoadedRule(rule, "tests")], Entries).LintFile(session);
        rule.Index.ShouldBeOfType<KeptEntryIndex>("switched off, as the tests comparing the backings do");

        rule = new CaptureRule(withConversation: false);
        new LintEngine([new LoadedRule(rule, "tests")], new LintOptions()).LintFile(session);
        rule.Index.ShouldBeOfType<KeptEntryIndex>("a small file's entries die young: rows start at 32 MiB");
    }

    [Fact]
    public void An_entry_asked_of_a_row_index_after_the_lint_is_refused_in_one_line()
    {
        var session = Path.Combine(RepoPaths.Fixtures, "claude-code", "TL2001", "clean-compact-boundary.jsonl");
        var (index, _) = Capture(session, withConversation: false);

        index.ShouldNotBeNull();
        index[0].Kind.ShouldNotBe(EntryKind.Unknown, "the rows' facts stay readable");
        var error = Should.Throw<InvalidOperationException>(() => index[0].ToEntry());
        error.Message.ShouldContain("only while the rule's action runs");
        error.Message.ShouldNotContain("\n");

        // No object is kept to compare by reference: an entry of another file differs in its line's place, kind or id.
        var line = index[0].Line;
        index.HandleOf(new Entry { Line = line with { ByteOffset = line.ByteOffset + 1 }, Kind = index[0].Kind, Uuid = index[0].Uuid }).IsNone.ShouldBeTrue();
        index.HandleOf(new Entry { Line = line, Kind = index[0].Kind, Uuid = "another-id" }).IsNone.ShouldBeTrue();
        index.HandleOf(new Entry { Line = line, Kind = index[0].Kind, Uuid = index[0].Uuid }).ShouldBe(index[0], "an equal entry of this line is taken for it");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_entrys_bytes_are_read_by_handle_as_by_entry_on_either_backing(bool rows)
    {
        var session = Path.Combine(RepoPaths.Fixtures, "claude-code", "TL2001", "clean-compact-boundary.jsonl");
        var lines = File.ReadAllLines(session);
        var read = 0;
        var rule = new BytesRule(ctx =>
        {
            (ctx.Index is RowIndex).ShouldBe(rows);
            for (var i = 0; i < ctx.Index.Count; i++)
            {
                var handle = ctx.Index[i];
                var bytes = ctx.ReadEntryBytes(handle);
                bytes.ShouldNotBeNull();
                System.Text.Encoding.UTF8.GetString(bytes.Value.Span).ShouldBe(lines[handle.Line.Number - 1]);
                bytes.Value.Span.SequenceEqual(ctx.ReadEntryBytes(handle.ToEntry())!.Value.Span).ShouldBeTrue();
                read++;
            }

            ctx.ReadEntryBytes(EntryHandle.None).ShouldBeNull();
        });
        var result = new LintEngine([new LoadedRule(rule, "tests")], rows ? Rows : Entries).LintFile(session);

        result.Notifications.Where(n => n.Level == "error").ShouldBeEmpty();
        read.ShouldBeGreaterThan(0);
    }

    private sealed class BytesRule(Action<IndexContext> check) : TranscriptRule
    {
        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Probe];

        public override void Initialize(RuleInitializationContext context) => context.RegisterIndexAction(check);
    }

    private static void ShouldReadAlike(BlockHandle rows, BlockHandle kept)
    {
        (rows.Entry.Position, rows.Ordinal, rows.Kind, rows.TypeName, rows.IndexInContent, rows.JsonPointer, rows.ToolId, rows.ToolName, rows.IsWhitespaceOnly)
            .ShouldBe((kept.Entry.Position, kept.Ordinal, kept.Kind, kept.TypeName, kept.IndexInContent, kept.JsonPointer, kept.ToolId, kept.ToolName, kept.IsWhitespaceOnly));
        (rows.HasTrailingWhitespace, rows.TextLength, rows.SignatureLength, rows.ByteSize, rows.IsError, rows.InputKind)
            .ShouldBe((kept.HasTrailingWhitespace, kept.TextLength, kept.SignatureLength, kept.ByteSize, kept.IsError, kept.InputKind));
        var (made, keptBlock) = (rows.ToBlock(), kept.ToBlock());
        (made.Kind, made.Index, made.JsonPointer, made.ToolId, made.TextLength, made.ByteSize).ShouldBe((keptBlock.Kind, keptBlock.Index, keptBlock.JsonPointer, keptBlock.ToolId, keptBlock.TextLength, keptBlock.ByteSize));
    }

    private static (ConversationIndex? Index, string Dialect) Capture(string path, bool withConversation, Action<ConversationIndex>? during = null)
    {
        var rule = new CaptureRule(withConversation, during);
        var result = new LintEngine([new LoadedRule(rule, "tests")], Rows).LintFile(path);
        result.Notifications.Where(n => n.Level == "error").ShouldBeEmpty();
        return (rule.Index, result.Dialect);
    }

    private sealed class CaptureRule(bool withConversation, Action<ConversationIndex>? during = null) : TranscriptRule
    {
        public ConversationIndex? Index { get; private set; }

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Probe];

        public override void Initialize(RuleInitializationContext context)
        {
            if (withConversation)
            {
                context.RegisterConversationAction(_ => { });
            }

            context.RegisterIndexAction(c =>
            {
                Index = c.Index;
                during?.Invoke(c.Index);
            });
        }
    }
}
