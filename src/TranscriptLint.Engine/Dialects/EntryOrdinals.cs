using TranscriptLint.Engine.Hosting;
using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// Finds an entry's position in its transcript's entry list, so a conversation can keep per-entry facts in arrays
/// instead of dictionaries keyed by entry. A JSON Lines entry is found by its line number (one int per line); an
/// entry list where two entries share a line (a document's elements) falls back to a dictionary.
/// </summary>
internal sealed class EntryOrdinals
{
    private readonly IReadOnlyList<Entry> _entries;
    private readonly SegmentedArray<int>? _byLine; // line number to ordinal + 1 (0: no entry on that line)
    private readonly Dictionary<Entry, int>? _byEntry;

    public EntryOrdinals(IReadOnlyList<Entry> entries)
    {
        _entries = entries;
        var maxLine = 0;
        foreach (var e in entries)
        {
            maxLine = Math.Max(maxLine, e.Line.Number);
        }

        // Line numbers are dense in a JSON Lines file; anything else (a huge number, a shared line) takes the dictionary.
        if (maxLine <= (2L * entries.Count) + 1024)
        {
            var byLine = new SegmentedArray<int>(maxLine + 1);
            var ordinal = 0;
            foreach (var e in entries)
            {
                ordinal++;
                if (e.Line.Number < 1 || byLine[e.Line.Number] != 0)
                {
                    byLine = null;
                    break;
                }

                byLine[e.Line.Number] = ordinal;
            }

            _byLine = byLine;
        }

        if (_byLine is null)
        {
            _byEntry = new Dictionary<Entry, int>(entries.Count, ReferenceEqualityComparer.Instance);
            var ordinal = 0;
            foreach (var e in entries)
            {
                _byEntry[e] = ordinal++; // an entry listed twice answers with its last place, as a dictionary written in order did
            }
        }
    }

    /// <summary>The entry's position in the list, or -1 when it is not one of the list's entries.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>A 0-based ordinal, or -1.</returns>
    public int Of(Entry entry)
    {
        if (_byEntry is not null)
        {
            return _byEntry.TryGetValue(entry, out var found) ? found : -1;
        }

        var line = entry.Line.Number;
        if (line < 1 || line >= _byLine!.Length || _byLine[line] == 0)
        {
            return -1;
        }

        var ordinal = _byLine[line] - 1;
        return ReferenceEquals(_entries[ordinal], entry) ? ordinal : -1;
    }
}
