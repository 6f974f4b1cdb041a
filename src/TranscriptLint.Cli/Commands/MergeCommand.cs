using System.CommandLine;
using TranscriptLint.Sarif;

namespace TranscriptLint.Cli.Commands;

/// <summary><c>transcriptlint merge a.sarif b.sarif … -o all.sarif</c>: the shards of a sharded lint as one SARIF run.</summary>
public static class MergeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var inputs = new Argument<string[]>("logs")
        {
            Description = "SARIF logs written by 'transcriptlint lint --shard K/N --format sarif' (globs allowed).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the merged log here instead of standard output.",
            HelpName = "FILE",
        };
        var command = new Command("merge", "Merge the SARIF logs of sharded lint runs into one run, equal to an unsharded run's. Exit 0: merged; 2: a log is missing, not transcriptlint SARIF, or the logs overlap.")
        {
            inputs, output,
        };
        command.SetAction(parse =>
        {
            var files = new List<string>();
            foreach (var input in parse.GetValue(inputs) ?? [])
            {
                if (File.Exists(input))
                {
                    files.Add(input);
                }
                else if (input.IndexOfAny(['*', '?']) >= 0)
                {
                    var dir = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
                    var matched = Directory.Exists(dir) ? Directory.GetFiles(dir, Path.GetFileName(input)).Order(StringComparer.Ordinal).ToList() : [];
                    files.AddRange(matched.Count > 0 ? matched : throw new UsageException($"no file matches '{input}'"));
                }
                else
                {
                    throw new UsageException($"no such file: {input}");
                }
            }

            byte[] merged;
            try
            {
                merged = SarifMerger.Merge([.. files.Select(f => (f, File.ReadAllText(f)))]);
            }
            catch (SarifMergeException ex)
            {
                throw new UsageException(ex.Message);
            }

            if (parse.GetValue(output) is { Length: > 0 } path)
            {
                File.WriteAllBytes(path, merged);
                stderr.WriteLine($"transcriptlint: merged {files.Count} logs into {path}.");
            }
            else
            {
                stdout.Write(System.Text.Encoding.UTF8.GetString(merged));
            }

            return ExitCodes.Clean;
        });
        return command;
    }
}
