using System.Text;
using TranscriptLint.Engine.Dialects;
using TranscriptLint.Engine.Documents;
using TranscriptLint.Fixes;
using TranscriptLint.Tests.Fixing;

namespace TranscriptLint.Tests;

/// <summary>How whole JSON documents are told from JSON Lines, read into entries, located and edited.</summary>
public sealed class DocumentReadingTests
{
    private const string Gemini = """
        {
          "sessionId": "s1",
          "projectHash": "p1",
          "startTime": "2026-02-11T09:13:58.512Z",
          "lastUpdated": "2026-02-11T09:13:58.512Z",
          "messages": [
            {
              "id": "u1",
              "timestamp": "2026-02-11T09:13:58.512Z",
              "type": "user",
              "content": "hi"
            },
            {
              "id": "g1",
              "timestamp": "2026-02-11T09:13:59.512Z",
              "type": "gemini",
              "content": "",
              "toolCalls": [
                {
                  "id": "ls-1",
                  "name": "list_directory",
                  "args": {},
                  "status": "executing"
                }
              ]
            }
          ]
        }
        """;

    private static TranscriptDocument Open(string text, IDocumentDialect? dialect = null) =>
        TranscriptDocument.Open(Encoding.UTF8.GetBytes(text), dialect, out var problem) ?? throw new InvalidOperationException(problem);

