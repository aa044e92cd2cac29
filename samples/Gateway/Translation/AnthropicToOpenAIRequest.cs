using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Translation;

/// <summary>
/// Translates an Anthropic Messages request into an OpenAI Chat Completions request: <c>system</c> becomes a system
/// message, text and image blocks become content parts, <c>tool_use</c> blocks become <c>tool_calls</c> and each
/// <c>tool_result</c> a <c>tool</c> message, and <c>max_tokens</c>, temperature, top_p, stop sequences, tools,
/// tool_choice (with <c>disable_parallel_tool_use</c>) and <c>metadata.user_id</c> carry over. A streaming request
/// always asks for usage, which the translated stream needs for Anthropic's counts. <c>cache_control</c> hints are
/// left out, since OpenAI caches prompts by itself; every other field or value OpenAI cannot express raises
/// <see cref="UntranslatableFieldException"/>, and so does a request without <c>max_tokens</c>, which the Messages
/// API requires: OpenAI would take it as no limit at all.
/// </summary>
internal static class AnthropicToOpenAIRequest
{
    private const string Why = "the OpenAI Chat Completions API has no equivalent";
    private const int MaxStopSequences = 4;

    /// <summary>Translates the Messages request <paramref name="root"/> into a Chat Completions request for <paramref name="model"/>.</summary>
    public static byte[] Translate(JsonElement root, string model)
    {
        foreach (var property in root.SetFields())
        {
            var supported = property.Name switch
            {
                "model" or "messages" or "max_tokens" or "system" or "temperature" or "top_p" or "stop_sequences" or "stream" or "tools" or "tool_choice" => true,
                "metadata" => property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().All(field => field.Name == "user_id"),
                "thinking" => property.Value.String("type") == "disabled",
                "service_tier" => property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() == "auto",
                _ => false,
            };
            if (!supported)
            {
                throw new UntranslatableFieldException(property.Name, Why);
            }
        }

        if (!root.TryGet("max_tokens", out var maxTokens))
        {
            throw new UntranslatableFieldException("max_tokens", "the Anthropic Messages API requires it, and an OpenAI provider would take its absence as no limit");
        }

        var messages = Messages(root);
        return JsonBlocks.Build(json =>
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteStartArray("messages");
            messages.ForEach(message => json.WriteRawValue(message, skipInputValidation: true));
            json.WriteEndArray();
            json.WritePropertyName("max_completion_tokens");
            maxTokens.WriteTo(json);

            foreach (var field in (ReadOnlySpan<string>)["temperature", "top_p"])
            {
                if (root.TryGet(field, out var value))
                {
                    json.WritePropertyName(field);
                    value.WriteTo(json);
                }
            }

            WriteStop(json, root);
            if (root.TryGet("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
            {
                json.WriteBoolean("stream", true);
                json.WriteStartObject("stream_options");
                json.WriteBoolean("include_usage", true);
                json.WriteEndObject();
            }

            WriteTools(json, root);
            if (root.TryGet("metadata", out var metadata) && metadata.String("user_id") is { } user)
            {
                json.WriteString("user", user);
            }

            json.WriteEndObject();
        });
    }

    private static List<byte[]> Messages(JsonElement root)
    {
        var messages = new List<byte[]>();
        if (root.TryGet("system", out var system))
        {
            messages.Add(Message("system", system.ValueKind == JsonValueKind.String ? null : TextParts(system, "system"), system.ValueKind == JsonValueKind.String ? system.GetString() : null));
        }

        if (!root.TryGet("messages", out var turns) || turns.ValueKind != JsonValueKind.Array)
        {
            throw new UntranslatableFieldException("messages", "it must be an array");
        }

        var index = 0;
        foreach (var turn in turns.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            var role = turn.RequiredString("role", path);
            var content = turn.TryGet("content", out var value) ? value : default;
            if (role == "user")
            {
                AddUserTurn(messages, content, path + ".content");
            }
            else if (role == "assistant")
            {
                messages.Add(AssistantTurn(content, path + ".content"));
            }
            else
            {
                throw new UntranslatableFieldException(path + ".role", $"the role '{role}' {Why}");
            }
        }

        return messages;
    }

    // OpenAI wants each tool result as its own message right after the assistant's calls, so a user turn's
    // tool_result blocks become tool messages, followed by one user message with the rest of its content.
    private static void AddUserTurn(List<byte[]> messages, JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            messages.Add(Message("user", null, content.GetString()));
            return;
        }

        var parts = new List<byte[]>();
        var index = 0;
        foreach (var block in Blocks(content, path))
        {
            var blockPath = $"{path}[{index++}]";
            if (block.String("type") == "tool_result")
            {
                messages.Add(ToolMessage(block, blockPath));
            }
            else
            {
                parts.Add(Part(block, blockPath));
            }
        }

        if (parts.Count > 0)
        {
            messages.Add(Message("user", parts, null));
        }
    }

