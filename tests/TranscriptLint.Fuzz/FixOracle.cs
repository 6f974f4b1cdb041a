using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Fixing;
using TranscriptLint.Engine.Hosting;
using TranscriptLint.Fixes;
using TranscriptLint.Reporting;

namespace TranscriptLint.Fuzz;

/// <summary>
/// The fixer's promise checked from the outside (shared by the fuzz harness and the property tests): one pass of
/// fixes removes nothing but what its edits declare. Every byte of the input outside the declared spans (a deleted
/// or wholly replaced line; the value a pointer names; a removed array element with the separator beside it) must be
/// in the output, in order. Computed independently of <see cref="FixInvariants"/>, which enforces it inside.
/// </summary>
internal static class FixOracle
{
    /// <summary>One pass, exactly as <see cref="TranscriptFixer"/> runs it: lint, plan, apply.</summary>
    /// <returns>The output and the fixes applied, or null when there is nothing to apply (or the file is refused).</returns>
    public static (byte[] Output, IReadOnlyList<PlannedFix> Applied, IDialect Dialect)? OnePass(LintEngine engine, FixOptions options, byte[] input)
    {
        FileLintResult lint;
        using (var stream = new MemoryStream(input, 0, input.Length, writable: false, publiclyVisible: true))
        {
            lint = engine.LintStream(stream, "fuzz.jsonl");
        }

        if (FixInvariants.RefuseFile(lint) is not null || DialectRegistry.ByName(lint.Dialect) is not { } dialect)
        {
            return null;
        }

        var plan = FixPlan.Create(new TranscriptFixer(engine, options).Candidates(lint), options);
        if (plan.Selected.Count == 0)
        {
            return null;
        }

        var pass = FixPass.Apply(input, dialect, plan.Selected, lint);
        return (pass.Fixed.ToArray(), pass.Applied, dialect);
    }

    /// <summary>Why <paramref name="output"/> lost bytes of <paramref name="input"/> that no edit declares; null when it did not.</summary>
    /// <param name="input">The bytes of the pass's input (a line dialect's file).</param>
    /// <param name="output">The pass's output.</param>
    /// <param name="dialect">The file's dialect (for the parent pointer of SetParent).</param>
    /// <param name="edits">Every edit of the fixes the pass applied.</param>
    public static string? LostBytes(ReadOnlySpan<byte> input, ReadOnlySpan<byte> output, IDialect dialect, IEnumerable<FixEdit> edits)
    {
        var all = edits.ToList();
        var byLine = all.GroupBy(e => e.Target.Line).ToDictionary(g => g.Key, g => g.ToList());
        var removable = new List<(int Start, int End)>();
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        var offset = input.StartsWith(bom) ? 3 : 0;
        if (offset > 0 && all.Exists(e => e is RemoveByteOrderMark))
        {
            removable.Add((0, 3)); // the mark's own edit; without one, the walk below requires the mark in the output
        }
        var lineNo = 0;
        while (offset < input.Length)
        {
            lineNo++;
            var rest = input[offset..];
            var nl = rest.IndexOf((byte)'\n');
            var lineEnd = nl < 0 ? input.Length : offset + nl + 1; // with its terminator
            var contentEnd = nl < 0 ? input.Length : offset + nl - (nl > 0 && rest[nl - 1] == (byte)'\r' ? 1 : 0);
            if (byLine.TryGetValue(lineNo, out var lineEdits))
            {
                if (lineEdits.Any(e => e is DeleteEntry || e is ReplaceValue { JsonPointer.Length: 0 }))
                {
                    removable.Add((offset, lineEnd));
                }
                else
                {
                    var content = input[offset..contentEnd];
                    foreach (var edit in lineEdits)
                    {
                        if (Declared(content, edit, dialect) is { } span)
                        {
                            removable.Add((offset + span.Start, offset + span.End));
                        }
                    }
                }
            }

            offset = lineEnd;
        }

        // Greedy subsequence walk: each kept byte must appear in the output after the previous one.
        removable.Sort();
        var at = 0;
        var r = 0;
        for (var i = 0; i < input.Length; i++)
        {
            while (r < removable.Count && removable[r].End <= i)
            {
                r++;
            }

            if (r < removable.Count && removable[r].Start <= i)
            {
                continue; // inside a declared span
            }

            var found = output[at..].IndexOf(input[i]);
            if (found < 0)
            {
                var line = input[..i].Count((byte)'\n') + 1;
                return $"byte {i} (line {line}, 0x{input[i]:x2}) outside every declared edit is missing from the output";
            }

            at += found + 1;
        }

        return null;
    }

    // The span of the line an in-place edit may change: the value its pointer names; for a removed array element,
    // the element and the separator beside it (either side). Null when nothing of the line may go (an insertion).
    private static (int Start, int End)? Declared(ReadOnlySpan<byte> line, FixEdit edit, IDialect dialect)
    {
        var pointer = edit switch
        {
            ReplaceValue r => r.JsonPointer,
            SetParent => dialect.ParentPointer,
            RemoveArrayElement a => a.ArrayPointer + "/" + a.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
        if (pointer is null || JsonPointerLocator.Find(line, pointer) is not { } span)
        {
            return null;
        }

        if (edit is RemoveArrayElement remove)
        {
            var prefix = remove.ArrayPointer + "/";
            var before = remove.Index > 0 ? JsonPointerLocator.Find(line, prefix + (remove.Index - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
            var after = JsonPointerLocator.Find(line, prefix + (remove.Index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return (before?.End ?? span.Start, after?.Start ?? span.End);
        }

        return span;
    }
}
