using System.Text.Json;

namespace TranscriptLint.Engine.Reading;

/// <summary>What a file looks like before any dialect reads it.</summary>
public enum FileShapeKind
{
    /// <summary>No bytes, or only whitespace: nothing to lint.</summary>
    Empty,

    /// <summary>JSON Lines: one JSON object per line (some lines may be damaged).</summary>
    Jsonl,

    /// <summary>One JSON document: spread over many lines, or one non-object value (an array) on one line, or one object alone.</summary>
    JsonDocument,

    /// <summary>Compressed data (gzip, zstd, bzip2, xz, zip, 7z).</summary>
    Compressed,

    /// <summary>Binary data, or mostly invalid UTF-8.</summary>
    Binary,

    /// <summary>Text that is not JSON Lines (no line, or too few lines, are JSON objects).</summary>
    Text,

    /// <summary>UTF-16 text (a transcript saved by Windows PowerShell 5.1 or Notepad's "Unicode"): not read as it is.</summary>
    Utf16,
}

/// <summary>The shape of a file, with the words a user is shown for it (e.g. "gzip data").</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Description">What the file looks like, for the not-a-transcript finding.</param>
/// <param name="DocumentKind">For <see cref="FileShapeKind.JsonDocument"/>: the kind of the root value.</param>
/// <param name="DocumentLines">For <see cref="FileShapeKind.JsonDocument"/>: the number of lines the document spans.</param>
public sealed record FileShape(FileShapeKind Kind, string Description, JsonValueKind DocumentKind = JsonValueKind.Undefined, int DocumentLines = 0)
{
    /// <summary>
    /// Whether the file may be a transcript damaged as a whole in a way <see cref="TranscriptRestoration"/> repairs without
    /// loss (UTF-16, NUL padding after a document, a Gemini CLI session cut off): worth reading whole to find out.
    /// </summary>
    public bool MayBeRestored { get; init; }
}