    [Theory]
    [InlineData("{\"role\":\"user\",\"content\":\"hi\"}\n{\"role\":\"assistant\",\"content\":\"yo\"}\n", null)]
    [InlineData("{\"role\":\"user\",\"content\":\"hi\"}", null)]
    [InlineData("{\n  \"name\": \"my-package\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {}\n}\n", null)]
    [InlineData("{\n  \"messages\": [\n    {\"type\": \"user\", \"content\": \"x\"}\n  ]\n}", null)]
    [InlineData("[]", null)]
    [InlineData("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", AnthropicMessagesDialect.DialectName)]
    [InlineData("{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"hi\"}]}\n", OpenAIChatBodyDialect.DialectName)]
    [InlineData("[\n  {\"role\": \"user\", \"content\": \"hi\"}\n]\n", AnthropicMessagesDialect.DialectName)]
    public void Only_supported_documents_are_claimed(string text, string? dialect)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        using var doc = DocumentSniffer.Detect(stream, null);
        doc?.Dialect.Name.ShouldBe(dialect);
        if (dialect is null)
        {
            doc.ShouldBeNull();
        }
    }

    [Fact]
    public void A_json_document_of_no_supported_format_stays_unclaimed_and_is_never_changed()
    {
        var bytes = Encoding.UTF8.GetBytes("{\n  \"name\": \"my-package\",\n  \"scripts\": {\n    \"test\": \"jest\"\n  }\n}\n");
        FixerHarness.Lint(bytes).Dialect.ShouldNotBe(GeminiCliDialect.DialectName);
        FixerHarness.Fix(bytes).Changed.ShouldBeFalse();
    }

    [Fact]
    public void Entries_are_the_elements_with_their_start_line_and_span()
    {
        using var doc = Open(Gemini);
        doc.Dialect.Name.ShouldBe(GeminiCliDialect.DialectName);
        doc.Elements.Select(e => e.Entry.Line.Number).ShouldBe([7, 13]);
        doc.Elements.Select(e => e.Entry.Uuid).ShouldBe(["u1", "g1"]);
        var first = doc.Elements[0];
        Encoding.UTF8.GetString(doc.Bytes, first.Start, first.End - first.Start).ShouldStartWith("{\n      \"id\": \"u1\"");
        Encoding.UTF8.GetString(doc.Bytes, first.Start, first.End - first.Start).ShouldEndWith("\"hi\"\n    }");
    }

    [Fact]
    public void A_finding_in_a_document_points_at_the_value_on_its_physical_lines()
    {
        var result = FixerHarness.Lint(Encoding.UTF8.GetBytes(Gemini));
        var d = result.Diagnostics.Single(x => x.Id == "TL3001");
        (d.Location.StartLine, d.Location.StartColumn, d.Location.EndLine, d.Location.EndColumn).ShouldBe((19, 9, 24, 10));
        d.Location.EntryUuid.ShouldBe("g1");
        d.Location.JsonPointer.ShouldBe("/toolCalls/0");
    }

    [Fact]
    public void Deleting_the_only_element_leaves_an_empty_array_and_every_other_byte()
    {
        using var doc = Open("{\n  \"model\": \"m\",\n  \"max_tokens\": 5,\n  \"messages\": [\n    {\n      \"role\": \"user\",\n      \"content\": \"hi\"\n    }\n  ]\n}\n");
        var edits = DocumentEdits.Render(doc, [new DeleteEntry(doc.Elements[0].Entry.Ref)]);
        Encoding.UTF8.GetString(DocumentEdits.Apply(doc.Bytes, edits)).ShouldBe("{\n  \"model\": \"m\",\n  \"max_tokens\": 5,\n  \"messages\": []\n}\n");
    }

    [Fact]
    public void Elements_on_one_line_are_told_apart_by_their_key()
    {
        using var doc = Open("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"},{\"role\":\"user\",\"content\":\"c\"}]}");
        doc.Elements.Select(e => e.Entry.Ref).ShouldBe([new(1, "/messages/0"), new(1, "/messages/1"), new(1, "/messages/2")]);
        var edits = DocumentEdits.Render(doc, [new DeleteEntry(new(1, "/messages/1"))]);
        Encoding.UTF8.GetString(DocumentEdits.Apply(doc.Bytes, edits))
            .ShouldBe("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"c\"}]}");
        Should.Throw<DocumentEditException>(() => DocumentEdits.Render(doc, [new DeleteEntry(new(1, null))])).Message.ShouldContain("stale");
    }

    [Fact]
    public void A_crlf_document_gets_crlf_in_what_is_inserted()
    {
        var text = Gemini.Replace("\n", "\r\n", StringComparison.Ordinal);
        using var doc = Open(text);
        var insert = new InsertEntryAfter(doc.Elements[1].Entry.Ref, new SyntheticToolResult("ls-1", "interrupted", IsError: true));
        var result = Encoding.UTF8.GetString(DocumentEdits.Apply(doc.Bytes, DocumentEdits.Render(doc, [insert])));
        result.ShouldContain("\"status\": \"executing\",\r\n          \"result\": [\r\n            {\r\n              \"functionResponse\": {");
        result.Replace("\r\n", "", StringComparison.Ordinal).ShouldNotContain("\n");
    }

    [Fact]
    public void Reindent_keeps_string_escapes_and_writes_empty_containers_like_json_stringify()
    {
        var json = Encoding.UTF8.GetBytes("{\"a\":\"x\\ny\\u00e9\",\"b\":[],\"c\":{},\"d\":[1,true,null]}");
        Encoding.UTF8.GetString(DocumentEdits.Reindent(json, "  "u8.ToArray(), "  "u8.ToArray(), "\n"u8.ToArray()))
            .ShouldBe("{\n    \"a\": \"x\\ny\\u00e9\",\n    \"b\": [],\n    \"c\": {},\n    \"d\": [\n      1,\n      true,\n      null\n    ]\n  }");
    }

    [Fact]
    public void A_forced_document_dialect_on_other_input_is_a_one_line_error()
    {
        var engine = new TranscriptLint.Engine.Hosting.LintEngine(FixerHarness.Rules, new TranscriptLint.Engine.Hosting.LintOptions { Dialect = GeminiCliDialect.DialectName });
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"role\":\"user\",\"content\":\"hi\"}\n{\"role\":\"user\",\"content\":\"x\"}\n"));
        Should.Throw<IOException>(() => engine.LintStream(stream, "t.jsonl")).Message.ShouldNotContain("\n");
    }
}
