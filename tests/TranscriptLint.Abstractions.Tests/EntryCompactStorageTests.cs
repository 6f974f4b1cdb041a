using System.Text;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>
/// An entry keeps a canonical uuid in 16 bytes and shares its kind, type, role, model, session and flags with equal
/// entries; neither may change what any property reads back, for any id a format writes.
/// </summary>
public sealed class EntryCompactStorageTests
{
    [Theory]
    [InlineData("0b4a4e7c-4f7e-4c1f-9f3a-2d5b8e6c1a90", true)]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff", true)]
    [InlineData("00000000-0000-0000-0000-000000000001", true)]
    [InlineData("00000000-0000-0000-0000-000000000000", false)] // zero is "no id": kept as text
    [InlineData("0B4A4E7C-4F7E-4C1F-9F3A-2D5B8E6C1A90", false)] // upper case would format back lower: kept as text
    [InlineData("0b4a4e7c4f7e4c1f9f3a2d5b8e6c1a90----", false)]
    [InlineData("0b4a4e7c-4f7e-4c1f-9f3a-2d5b8e6c1a9g", false)]
    [InlineData("0b4a4e7c-4f7e-4c1f-9f3a-2d5b8e6c1a9:", false)] // the byte after '9'
    [InlineData("0b4a4e7c-4f7e-4c1f-9f3a-2d5b8e6c1a9`", false)] // the byte before 'a'
    [InlineData("/b4a4e7c-4f7e-4c1f-9f3a-2d5b8e6c1a90", false)] // the byte before '0'
    [InlineData("0b4a4e7c-4f7e-4c1f-9f3a-2d5b8e6c1a9ａ", false)] // a full-width letter (one UTF-16 unit, three UTF-8 bytes)
    [InlineData("0b4a4e7c-4f7e-4c1f-9f3a-2d5b8e6c1aé", false)]
    [InlineData("msg_01XFDUDYJgAACzvnptvVoYEL", false)]
    [InlineData("agent-a1b2c3", false)]
    [InlineData("", false)]
    public void An_id_reads_back_as_written_and_packs_only_when_it_formats_back_the_same(string written, bool packed)
    {
        var id = EntryId.From(written);
        id.Text.ShouldBe(written);
        (id.TextOnly is null).ShouldBe(packed);
        EntryId.TryPack(Encoding.UTF8.GetBytes(written), out var fromBytes).ShouldBe(packed);
        if (packed)
        {
            fromBytes.ShouldBe(id); // the host packs from the line's bytes; rules look up by string: one key
            fromBytes.GetHashCode().ShouldBe(id.GetHashCode());
        }

        var entry = new Entry { Line = default, Kind = EntryKind.User, Uuid = written, ParentUuid = written };
        entry.Uuid.ShouldBe(written);
        entry.ParentUuid.ShouldBe(written);
        entry.UuidId.ShouldBe(id);
    }

    [Fact]
    public void Any_byte_in_any_place_of_a_uuid_packs_from_bytes_as_the_same_character_does()
    {
        // The bytes are packed by a vector path, the text digit by digit: for several uuids, each of the 36 places holds
        // each of the 256 byte values in turn, and both must agree on whether the id packs and to what.
        var random = new Random(20261205);
        var packedOnce = 0;
        for (var n = 0; n < 4; n++)
        {
            var guid = new byte[16];
            random.NextBytes(guid);
            var valid = Encoding.ASCII.GetBytes(new Guid(guid).ToString("D"));
            for (var place = 0; place < valid.Length; place++)
            {
                for (var value = 0; value < 256; value++)
                {
                    var bytes = (byte[])valid.Clone();
                    bytes[place] = (byte)value;
                    var fromText = EntryId.From(new string([.. bytes.Select(b => (char)b)]));
                    EntryId.TryPack(bytes, out var fromBytes).ShouldBe(fromText.TextOnly is null, $"byte 0x{value:X2} at {place}");
                    if (fromText.TextOnly is null)
                    {
                        fromBytes.ShouldBe(fromText);
                        packedOnce++;
                    }
                }
            }
        }

        packedOnce.ShouldBe(4 * ((32 * 16) + 4)); // sixteen lower-case digits in each digit place, only '-' in each dash place
    }

