using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Tests;

/// <summary>
/// The storage under the row index (decision 0004, step 2): rows in chunks of 32,768 keep every item across chunk
/// boundaries and the first chunk's growth, and the id arena gives back every text as added, across chunks, for texts
/// too long for a chunk, and for null.
/// </summary>
public sealed class RowStorageTests
{
    [Fact]
    public void Rows_keep_every_item_across_the_first_chunks_growth_and_later_chunks()
    {
        var rows = new RowChunks<(long A, int B)>();
        const int Count = 100_000; // three full chunks and part of a fourth
        for (var i = 0; i < Count; i++)
        {
            ref var row = ref rows.Add();
            row.ShouldBe(default, "a new row starts zeroed, whatever the chunk held");
            row = (i * 3L, -i);
        }

        rows.Count.ShouldBe(Count);
        for (var i = 0; i < Count; i++)
        {
            rows[i].ShouldBe((i * 3L, -i));
        }

        rows[40_000].B = 7; // written in place
        rows[40_000].ShouldBe((120_000L, 7));
    }

    [Fact]
    public void The_arena_gives_back_every_text_across_chunks_long_texts_and_null()
    {
        var arena = new TextArena();
        var random = new Random(3);
        var texts = new List<string?>();
        var refs = new List<TextRef>();
        for (var i = 0; i < 20_000; i++)
        {
            // Mostly id-sized texts (the first chunk grows, later ones fill), some empty, some null, a few past a chunk's eighth.
            var text = (i % 997) switch
            {
                0 => null,
                1 => "",
                2 => new string((char)('a' + (i % 26)), 9_000 + i),
                _ => $"toolu_{random.NextInt64():x16}{i}",
            };
            texts.Add(text);
            refs.Add(arena.Add(text));
        }

        for (var i = 0; i < texts.Count; i++)
        {
            arena.Get(refs[i]).ShouldBe(texts[i]);
            refs[i].IsNone.ShouldBe(texts[i] is null);
            arena.Equal(refs[i], texts[i]).ShouldBeTrue();
            arena.Equal(refs[i], refs[i]).ShouldBeTrue();
        }

        arena.Equal(refs[3], refs[4]).ShouldBeFalse();
        arena.Equal(TextRef.None, refs[1]).ShouldBeFalse("null is not the empty text");
        arena.Equal(TextRef.None, TextRef.None).ShouldBeTrue();
        arena.Equal(refs[1], (string?)null).ShouldBeFalse();
    }
}
