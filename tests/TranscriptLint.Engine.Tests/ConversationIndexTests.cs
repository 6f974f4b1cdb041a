using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// The conversation index (decision 0004) answers what the conversation view answers, by handle: on every fixture and
/// vendored real transcript of every dialect, each handle's facts, parent, first copy, canonical and resume-context
/// flags, the leaf and the resume chain's messages equal the <see cref="Conversation"/>'s for the same entries.
/// </summary>
public sealed class ConversationIndexTests
{
    private static readonly RuleDescriptor Probe = new("TT0101", "index-probe", "Probe", "probe", "Test", Severity.Note);

    public static TheoryData<string> Transcripts() => [.. TranscriptFiles()];

    // Every transcript under fixtures/ (rule fixtures of every dialect, the vendored real sessions), not the fixed outputs.
    private static IEnumerable<string> TranscriptFiles() =>
        Directory.EnumerateFiles(RepoPaths.Fixtures, "*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)) && !f.Contains("fixed.", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepoPaths.Fixtures, f))
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Every_handle_answers_what_the_conversation_answers(string file)
    {
        var (conversation, index) = Capture(Path.Combine(RepoPaths.Fixtures, file));
        if (conversation is null)
        {
            index.ShouldBeNull(); // a file that is not a transcript runs neither
            return;
        }

        index.ShouldNotBeNull();
        var entries = conversation.Entries;
        index.Count.ShouldBe(entries.Count);
        index.HasParentGraph.ShouldBe(conversation.HasParentGraph);
        index.SessionId.ShouldBe(conversation.SessionId);
        EntryOf(index.ResumeLeaf).ShouldBeSameAs(conversation.ResumeLeaf);
        for (var i = 0; i < entries.Count; i++)
        {
            var (e, h) = (entries[i], index[i]);
            h.Position.ShouldBe(i);
            h.IsNone.ShouldBeFalse();
            h.ToEntry().ShouldBeSameAs(e);
            (h.Kind, h.Line, h.TypeName, h.Role, h.SessionId, h.IsSynthetic, h.Uuid).ShouldBe((e.Kind, e.Line, e.TypeName, e.Role, e.SessionId, e.IsSynthetic, e.Uuid));
            h.HasUuid.ShouldBe(e.Uuid is not null);
            (h.ParentUuid, h.Synthetic, h.MessageId, h.Model, h.Ref, h.Subtype, h.ClaudeCode).ShouldBe((e.ParentUuid, e.Synthetic, e.MessageId, e.Model, e.Ref, e.Subtype, e.ClaudeCode));
            index.HandleOf(e).ShouldBe(h);
            index.ChildrenOf(h).Select(EntryOf).ShouldBe(conversation.ChildrenOf(e));
            EntryOf(index.ChainChildOf(h)).ShouldBeSameAs(conversation.ChainChildOf(e));
            EntryOf(index.ParentOf(h)).ShouldBeSameAs(conversation.ParentOf(e), $"parent of line {e.Line.Number}");
            EntryOf(index.FirstCopyOf(h)).ShouldBeSameAs(e.Uuid is { } id ? conversation.FindByUuid(id) : null);
            index.IsCanonical(h).ShouldBe(conversation.IsCanonical(e));
            index.IsInResumeContext(h).ShouldBe(conversation.IsInResumeContext(e));
            index.BlockCountOf(h).ShouldBe(e.Blocks.Count);
            foreach (var call in e.Blocks.Where(b => b.Kind == BlockKind.ToolCall && b.ToolId is not null))
            {
                index.ResultAnchorOf(h, call.ToolId!).ToEntry().ShouldBeSameAs(conversation.ResultAnchorOf(e, call.ToolId!));
            }

            for (var b = 0; b < e.Blocks.Count; b++)
            {
                ShouldRead(index.BlockOf(h, b), e, e.Blocks[b]);
            }
        }

        Enumerable.Range(0, index.ChainLength).Select(i => index.ChainEntryAt(i).ToEntry()).ShouldBe(conversation.ChainEntries);
        index.MessageCount.ShouldBe(conversation.ResumeChain.Count);
        for (var m = 0; m < conversation.ResumeChain.Count; m++)
        {
            var (message, handle) = (conversation.ResumeChain[m], index.MessageAt(m));
            handle.Number.ShouldBe(m);
            handle.Role.ShouldBe(message.Role);
            handle.EntryCount.ShouldBe(message.Entries.Count);
            Enumerable.Range(0, handle.EntryCount).Select(i => handle.EntryAt(i).ToEntry()).ShouldBe(message.Entries);
            handle.FirstEntry.ToEntry().ShouldBeSameAs(message.FirstEntry);
            handle.LastEntry.ToEntry().ShouldBeSameAs(message.LastEntry);
            handle.IsSynthetic.ShouldBe(message.IsSynthetic);
            handle.ProviderMessageId.ShouldBe(message.ProviderMessageId);
            Enumerable.Range(0, handle.CanonicalEntryCount).Select(i => handle.CanonicalEntryAt(i).ToEntry()).ShouldBe(message.CanonicalEntries);
            handle.BlockCount.ShouldBe(message.Blocks.Count);
            for (var i = 0; i < handle.BlockCount; i++)
            {
                ShouldRead(handle.BlockAt(i), message.Blocks[i].Entry, message.Blocks[i].Block);
            }

            handle.CanonicalBlockCount.ShouldBe(message.CanonicalBlocks.Count);
            for (var i = 0; i < handle.CanonicalBlockCount; i++)
            {
                ShouldRead(handle.CanonicalBlockAt(i), message.CanonicalBlocks[i].Entry, message.CanonicalBlocks[i].Block);
            }

            for (var i = 0; i < handle.EntryCount; i++)
            {
                // An entry of the file keeps its place; one the conversation made for the message is numbered after them.
                var (entry, h) = (message.Entries[i], handle.EntryAt(i));
                (h.Position < index.Count).ShouldBe(entries.Contains(entry, ReferenceEqualityComparer.Instance));
                (h.Kind, h.Line, h.Role, h.Uuid, h.IsSynthetic).ShouldBe((entry.Kind, entry.Line, entry.Role, entry.Uuid, entry.IsSynthetic));
                EntryOf(index.ParentOf(h)).ShouldBeSameAs(conversation.ParentOf(entry));
                index.IsCanonical(h).ShouldBe(conversation.IsCanonical(entry));
                index.IsInResumeContext(h).ShouldBe(conversation.IsInResumeContext(entry));
                handle.IsRecovered(h).ShouldBe(message.RecoveredEntries.Contains(entry, ReferenceEqualityComparer.Instance));
                handle.EntryAt(i).ShouldBe(h, "a made entry keeps the position it was first given");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Splices_by_handle_make_the_edits_splices_by_entry_make(string file)
    {
        var (conversation, index) = Capture(Path.Combine(RepoPaths.Fixtures, file));
        if (conversation is null)
        {
            return;
        }

        // Every entry alone, every run of three, and each message's thinking blocks: what the fixes of the moved rules splice.
        for (var i = 0; i < conversation.Entries.Count; i++)
        {
            ChainSplice.SpliceAll(index!, [index![i]]).ShouldBe(ChainSplice.SpliceAll(conversation, [conversation.Entries[i]]), $"line {conversation.Entries[i].Line.Number}");
            if (i + 3 <= conversation.Entries.Count)
            {
                ChainSplice.SpliceAll(index, [index[i], index[i + 1], index[i + 2]])
                    .ShouldBe(ChainSplice.SpliceAll(conversation, [conversation.Entries[i], conversation.Entries[i + 1], conversation.Entries[i + 2]]));
            }
        }

        for (var m = 0; m < conversation.ResumeChain.Count; m++)
        {
            var message = index!.MessageAt(m);
            var thinking = Enumerable.Range(0, message.CanonicalBlockCount).Select(message.CanonicalBlockAt).Where(b => b.Kind is BlockKind.Thinking or BlockKind.RedactedThinking).ToList();
            ChainSplice.RemoveBlocks(index, thinking)
                .ShouldBe(ChainSplice.RemoveBlocks(conversation, conversation.ResumeChain[m].CanonicalBlocks.Where(b => b.Block.Kind is BlockKind.Thinking or BlockKind.RedactedThinking)));
        }
    }

    [Fact]
    public void The_fixtures_cover_a_parent_graph_duplicates_and_a_chain_of_every_kind()
    {
        // What the theory above compares is only worth as much as what the files hold: a graph with later copies and
        // dangling parents, and linear formats.
        var (graph, graphIndex) = Capture(Path.Combine(RepoPaths.Fixtures, "claude-code", "TL1003", "fires-same-uuid-different-content.jsonl"));
        graphIndex!.HasParentGraph.ShouldBeTrue();
        Enumerable.Range(0, graphIndex.Count).Count(i => !graphIndex.IsCanonical(graphIndex[i])).ShouldBeGreaterThan(0);
        Enumerable.Range(0, graphIndex.Count).Count(i => graphIndex.FirstCopyOf(graphIndex[i]) != graphIndex[i] && graphIndex[i].HasUuid).ShouldBeGreaterThan(0);
        graph!.ResumeChain.Count.ShouldBeGreaterThan(0);

        // A message holding a later copy of a line, whose canonical blocks leave that copy's out.
        var withCopies = TranscriptFiles().Where(f => f.StartsWith("claude-code", StringComparison.Ordinal)).Select(f => Capture(Path.Combine(RepoPaths.Fixtures, f)))
            .Where(c => c.Conversation is not null)
            .SelectMany(c => c.Conversation!.ResumeChain.Select(m => (Message: m, Handle: c.Index!.MessageAt(m.Index))))
            .Where(m => m.Message.DuplicateEntries.Count > 0)
            .ToList();
        withCopies.ShouldContain(m => m.Handle.CanonicalBlockCount < m.Message.Blocks.Count);

        var linear = TranscriptFiles().First(f => f.StartsWith("codex", StringComparison.Ordinal) && f.EndsWith(".jsonl", StringComparison.Ordinal));
        var (_, linearIndex) = Capture(Path.Combine(RepoPaths.Fixtures, linear));
        linearIndex!.HasParentGraph.ShouldBeFalse();

        var (_, gemini) = Capture(Path.Combine(RepoPaths.Fixtures, "gemini-cli", "clean-tool-calls-with-results.json"));
        var made = Enumerable.Range(0, gemini!.MessageCount).Select(gemini.MessageAt).SelectMany(m => Enumerable.Range(0, m.EntryCount).Select(m.EntryAt)).Where(h => h.Position >= gemini.Count).ToList();
        made.ShouldNotBeEmpty("a Gemini CLI record's function responses are a user turn of their own, an entry the conversation made");
        made.ShouldAllBe(h => h.Kind == EntryKind.User);
    }

    [Fact]
    public void None_and_another_transcripts_handles_are_refused_in_one_line()
    {
        var (_, first) = Capture(Path.Combine(RepoPaths.Fixtures, "claude-code", "TL1003", "fires-same-uuid-different-content.jsonl"));
        var (_, second) = Capture(Path.Combine(RepoPaths.Fixtures, "claude-code", "TL1003", "fires-same-uuid-different-content.jsonl"));

        default(EntryHandle).ShouldBe(EntryHandle.None);
        EntryHandle.None.IsNone.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => EntryHandle.None.ToEntry()).Message.ShouldBe("EntryHandle.None names no entry.");
        Should.Throw<ArgumentException>(() => first!.ParentOf(EntryHandle.None)).Message.ShouldStartWith("EntryHandle.None names no entry.");
        Should.Throw<ArgumentException>(() => first!.IsCanonical(second![0])).Message.ShouldStartWith("The handle names an entry of another transcript's index.");
        Should.Throw<ArgumentOutOfRangeException>(() => first![first.Count]);
        Should.Throw<ArgumentOutOfRangeException>(() => first!.MessageAt(first.MessageCount));
        Should.Throw<ArgumentOutOfRangeException>(() => first!.BlockOf(first[0], first.BlockCountOf(first[0])));
        Should.Throw<ArgumentOutOfRangeException>(() => first!.MessageAt(0).CanonicalBlockAt(first.MessageAt(0).CanonicalBlockCount));
        Should.Throw<InvalidOperationException>(() => default(BlockHandle).Kind);
        first![0].ShouldNotBe(second![0]);
        first[0].ShouldBe(first[0]);
    }

    [Fact]
    public void A_host_without_the_index_refuses_the_registration_in_one_line() =>
        Should.Throw<NotSupportedException>(() => new BareStartContext().RegisterIndexAction(_ => { })).Message.ShouldContain("conversation index");

    private static void ShouldRead(BlockHandle handle, Entry entry, ContentBlock block)
    {
        handle.ToBlock().ShouldBeSameAs(block);
        handle.Entry.ToEntry().ShouldBeSameAs(entry);
        (handle.Kind, handle.TypeName, handle.IndexInContent, handle.JsonPointer, handle.ToolId, handle.ToolName, handle.IsWhitespaceOnly)
            .ShouldBe((block.Kind, block.TypeName, block.Index, block.JsonPointer, block.ToolId, block.ToolName, block.IsWhitespaceOnly));
        (handle.HasTrailingWhitespace, handle.TextLength, handle.SignatureLength, handle.ByteSize, handle.IsError, handle.InputKind)
            .ShouldBe((block.HasTrailingWhitespace, block.TextLength, block.SignatureLength, block.ByteSize, block.IsError, block.InputKind));
    }

    private static Entry? EntryOf(EntryHandle handle) => handle.IsNone ? null : handle.ToEntry();

    private static (Conversation? Conversation, ConversationIndex? Index) Capture(string path)
    {
        var rule = new CaptureRule();
        var engine = new LintEngine([new LoadedRule(rule, "tests")], new LintOptions());
        var result = engine.LintFile(path);
        result.Notifications.Where(n => n.Level == "error" && n.RuleId == Probe.Id).ShouldBeEmpty();
        return (rule.Conversation, rule.Index);
    }

    private sealed class CaptureRule : TranscriptRule
    {
        public Conversation? Conversation { get; private set; }

        public ConversationIndex? Index { get; private set; }

        public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Probe];

        public override void Initialize(RuleInitializationContext context)
        {
            context.RegisterConversationAction(c => Conversation = c.Conversation);
            context.RegisterIndexAction(c => Index = c.Index);
        }
    }
}
