using System.Text.Json;
using TranscriptLint.Model;

namespace TranscriptLint.Tests;

/// <summary>JsonStringReader decodes a string value in pieces exactly as JsonElement.GetString does.</summary>
public sealed class JsonStringReaderTests
{
    public static TheoryData<string> Values() => new()
    {
        "",
        "plain ascii",
        "tab\there, newline\nand \"quotes\" \\ slash / done",
        "ünïcödé — 日本語 and an emoji 😀 between",
        "\u0001\u001f control, \u2028 separator, trailing spaces   ",
        "   \n\t ",
        string.Concat(Enumerable.Repeat("ab😀\\\"ü", 5000)),
        "\u00a0\u3000 \u2003",
        "ends in a no-break space\u00a0",
        "  日本  ",
        "ends in an emoji 😀",
        "日本",
        "del\u007f",
        "ends in a backslash \\",
        "ends in an escaped newline\n",
        "\n\u00a0 \u3000",
        "\\n is not a newline",
        "\ud83d\ude00 escaped pair, then text",
        " \t\r\n\f\b",
        "\"",
        "text, then an escaped form feed\f",
        "text, then a backspace\b",
        "text with a line\nthat ends in a tab\t",
        "text, \\ an escaped backslash, then a newline\n",
        "\ntext after a newline",
        "text ending in a quote\"",
        "a\u2028",
        "a\u00a0",
        "ends in an escaped slash /",
        "x",
        "日本\n語 ",
        "ü\t",
        "ends in an ideographic space\u3000",
        "\n\n  text after newlines",
        "\u00a0\n visible after a no-break space",
        "\t\u3000",
        "😀\n",
        "\f\n\t ",
        "\u2003\n",
        "C:\\dir\\file.txt\n",
        "{\"command\":\"echo \\\"hi\\\"\"}",
        "a backslash, then u: \\u0041 is not an escape",
        "two backslashes, then u: \\\\u0041",
        "ends in two backslashes \\\\",
        "ends in a backslash and an n: \\n",
        "ends in a backslash and a space \\ ",
        "ends in a backslash and u1234: \\u1234",
        "\\",
        "\\\n",
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Pieces_of_any_size_concatenate_to_GetString(string value)
    {
        // Escaped as System.Text.Json writes by default, every character escaped, and as raw UTF-8 (the unescaped path).
        var raw = JsonSerializer.Serialize(value, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (var json in new[] { JsonSerializer.Serialize(value), JsonEscaping.EveryCharacter(value), raw, JsonEscaping.AsJsonStringify(value) })
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var size in new[] { 2, 3, 7, 64, 100_000 })
            {
                var reader = new JsonStringReader(doc.RootElement);
                var buffer = new char[size];
                var text = new System.Text.StringBuilder();
                int n;
                while ((n = reader.Read(buffer)) > 0)
                {
                    text.Append(buffer, 0, n);
                }

                text.ToString().ShouldBe(doc.RootElement.GetString(), $"pieces of {size}");
            }

            var s = doc.RootElement.GetString()!;
            JsonStringReader.Shape(doc.RootElement).ShouldBe((s.Length, s.All(char.IsWhiteSpace), s.Length > 0 && char.IsWhiteSpace(s[^1])));
        }
    }

    [Fact]
    public void Shape_equals_the_decoded_string_for_random_texts_of_escapes_spaces_and_non_ASCII()
    {
        // Backslashes, the letters that follow them in escapes, whitespace of every kind and multi-byte characters, in
        // random order and every encoding above: the measure on bytes must agree with the decoded string each time.
        string[] pieces = ["\\", "u", "n", "0041", " ", "\n", "\t", "\f", "\b", "a", "\"", "ü", "\u3000", "\u00a0", "😀", "/"];
        var random = new Random(20261202);
        for (var i = 0; i < 3000; i++)
        {
            var value = string.Concat(Enumerable.Range(0, random.Next(1, 24)).Select(_ => pieces[random.Next(pieces.Length)]));
            foreach (var json in new[] { JsonSerializer.Serialize(value), JsonEscaping.AsJsonStringify(value), JsonSerializer.Serialize(value, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) })
            {
                using var doc = JsonDocument.Parse(json);
                var s = doc.RootElement.GetString()!;
                JsonStringReader.Shape(doc.RootElement).ShouldBe((s.Length, s.All(char.IsWhiteSpace), s.Length > 0 && char.IsWhiteSpace(s[^1])), json);
            }
        }
    }

    [Theory]
    [InlineData("\"API Error: 529\"", "API Error", true)]
    [InlineData("\"\\u0041PI Error\"", "API Error", true)]
    [InlineData("\"API\"", "API Error", false)]
    [InlineData("\"You\\u0027ve hit your limit\"", "You've hit", true)]
    public void StartsWith_decodes_only_the_prefix(string json, string prefix, bool expected)
    {
        using var doc = JsonDocument.Parse(json);
        JsonStringReader.StartsWith(doc.RootElement, prefix).ShouldBe(expected);
    }
}
