using System.Buffers;
using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Translation;

/// <summary>Small JSON helpers the translators share: reading optional fields and writing pieces to bytes.</summary>
internal static class JsonBlocks
{
    /// <summary>Writes one JSON value with <paramref name="write"/> and returns its UTF-8 bytes.</summary>
    public static byte[] Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, ApiJson.WriterOptions))
        {
            write(json);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The property <paramref name="name"/> of <paramref name="element"/>, unless it is missing or null.</summary>
    public static bool TryGet(this JsonElement element, string name, out JsonElement value) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null
            ? true
            : Fail(out value);

    /// <summary>The string property <paramref name="name"/>, or null when it is missing, null or not a string.</summary>
    public static string? String(this JsonElement element, string name) =>
        element.TryGet(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The string property <paramref name="name"/>; throws naming <paramref name="path"/> when it is missing or not a string.</summary>
    public static string RequiredString(this JsonElement element, string name, string path) =>
        element.String(name) ?? throw new UntranslatableFieldException(path + "." + name, "it is required and must be a string");

    /// <summary>The properties of <paramref name="element"/> that are set: present and not null, which both APIs treat alike.</summary>
    public static IEnumerable<JsonProperty> SetFields(this JsonElement element) =>
        element.EnumerateObject().Where(property => property.Value.ValueKind != JsonValueKind.Null);

    private static bool Fail(out JsonElement value)
    {
        value = default;
        return false;
    }
}
