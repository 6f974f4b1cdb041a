namespace Acme.TranscriptRules;

/// <summary>Every rule id of this plugin. Ids are a public contract: never reuse or renumber one.</summary>
public static class AcmeRuleIds
{
    /// <summary>ACME1001: a message text names a host of the internal domain.</summary>
    public const string InternalHostnameInText = "ACME1001";

    /// <summary>ACME1002: a tool call runs <c>git push --force</c>.</summary>
    public const string ForcePushInToolCall = "ACME1002";
}

/// <summary>Reads this plugin's rule doc pages (docs/&lt;ID&gt;.md, embedded).</summary>
internal static class Docs
{
    public static string For(string id)
    {
        using var stream = typeof(Docs).Assembly.GetManifestResourceStream("docs." + id + ".md");
        if (stream is null)
        {
            return "";
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
