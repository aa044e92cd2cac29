using System.Text.Json;

namespace Gateway.Translation;

/// <summary>
/// The <c>messages</c> of an Anthropic request being built from another API's conversation. Anthropic joins
/// consecutive turns of one role into one, so this list does the same while it is built: several OpenAI tool results
/// in a row become one user turn with several <c>tool_result</c> blocks, as Anthropic expects after parallel tool use.
/// </summary>
internal sealed class AnthropicMessageList
{
    private readonly List<(string Role, List<byte[]> Blocks)> _turns = [];

    /// <summary>Adds content blocks to the conversation as <paramref name="role"/>.</summary>
    public void Add(string role, List<byte[]> blocks)
    {
        if (_turns.Count > 0 && _turns[^1].Role == role)
        {
            _turns[^1].Blocks.AddRange(blocks);
            return;
        }

        _turns.Add((role, blocks));
    }

    /// <summary>Writes the <c>messages</c> array.</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartArray("messages");
        foreach (var (role, blocks) in _turns)
        {
            json.WriteStartObject();
            json.WriteString("role", role);
            json.WriteStartArray("content");
            foreach (var block in blocks)
            {
                json.WriteRawValue(block, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
