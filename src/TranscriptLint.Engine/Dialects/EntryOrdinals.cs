using TranscriptLint.Model;

namespace TranscriptLint.Engine.Dialects;

/// <summary>
/// Finds an entry's position in its transcript's entry list, so a conversation can keep per-entry facts in arrays
/// instead of dictionaries keyed by entry. JSON Lines entries come one a line in line order, so the list is a few runs
/// of consecutive lines (a blank or unreadable line starts a new one): an entry is found from its line number and its
/// run, with no table by line. An entry list where two entries share a line, or go back (a document's elements),
/// falls back to a dictionary.
/// </summary>
internal sealed class EntryOrdinals
{
    private readonly IReadOnlyList<Entry> _entries;
    private readonly List<int>? _runLines;    // the first line of each run, ascending
    private readonly List<int>? _runOrdinals; // the ordinal of each run's first entry
    private readonly Dictionary<Entry, int>? _byEntry;

    public EntryOrdinals(IReadOnlyList<Entry> entries)
    {
        _entries = entries;
        List<int>? runLines = [];
        List<int> runOrdinals = [];
        var previous = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var line = entries[i].Line.Number;
            if (line <= previous)
            {
                runLines = null; // a shared line, or one before the last: not a JSON Lines file's order
                break;
            }

            if (line != previous + 1 || i == 0)
            {
                runLines.Add(line);
                runOrdinals.Add(i);
            }

            previous = line;
        }

        if (runLines is not null)
        {
            (_runLines, _runOrdinals) = (runLines, runOrdinals);
            return;
        }

        _byEntry = new Dictionary<Entry, int>(entries.Count, ReferenceEqualityComparer.Instance);
        var ordinal = 0;
        foreach (var e in entries)
        {
            _byEntry[e] = ordinal++; // an entry listed twice answers with its last place, as a dictionary written in order did
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
        var runs = _runLines!;
        var run = runs.Count == 1 ? 0 : runs.BinarySearch(line);
        if (run < 0)
        {
            run = ~run - 1; // the run that starts before the line
        }

        if (run < 0)
        {
            return -1;
        }

        // A line past its run's end points at another entry (or past the list), which the identity check refuses; one
        // before a list of a single run (the shortcut above does not search) points before the list.
        var ordinal = _runOrdinals![run] + (line - runs[run]);
        return (uint)ordinal < (uint)_entries.Count && ReferenceEquals(_entries[ordinal], entry) ? ordinal : -1;
    }
}