    private static byte[] AssistantTurn(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return Message("assistant", null, content.GetString());
        }

        var text = new List<byte[]>();
        var calls = new List<byte[]>();
        var index = 0;
        foreach (var block in Blocks(content, path))
        {
            var blockPath = $"{path}[{index++}]";
            if (block.String("type") == "tool_use")
            {
                calls.Add(ToolCall(block, blockPath));
            }
            else if (block.String("type") == "text")
            {
                text.Add(Part(block, blockPath));
            }
            else
            {
                throw new UntranslatableFieldException(blockPath + ".type", $"the assistant block type '{block.String("type")}' {Why}");
            }
        }

        return JsonBlocks.Build(json =>
        {
            json.WriteStartObject();
            json.WriteString("role", "assistant");
            if (text.Count > 0)
            {
                json.WriteStartArray("content");
                text.ForEach(part => json.WriteRawValue(part, skipInputValidation: true));
                json.WriteEndArray();
            }
            else
            {
                json.WriteNull("content");
            }

            if (calls.Count > 0)
            {
                json.WriteStartArray("tool_calls");
                calls.ForEach(call => json.WriteRawValue(call, skipInputValidation: true));
                json.WriteEndArray();
            }

            json.WriteEndObject();
        });
    }

    private static JsonElement.ArrayEnumerator Blocks(JsonElement content, string path) =>
        content.ValueKind == JsonValueKind.Array ? content.EnumerateArray() : throw new UntranslatableFieldException(path, "it must be a string or an array of content blocks");

    // One content part of a user message: text, or an image as a URL or a base64 data: URL.
    private static byte[] Part(JsonElement block, string path)
    {
        RequireOnly(block, path, "type", "text", "source", "cache_control");
        var type = block.String("type");
        return type switch
        {
            "text" => TextPart(block.RequiredString("text", path)),
            "image" => ImagePart(block.TryGet("source", out var source) ? source : throw new UntranslatableFieldException(path + ".source", "it is required"), path + ".source"),
            _ => throw new UntranslatableFieldException(path + ".type", $"the content block type '{type}' {Why}"),
        };
    }

    private static byte[] TextPart(string text) => JsonBlocks.Build(json =>
    {
        json.WriteStartObject();
        json.WriteString("type", "text");
        json.WriteString("text", text);
        json.WriteEndObject();
    });

    private static byte[] ImagePart(JsonElement source, string path)
    {
        var url = source.String("type") switch
        {
            "base64" => $"data:{source.RequiredString("media_type", path)};base64,{source.RequiredString("data", path)}",
            "url" => source.RequiredString("url", path),
            var other => throw new UntranslatableFieldException(path + ".type", $"the image source type '{other}' {Why}"),
        };
        return JsonBlocks.Build(json =>
        {
            json.WriteStartObject();
            json.WriteString("type", "image_url");
            json.WriteStartObject("image_url");
            json.WriteString("url", url);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    private static List<byte[]> TextParts(JsonElement blocks, string path)
    {
        var parts = new List<byte[]>();
        var index = 0;
        foreach (var block in Blocks(blocks, path))
        {
            var blockPath = $"{path}[{index++}]";
            if (block.String("type") != "text")
            {
                throw new UntranslatableFieldException(blockPath + ".type", "only text translates here");
            }

            parts.Add(Part(block, blockPath));
        }

        return parts;
    }

    private static byte[] ToolMessage(JsonElement block, string path)
    {
        RequireOnly(block, path, "type", "tool_use_id", "content", "is_error", "cache_control");
        if (block.TryGet("is_error", out var isError) && isError.ValueKind == JsonValueKind.True)
        {
            throw new UntranslatableFieldException(path + ".is_error", "OpenAI tool messages carry no error flag");
        }

        var id = block.RequiredString("tool_use_id", path);
        var content = block.TryGet("content", out var value) ? value : default;
        var parts = content.ValueKind == JsonValueKind.Array ? TextParts(content, path + ".content") : null;
        return JsonBlocks.Build(json =>
        {
            json.WriteStartObject();
            json.WriteString("role", "tool");
            json.WriteString("tool_call_id", id);
            if (parts is not null)
            {
                json.WriteStartArray("content");
                parts.ForEach(part => json.WriteRawValue(part, skipInputValidation: true));
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("content", content.ValueKind == JsonValueKind.String ? content.GetString() : "");
            }

            json.WriteEndObject();
        });
    }

    private static byte[] ToolCall(JsonElement block, string path)
    {
        RequireOnly(block, path, "type", "id", "name", "input", "cache_control");
        var input = block.TryGet("input", out var value) ? value.GetRawText() : "{}";
        return JsonBlocks.Build(json =>
        {
            json.WriteStartObject();
            json.WriteString("id", block.RequiredString("id", path));
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", block.RequiredString("name", path));
            json.WriteString("arguments", input);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    private static byte[] Message(string role, List<byte[]>? parts, string? text) => JsonBlocks.Build(json =>
    {
        json.WriteStartObject();
        json.WriteString("role", role);
        if (parts is null)
        {
            json.WriteString("content", text);
        }
        else
        {
            json.WriteStartArray("content");
            parts.ForEach(part => json.WriteRawValue(part, skipInputValidation: true));
            json.WriteEndArray();
        }

        json.WriteEndObject();
    });

    private static void WriteStop(Utf8JsonWriter json, JsonElement root)
    {
        if (!root.TryGet("stop_sequences", out var stop))
        {
            return;
        }

        if (stop.ValueKind != JsonValueKind.Array || stop.GetArrayLength() > MaxStopSequences)
        {
            throw new UntranslatableFieldException("stop_sequences", $"OpenAI accepts at most {MaxStopSequences} stop sequences");
        }

        json.WritePropertyName("stop");
        stop.WriteTo(json);
    }

    private static void WriteTools(Utf8JsonWriter json, JsonElement root)
    {
        if (root.TryGet("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
        {
            json.WriteStartArray("tools");
            var index = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                var path = $"tools[{index++}]";
                if (tool.String("type") is { } type && type != "custom")
                {
                    throw new UntranslatableFieldException(path + ".type", $"the server tool '{type}' {Why}");
                }

                RequireOnly(tool, path, "type", "name", "description", "input_schema", "cache_control");
                json.WriteStartObject();
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", tool.RequiredString("name", path));
                if (tool.String("description") is { } description)
                {
                    json.WriteString("description", description);
                }

                if (tool.TryGet("input_schema", out var schema))
                {
                    json.WritePropertyName("parameters");
                    schema.WriteTo(json);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (!root.TryGet("tool_choice", out var choice))
        {
            return;
        }

        RequireOnly(choice, "tool_choice", "type", "name", "disable_parallel_tool_use");
        var kind = choice.String("type");
        switch (kind)
        {
            case "auto" or "any" or "none":
                json.WriteString("tool_choice", kind == "any" ? "required" : kind);
                break;
            case "tool":
                json.WriteStartObject("tool_choice");
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", choice.RequiredString("name", "tool_choice"));
                json.WriteEndObject();
                json.WriteEndObject();
                break;
            default:
                throw new UntranslatableFieldException("tool_choice.type", $"the choice '{kind}' {Why}");
        }

        if (choice.TryGet("disable_parallel_tool_use", out var disable) && disable.ValueKind == JsonValueKind.True && kind != "none")
        {
            json.WriteBoolean("parallel_tool_calls", false);
        }
    }

    private static void RequireOnly(JsonElement element, string path, params string[] allowed)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null && Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new UntranslatableFieldException($"{path}.{property.Name}", Why);
            }
        }
    }
}
