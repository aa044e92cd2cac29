using System.Buffers;
using System.Text.Json;

namespace Gateway.Streaming;

/// <summary>
/// Hides from an OpenAI Chat client the usage the gateway asked for on its behalf: the provider's final chunk with
/// empty <c>choices</c> and a <c>usage</c> object is dropped (its usage still counted), and the <c>"usage": null</c>
/// that OpenAI adds to every other chunk once usage is asked for is cut out, so the client gets the stream it asked for.
/// </summary>
internal sealed class UsageChunkFilter : SseEventTransform
{
    /// <inheritdoc />
    protected override void OnEvent(string? eventName, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        var (usageStart, usageEnd, usageIsNull, choicesEmpty) = Inspect(data);
        if (usageStart < 0)
        {
            WriteEvent(output, eventName, data);
        }
        else if (!usageIsNull && choicesEmpty)
        {
            // The usage-only chunk the client did not ask for: counted by the base class, never relayed.
        }
        else if (usageIsNull)
        {
            WriteEvent(output, eventName, WithoutProperty(data, usageStart, usageEnd));
        }
        else
        {
            WriteEvent(output, eventName, data);
        }
    }

    // Where the top-level "usage" property lies (its name's quote to its value's end), whether it is null, and
    // whether "choices" is an empty array. Data that is not a JSON object (such as [DONE]) has no usage.
    private static (int Start, int End, bool IsNull, bool ChoicesEmpty) Inspect(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (-1, -1, false, false);
            }

            var (start, end, isNull, choicesEmpty) = (-1, -1, false, false);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameStart = (int)reader.TokenStartIndex;
                var isUsage = reader.ValueTextEquals("usage"u8);
                var isChoices = reader.ValueTextEquals("choices"u8);
                reader.Read();
                if (isUsage)
                {
                    (start, isNull) = (nameStart, reader.TokenType == JsonTokenType.Null);
                }

                if (isChoices && reader.TokenType == JsonTokenType.StartArray)
                {
                    reader.Read();
                    choicesEmpty = reader.TokenType == JsonTokenType.EndArray;
                    if (!choicesEmpty)
                    {
                        reader.Skip();
                        while (reader.TokenType != JsonTokenType.EndArray || reader.CurrentDepth != 1)
                        {
                            reader.Read();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }

                if (isUsage)
                {
                    end = (int)reader.BytesConsumed;
                }
            }

            return (start, end, isNull, choicesEmpty);
        }
        catch (JsonException)
        {
            return (-1, -1, false, false);
        }
    }

    // The object without one property, and the comma that separated it from its neighbour.
    private static byte[] WithoutProperty(ReadOnlySpan<byte> data, int start, int end)
    {
        var before = start;
        while (before > 0 && IsWhitespace(data[before - 1]))
        {
            before--;
        }

        var after = end;
        if (before > 0 && data[before - 1] == (byte)',')
        {
            before--;
        }
        else
        {
            while (after < data.Length && IsWhitespace(data[after]))
            {
                after++;
            }

            if (after < data.Length && data[after] == (byte)',')
            {
                after++;
                while (after < data.Length && IsWhitespace(data[after]))
                {
                    after++;
                }
            }
        }

        return [.. data[..before], .. data[after..]];
    }

    private static bool IsWhitespace(byte value) => value is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
