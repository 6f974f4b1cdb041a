using System.Text;
using TranscriptLint.Engine.Hosting;

namespace TranscriptLint.Tests;

public sealed class JsonPointerLocatorTests
{
    [Theory]
    [InlineData("/a", "1")]
    [InlineData("/b/1", "{\"c\":\"d\"}")]
    [InlineData("/b/1/c", "\"d\"")]
    [InlineData("/e~1f", "null")]
    [InlineData("", "{\"a\":1,\"b\":[true,{\"c\":\"d\"}],\"e/f\":null}")]
    public void Finds_the_exact_value_span(string pointer, string expected)
    {
        var json = Encoding.UTF8.GetBytes("{\"a\":1,\"b\":[true,{\"c\":\"d\"}],\"e/f\":null}");
        var span = JsonPointerLocator.Find(json, pointer).ShouldNotBeNull();
        Encoding.UTF8.GetString(json[span.Start..span.End]).ShouldBe(expected);
    }

    [Theory]
    [InlineData("/x")]
    [InlineData("/b/5")]
    [InlineData("/a/b")]
    public void Missing_values_give_null(string pointer) =>
        JsonPointerLocator.Find("{\"a\":1,\"b\":[]}"u8, pointer).ShouldBeNull();
}
