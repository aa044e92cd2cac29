using System.Text.Json;
using System.Text.Json.Serialization;

namespace Metrics.AspNetCore;

/// <summary>
/// Writes NaN and the infinities as JSON <c>null</c>, the one convention of every JSON endpoint of the adapter. JSON
/// numbers cannot hold them; <c>null</c> is what JavaScript's <c>JSON.stringify</c> writes for them, what charts draw
/// as a gap, and what every JSON reader accepts in a number's place, where strings such as <c>"NaN"</c> would break
/// clients that read numbers. A gauge set to NaN and an unknown point of the history both read as <c>null</c>.
/// </summary>
internal sealed class NonFiniteAsNullConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