    [Fact]
    public void Random_uuids_read_back_and_differ_as_their_texts_do()
    {
        var random = new Random(20261202);
        var seen = new Dictionary<EntryId, string>();
        for (var n = 0; n < 5000; n++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            var text = new Guid(bytes).ToString("D");
            var id = EntryId.From(text);
            id.TextOnly.ShouldBeNull();
            id.Text.ShouldBe(text);
            seen.TryAdd(id, text).ShouldBeTrue();
        }
    }

    [Fact]
    public void No_id_is_none()
    {
        EntryId.From(null).HasValue.ShouldBeFalse();
        new Entry { Line = default, Kind = EntryKind.System }.Uuid.ShouldBeNull();
        new Entry { Line = default, Kind = EntryKind.System }.ParentUuid.ShouldBeNull();
    }

    [Fact]
    public void Shared_shapes_keep_every_entry_its_own_values()
    {
        Entry Make(string model, bool meta) => new()
        {
            Line = new TranscriptLine(1, 0, 10, LineTerminator.LineFeed, 10),
            Kind = EntryKind.Assistant,
            TypeName = "assistant",
            Role = "assistant",
            Model = model,
            SessionId = "s-1",
            IsMeta = meta,
            HasContent = true,
            Synthetic = SyntheticReason.None,
        };

        var a = Make("claude-fable-5", false);
        var b = Make("claude-fable-5", false);
        var c = Make("<synthetic>", true);
        a.ShareShape();
        b.ShareShape();
        c.ShareShape();

        // A later entry built while the shape is shared gets its own: building it changes no other entry.
        var d = new Entry { Line = default, Kind = EntryKind.User, TypeName = "user", Role = "user", Model = "claude-fable-5", SessionId = "s-1" };

        foreach (var e in new[] { a, b })
        {
            e.Kind.ShouldBe(EntryKind.Assistant);
            e.TypeName.ShouldBe("assistant");
            e.Model.ShouldBe("claude-fable-5");
            e.IsMeta.ShouldBeFalse();
            e.HasContent.ShouldBeTrue();
        }

        c.Model.ShouldBe("<synthetic>");
        c.IsMeta.ShouldBeTrue();
        d.Kind.ShouldBe(EntryKind.User);
        d.Role.ShouldBe("user");
        d.HasContent.ShouldBeFalse();
        a.Kind.ShouldBe(EntryKind.Assistant);
    }

    [Fact]
    public void Claude_code_facts_set_through_the_old_properties_stay_per_entry()
    {
#pragma warning disable CS0618 // the 1.0 properties still work until contract 2.0
        var side = new Entry { Line = default, Kind = EntryKind.Assistant, IsSidechain = true, AgentId = "a1" };
        var main = new Entry { Line = default, Kind = EntryKind.Assistant };
        side.ShareShape();
        main.ShareShape();
        side.IsSidechain.ShouldBeTrue();
        side.AgentId.ShouldBe("a1");
        main.IsSidechain.ShouldBeFalse();
        main.AgentId.ShouldBeNull();
#pragma warning restore CS0618
    }

    [Fact]
    public void Shared_block_shapes_keep_every_block_its_own_values()
    {
        ContentBlock Call(string id, string tool) => new()
        {
            Kind = BlockKind.ToolCall,
            TypeName = "tool_use",
            Index = 0,
            JsonPointer = "/message/content/0",
            ToolId = id,
            ToolName = tool,
            InputKind = System.Text.Json.JsonValueKind.Object,
            ByteSize = 120,
        };

        var first = Call("toolu_1", "Bash");
        var second = Call("toolu_2", "Bash");
        var other = Call("toolu_3", "Read");
        var entry = new Entry { Line = default, Kind = EntryKind.Assistant, Blocks = [first, second, other] };
        entry.ShareShape();
        var later = new ContentBlock { Kind = BlockKind.Text, TypeName = "text", Index = 1, JsonPointer = "/message/content/1", TextLength = 5 };

        first.ToolId.ShouldBe("toolu_1");
        second.ToolId.ShouldBe("toolu_2");
        second.ToolName.ShouldBe("Bash");
        other.ToolName.ShouldBe("Read");
        first.Kind.ShouldBe(BlockKind.ToolCall);
        first.SignatureLength.ShouldBe(-1);
        later.Kind.ShouldBe(BlockKind.Text);
        later.ToolName.ShouldBeNull();
        later.TextLength.ShouldBe(5);
        first.InputKind.ShouldBe(System.Text.Json.JsonValueKind.Object);
    }

