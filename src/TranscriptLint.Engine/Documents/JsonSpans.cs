using System.Text.Json;

namespace TranscriptLint.Engine.Documents;

/// <summary>Byte spans of the parts of a JSON value: the elements of an array, the members of an object.</summary>
internal static class JsonSpans
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 4096 };

    /// <summary>The spans (start, end exclusive) of the elements of the array that starts at <paramref name="json"/>[0].</summary>
    public static List<(int Start, int End)>? Elements(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            var list = new List<(int, int)>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }

                list.Add((start, (int)reader.BytesConsumed));
            }

            return list;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One member of an object: where its name starts, where its value starts and ends.</summary>
    public readonly record struct Member(int NameStart, int NameEnd, int ValueStart, int ValueEnd);

    /// <summary>The members of the object that starts at <paramref name="json"/>[0].</summary>
    public static List<Member>? Members(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var list = new List<Member>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameStart = (int)reader.TokenStartIndex;
                var nameEnd = nameStart + reader.ValueSpan.Length + 2; // the quoted name as written (BytesConsumed is past the ':')
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }

                list.Add(new Member(nameStart, nameEnd, valueStart, (int)reader.BytesConsumed));
            }

            return list;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
