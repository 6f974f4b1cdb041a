using System.Text.Json;
using TranscriptLint.Tests;

namespace TranscriptLint.Sarif.Tests;

/// <summary>Rule metadata that only some rules carry, and URIs for awkward paths.</summary>
public class DescriptorAndUriTests
{
    private static JsonElement Rule(JsonDocument doc, string id) =>
        doc.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);

    [Fact]
    public void Security_severity_and_the_security_tag_appear_only_on_security_rules()
    {
        var security = new RuleDescriptor("TX8001", "leaked-secret", "Secret in a tool result", "Secret {0}", "Privacy", Severity.Error)
        {
            FullDescription = "A credential was pasted into the session.",
            SecuritySeverity = 8.5,
            Tags = ["privacy", "privacy"],
        };
        var plain = new RuleDescriptor("TX8002", "plain-rule", "Plain rule", "Plain", "Test", Severity.Note);
        var input = new SarifRunInput { Results = [], Rules = [new SarifRule(security, Severity.Error), new SarifRule(plain, Severity.Note)] };
        var (bytes, _) = SarifWriter.Build(input, SarifFixtures.Options());
        SchemaValidationTests.AssertValid(bytes, "a log with a security rule");
        using var doc = JsonDocument.Parse(bytes);

        var s = Rule(doc, "TX8001").GetProperty("properties");
        s.GetProperty("security-severity").GetString().ShouldBe("8.5");
        s.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["privacy", "security"], "tags are de-duplicated and sorted");
        s.GetProperty("problem.severity").GetString().ShouldBe("error");

        var p = Rule(doc, "TX8002").GetProperty("properties");
        p.TryGetProperty("security-severity", out _).ShouldBeFalse();
        p.GetProperty("problem.severity").GetString().ShouldBe("recommendation");
        Rule(doc, "TX8002").GetProperty("defaultConfiguration").GetProperty("level").GetString().ShouldBe("note");
        doc.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength().ShouldBe(0, "results is present even when empty");
    }

    [Fact]
    public void A_path_with_spaces_is_escaped_and_resolves_back()
    {
        var root = Directory.CreateTempSubdirectory("tl-sarif-uri-");
        try
        {
            var sub = Directory.CreateDirectory(Path.Combine(root.FullName, "my sessions"));
            var file = Path.Combine(sub.FullName, "b crash #1.jsonl");
            File.Copy(Path.Combine(RepoPaths.Root, "fixtures/claude-code/common/b-crash-mid-tool.jsonl"), file);
            var result = SarifFixtures.Engine().LintFile(file, file);
            var options = new SarifWriterOptions { SourceRoot = root.FullName, LocalPath = r => r.Path };
            var (bytes, _) = SarifWriter.Build(SarifFixtures.Input([result]), options);
            SchemaValidationTests.AssertValid(bytes, "a log with an escaped path");
            using (var doc = JsonDocument.Parse(bytes))
            {
                doc.RootElement.GetProperty("runs")[0].GetProperty("artifacts")[0].GetProperty("location").GetProperty("uri").GetString()
                    .ShouldBe("my%20sessions/b%20crash%20%231.jsonl");
            }

            var read = SarifReader.Read(SarifFixtures.Text(bytes), root.FullName).Single();
            read.LocalPath.ShouldBe(file);
            read.Findings.ShouldNotBeEmpty();
            FixRegionTests.Fixes(bytes).ShouldNotBeEmpty("the file was re-read through its real path");
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_file_outside_the_source_root_is_refused_rather_than_written_as_an_absolute_path()
    {
        const string fixture = "fixtures/claude-code/common/b-crash-mid-tool.jsonl";
        var results = SarifFixtures.Lint(fixture);
        var elsewhere = Directory.CreateTempSubdirectory("tl-sarif-root-");
        try
        {
            var options = new SarifWriterOptions { SourceRoot = elsewhere.FullName, LocalPath = r => Path.Combine(RepoPaths.Root, r.Path) };
            Should.Throw<SourceRootException>(() => SarifWriter.Build(SarifFixtures.Input(results), options))
                .Message.ShouldBe($"{Path.Combine(RepoPaths.Root, fixture)} is outside the source root {elsewhere.FullName}; report paths are relative to it: pass --source-root with a folder that holds every linted file");
        }
        finally
        {
            elsewhere.Delete();
        }
    }
}