    [Fact]
    public void Entries_built_and_shared_one_after_another_each_read_back_their_own_values()
    {
        // The host shares each entry's shape as it keeps it, and the shape an entry gave up is reused for the next one:
        // no entry may see another's values, whatever the order of equal and different shapes.
        string?[] types = ["user", "assistant", "progress", null];
        string?[] models = ["claude-fable-5", "<synthetic>", null];
        var random = new Random(42);
        var built = new List<(Entry Entry, EntryKind Kind, string? Type, string? Model, bool Meta, int Tool)>();
        for (var n = 0; n < 3000; n++)
        {
            var kind = (EntryKind)random.Next(1, 5);
            var type = types[random.Next(types.Length)];
            var model = models[random.Next(models.Length)];
            var meta = random.Next(2) == 0;
            var tool = random.Next(3);
            var block = new ContentBlock { Kind = BlockKind.ToolCall, TypeName = "tool_use", Index = tool, JsonPointer = "/message/content/" + tool, ToolName = "T" + tool, ToolId = "id" + n };
            var entry = new Entry { Line = new TranscriptLine(n + 1, n, 1, LineTerminator.LineFeed, 1), Kind = kind, TypeName = type, Model = model, IsMeta = meta, Blocks = [block] };
            if (random.Next(4) != 0)
            {
                entry.ShareShape(); // most are kept by the host; some stay as built
            }

            built.Add((entry, kind, type, model, meta, tool));
        }

        var i = 0;
        foreach (var (entry, kind, type, model, meta, tool) in built)
        {
            entry.Kind.ShouldBe(kind);
            entry.TypeName.ShouldBe(type);
            entry.Model.ShouldBe(model);
            entry.IsMeta.ShouldBe(meta);
            entry.Blocks[0].Index.ShouldBe(tool);
            entry.Blocks[0].ToolName.ShouldBe("T" + tool);
            entry.Blocks[0].ToolId.ShouldBe("id" + i);
            i++;
        }
    }

    [Theory]
    [InlineData(0, false, false)]
    [InlineData(1, false, false)]
    [InlineData(1, true, false)]
    [InlineData(1, true, true)]
    [InlineData(1, false, true)]
    [InlineData(3, true, false)]
    [InlineData(3, false, true)]
    public void A_kept_entry_reads_back_its_blocks_and_rare_texts_in_either_order_of_setting(int blockCount, bool textsFirst, bool textsAfter)
    {
        // The blocks and the rare texts (a non-uuid id, an unusual timestamp) share one field, and a kept entry with one
        // block holds the block itself: every combination, set in either order, reads back as built.
        var blocks = Enumerable.Range(0, blockCount)
            .Select(i => new ContentBlock { Kind = BlockKind.Text, TypeName = "text", Index = i, JsonPointer = "/message/content/" + i, TextLength = 10 + i })
            .ToArray();
        var entry = textsFirst
            ? new Entry { Line = default, Kind = EntryKind.User, Uuid = "agent-a1", Timestamp = "yesterday", Blocks = blocks, ParentUuid = textsAfter ? "agent-a0" : null }
            : new Entry { Line = default, Kind = EntryKind.User, Blocks = blocks, ParentUuid = textsAfter ? "agent-a0" : null };
        entry.ShareShape();
        entry.KeepCompact();

        entry.Blocks.Count.ShouldBe(blockCount);
        entry.Blocks.ShouldBe(blocks); // the same block objects, in order, by index and by enumeration
        for (var i = 0; i < blockCount; i++)
        {
            entry.Blocks[i].ShouldBeSameAs(blocks[i]);
        }

        Should.Throw<ArgumentOutOfRangeException>(() => entry.Blocks[blockCount]);
        (entry.Blocks is [_]).ShouldBe(blockCount == 1); // the list pattern Copilot CLI's dialect uses
        entry.Uuid.ShouldBe(textsFirst ? "agent-a1" : null);
        entry.Timestamp.ShouldBe(textsFirst ? "yesterday" : null);
        entry.ParentUuid.ShouldBe(textsAfter ? "agent-a0" : null);
    }
}
