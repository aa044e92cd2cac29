using System.Globalization;
using System.Text.Json;
using Gateway.Configuration;
using Gateway.Surfaces;

namespace Gateway.Translation;

/// <summary>
/// Translates OpenAI Chat Completions and OpenAI Responses requests into Anthropic Messages requests: system and
/// developer messages (or <c>instructions</c>) become <c>system</c>, the conversation becomes <c>messages</c> (text,
/// images, tool calls as <c>tool_use</c> and tool results as <c>tool_result</c>), and the token limit, temperature,
/// top_p, stop sequences, tools, tool_choice, parallel_tool_calls and user carry over. Every other field, and every
/// value the Messages API cannot express, raises <see cref="UntranslatableFieldException"/>.
/// </summary>
internal static class OpenAIToAnthropicRequest
{
    /// <summary>
    /// The <c>max_tokens</c> sent when the OpenAI request sets no limit, since Anthropic requires one; lowered to the
    /// gateway's own output token limit where that is lower.
    /// </summary>
    public const int DefaultMaxTokens = 4096;

    private const string Why = "the Anthropic Messages API has no equivalent";

    /// <summary>
    /// Translates the request <paramref name="root"/> to <paramref name="surface"/> into a Messages request for
    /// <paramref name="model"/>; <paramref name="outputTokenLimit"/> is the most output tokens the gateway lets a request ask for.
    /// </summary>
    public static byte[] Translate(JsonElement root, ApiSurface surface, string model, int outputTokenLimit, TranslationContext context)
    {
        var system = new List<byte[]>();
        var messages = new AnthropicMessageList();
        var isChat = surface == ApiSurface.OpenAIChat;
        var plan = isChat ? ReadChat(root, system, messages, context) : ReadResponses(root, system, messages, context);
        return JsonBlocks.Build(json =>
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteNumber("max_tokens", plan.MaxTokens ?? Math.Min(DefaultMaxTokens, outputTokenLimit));
            if (system.Count > 0)
            {
                json.WriteStartArray("system");
                system.ForEach(block => json.WriteRawValue(block, skipInputValidation: true));
                json.WriteEndArray();
            }

            messages.WriteTo(json);
            WriteSampling(json, root, plan);
            if (plan.Stream)
            {
                json.WriteBoolean("stream", true);
            }

            WriteTools(json, root, isChat, plan.ParallelToolCalls);
            if (root.String("user") is { } user)
            {
                json.WriteStartObject("metadata");
                json.WriteString("user_id", user);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        });
    }

    private static RequestPlan ReadChat(JsonElement root, List<byte[]> system, AnthropicMessageList messages, TranslationContext context)
    {
        var plan = new RequestPlan();
        foreach (var property in root.SetFields())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "model" or "temperature" or "top_p" or "tools" or "tool_choice" or "user":
                    break;
                case "messages":
                    ReadChatMessages(value, system, messages);
                    break;
                case "max_completion_tokens" or "max_tokens":
                    plan.MaxTokens ??= PositiveInt(value, property.Name);
                    break;
                case "stop":
                    plan.Stop = value;
                    break;
                case "stream":
                    plan.Stream = value.ValueKind == JsonValueKind.True;
                    break;
                case "stream_options":
                    context.IncludeUsage = value.TryGet("include_usage", out var include) && include.ValueKind == JsonValueKind.True;
                    RequireOnly(value, "stream_options", "include_usage", "include_obfuscation");
                    break;
                case "parallel_tool_calls":
                    plan.ParallelToolCalls = value.ValueKind != JsonValueKind.False;
                    break;
                case "n":
                    RequireValue(value, "n", v => v.ValueKind == JsonValueKind.Number && v.GetDouble() == 1, "Anthropic returns one answer per request");
                    break;
                default:
                    RequireDefault(property);
                    break;
            }
        }

        return plan;
    }

    private static RequestPlan ReadResponses(JsonElement root, List<byte[]> system, AnthropicMessageList messages, TranslationContext context)
    {
        var plan = new RequestPlan();
        foreach (var property in root.SetFields())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "model" or "tools" or "tool_choice" or "user":
                    break;
                case "temperature" or "top_p" or "parallel_tool_calls":
                    context.Echo[property.Name] = Raw(value);
                    plan.ParallelToolCalls = property.Name != "parallel_tool_calls" ? plan.ParallelToolCalls : value.ValueKind != JsonValueKind.False;
                    break;
                case "input":
                    ReadResponsesInput(value, system, messages);
                    break;
                case "instructions":
                    context.Echo["instructions"] = Raw(value);
                    system.Insert(0, TextBlock(value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new UntranslatableFieldException("instructions", "it must be a string")));
                    break;
                case "max_output_tokens":
                    context.Echo["max_output_tokens"] = Raw(value);
                    plan.MaxTokens = PositiveInt(value, "max_output_tokens");
                    break;
                case "stream":
                    plan.Stream = value.ValueKind == JsonValueKind.True;
                    break;
                case "store":
                    RequireValue(value, "store", v => v.ValueKind == JsonValueKind.False, "the Anthropic Messages API stores no responses; send store: false");
                    break;
                case "truncation":
                    RequireValue(value, "truncation", v => v.ValueKind == JsonValueKind.String && v.GetString() == "disabled", Why);
                    break;
                case "text":
                    RequireValue(value, "text", IsPlainTextFormat, "only plain text output translates");
                    break;
                case "include":
                    RequireValue(value, "include", v => v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0, Why);
                    break;
                case "stream_options":
                    RequireOnly(value, "stream_options", "include_obfuscation");
                    break;
                default:
                    RequireDefault(property);
                    break;
            }
        }

        if (root.TryGet("tools", out _))
        {
            context.Echo["tools"] = Raw(root.GetProperty("tools"));
        }

        if (root.TryGet("tool_choice", out var choice))
        {
            context.Echo["tool_choice"] = Raw(choice);
        }

        return plan;
    }

    // Fields that are harmless at their default values (and that SDKs may send as such) translate as absent.
    private static void RequireDefault(JsonProperty property)
    {
        var value = property.Value;
        var isDefault = property.Name switch
        {
            "service_tier" => value.ValueKind == JsonValueKind.String && value.GetString() is "auto" or "default",
            "logprobs" => value.ValueKind == JsonValueKind.False,
            "store" => value.ValueKind == JsonValueKind.False,
            "modalities" => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1 && value[0].GetString() == "text",
            "response_format" => value.String("type") == "text",
            "metadata" => value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any(),
            _ => false,
        };
        if (!isDefault)
        {
            throw new UntranslatableFieldException(property.Name, Why);
        }
    }

    private static void ReadChatMessages(JsonElement messages, List<byte[]> system, AnthropicMessageList turns)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw new UntranslatableFieldException("messages", "it must be an array");
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            var role = message.RequiredString("role", path);
            foreach (var field in message.EnumerateObject())
            {
                if (field.Value.ValueKind != JsonValueKind.Null && field.Name is not ("role" or "content" or "tool_calls" or "tool_call_id" or "refusal"))
                {
                    throw new UntranslatableFieldException($"{path}.{field.Name}", Why);
                }
            }

            switch (role)
            {
                case "system" or "developer":
                    system.AddRange(TextBlocksOf(message, path));
                    break;
                case "user":
                    turns.Add("user", ContentBlocks(message.TryGet("content", out var content) ? content : default, path + ".content"));
                    break;
                case "assistant":
                    turns.Add("assistant", AssistantBlocks(message, path));
                    break;
                case "tool":
                    turns.Add("user", [ToolResult(message.RequiredString("tool_call_id", path), message.TryGet("content", out var result) ? result : default, path + ".content")]);
                    break;
                default:
                    throw new UntranslatableFieldException(path + ".role", $"the role '{role}' {Why}");
            }
        }
    }

    private static void ReadResponsesInput(JsonElement input, List<byte[]> system, AnthropicMessageList turns)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            turns.Add("user", [TextBlock(input.GetString()!)]);
            return;
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            throw new UntranslatableFieldException("input", "it must be a string or an array");
        }

        var index = 0;
        foreach (var item in input.EnumerateArray())
        {
            var path = $"input[{index++}]";
            switch (item.String("type") ?? "message")
            {
                case "message":
                    var role = item.RequiredString("role", path);
                    if (role is "system" or "developer")
                    {
                        system.AddRange(TextBlocksOf(item, path));
                    }
                    else if (role is "user" or "assistant")
                    {
                        turns.Add(role, ContentBlocks(item.TryGet("content", out var content) ? content : default, path + ".content"));
                    }
                    else
                    {
                        throw new UntranslatableFieldException(path + ".role", $"the role '{role}' {Why}");
                    }

                    break;
                case "function_call":
                    turns.Add("assistant", [ToolUse(item.RequiredString("call_id", path), item.RequiredString("name", path), item.RequiredString("arguments", path), path + ".arguments")]);
                    break;
                case "function_call_output":
                    turns.Add("user", [ToolResult(item.RequiredString("call_id", path), item.TryGet("output", out var output) ? output : default, path + ".output")]);
                    break;
                default:
                    throw new UntranslatableFieldException(path + ".type", $"the input item type '{item.String("type")}' {Why}");
            }
        }
    }

    private static List<byte[]> TextBlocksOf(JsonElement message, string path)
    {
        var blocks = ContentBlocks(message.TryGet("content", out var content) ? content : default, path + ".content");
        foreach (var block in blocks)
        {
            using var parsed = JsonDocument.Parse(block);
            if (parsed.RootElement.String("type") != "text")
            {
                throw new UntranslatableFieldException(path + ".content", "system instructions must be text");
            }
        }

        return blocks;
    }

    // A content string, or an array of Chat parts (text, image_url) or Responses parts (input_text, output_text, input_image).
    private static List<byte[]> ContentBlocks(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return [TextBlock(content.GetString()!)];
        }

        if (content.ValueKind == JsonValueKind.Undefined)
        {
            return [];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new UntranslatableFieldException(path, "it must be a string or an array of parts");
        }

        var blocks = new List<byte[]>();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            var type = part.RequiredString("type", partPath);
            switch (type)
            {
                case "text" or "input_text" or "output_text":
                    blocks.Add(TextBlock(part.RequiredString("text", partPath)));
                    break;
                case "image_url":
                    var image = part.TryGet("image_url", out var imageUrl) ? imageUrl : throw new UntranslatableFieldException(partPath + ".image_url", "it is required");
                    blocks.Add(ImageBlock(image.RequiredString("url", partPath + ".image_url"), image.String("detail"), partPath + ".image_url"));
                    break;
                case "input_image":
                    blocks.Add(ImageBlock(part.String("image_url") ?? throw new UntranslatableFieldException(partPath + ".file_id", Why), part.String("detail"), partPath));
                    break;
                default:
                    throw new UntranslatableFieldException(partPath + ".type", $"the content type '{type}' {Why}");
            }
        }

        return blocks;
    }

    private static List<byte[]> AssistantBlocks(JsonElement message, string path)
    {
        var blocks = ContentBlocks(message.TryGet("content", out var content) ? content : default, path + ".content");
        if (message.TryGet("refusal", out var refusal) && refusal.ValueKind == JsonValueKind.String)
        {
            throw new UntranslatableFieldException(path + ".refusal", Why);
        }

        if (message.TryGet("tool_calls", out var calls))
        {
            var index = 0;
            foreach (var call in calls.EnumerateArray())
            {
                var callPath = $"{path}.tool_calls[{index++}]";
                if (call.String("type") is { } type && type != "function")
                {
                    throw new UntranslatableFieldException(callPath + ".type", $"the tool call type '{type}' {Why}");
                }

                var function = call.TryGet("function", out var f) ? f : throw new UntranslatableFieldException(callPath + ".function", "it is required");
                blocks.Add(ToolUse(call.RequiredString("id", callPath), function.RequiredString("name", callPath + ".function"), function.RequiredString("arguments", callPath + ".function"), callPath + ".function.arguments"));
            }
        }

        return blocks;
    }

    private static byte[] TextBlock(string text) => JsonBlocks.Build(json =>
    {
        json.WriteStartObject();
        json.WriteString("type", "text");
        json.WriteString("text", text);
        json.WriteEndObject();
    });

    // data: URLs become base64 sources, anything else a URL source; a detail other than the default has no equivalent.
    private static byte[] ImageBlock(string url, string? detail, string path)
    {
        if (detail is not (null or "auto"))
        {
            throw new UntranslatableFieldException(path + ".detail", Why);
        }

        return JsonBlocks.Build(json =>
        {
            json.WriteStartObject();
            json.WriteString("type", "image");
            json.WriteStartObject("source");
            if (url.StartsWith("data:", StringComparison.Ordinal))
            {
                var comma = url.IndexOf(',', StringComparison.Ordinal);
                var header = comma > 0 ? url[5..comma] : "";
                if (!header.EndsWith(";base64", StringComparison.Ordinal))
                {
                    throw new UntranslatableFieldException(path + ".url", "a data URL must be base64-encoded");
                }

                json.WriteString("type", "base64");
                json.WriteString("media_type", header[..^";base64".Length]);
                json.WriteString("data", url[(comma + 1)..]);
            }
            else
            {
                json.WriteString("type", "url");
                json.WriteString("url", url);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    private static byte[] ToolUse(string id, string name, string arguments, string path)
    {
        JsonDocument input;
        try
        {
            input = JsonDocument.Parse(arguments.Length == 0 ? "{}" : arguments);
        }
        catch (JsonException)
        {
            throw new UntranslatableFieldException(path, "the arguments are not valid JSON");
        }

        using (input)
        {
            if (input.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UntranslatableFieldException(path, "Anthropic tool input must be a JSON object");
            }

            var root = input.RootElement;
            return JsonBlocks.Build(json =>
            {
                json.WriteStartObject();
                json.WriteString("type", "tool_use");
                json.WriteString("id", id);
                json.WriteString("name", name);
                json.WritePropertyName("input");
                root.WriteTo(json);
                json.WriteEndObject();
            });
        }
    }

    private static byte[] ToolResult(string callId, JsonElement content, string path)
    {
        var blocks = ContentBlocks(content, path);
        return JsonBlocks.Build(json =>
        {
            json.WriteStartObject();
            json.WriteString("type", "tool_result");
            json.WriteString("tool_use_id", callId);
            json.WriteStartArray("content");
            blocks.ForEach(block => json.WriteRawValue(block, skipInputValidation: true));
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static void WriteSampling(Utf8JsonWriter json, JsonElement root, RequestPlan plan)
    {
        if (root.TryGet("temperature", out var temperature))
        {
            if (temperature.ValueKind != JsonValueKind.Number || temperature.GetDouble() is < 0 or > 1)
            {
                throw new UntranslatableFieldException("temperature", "Anthropic accepts a temperature from 0 to 1");
            }

            json.WritePropertyName("temperature");
            temperature.WriteTo(json);
        }

        if (root.TryGet("top_p", out var topP))
        {
            json.WritePropertyName("top_p");
            topP.WriteTo(json);
        }

        if (plan.Stop is { } stop)
        {
            json.WriteStartArray("stop_sequences");
            if (stop.ValueKind == JsonValueKind.String)
            {
                json.WriteStringValue(stop.GetString());
            }
            else if (stop.ValueKind == JsonValueKind.Array)
            {
                foreach (var sequence in stop.EnumerateArray())
                {
                    json.WriteStringValue(sequence.ValueKind == JsonValueKind.String ? sequence.GetString() : throw new UntranslatableFieldException("stop", "stop sequences must be strings"));
                }
            }
            else
            {
                throw new UntranslatableFieldException("stop", "it must be a string or an array of strings");
            }

            json.WriteEndArray();
        }
    }

    // Chat nests a function's name, description and parameters under "function"; Responses puts them beside its type.
    private static void WriteTools(Utf8JsonWriter json, JsonElement root, bool isChat, bool parallelToolCalls)
    {
        var hasTools = root.TryGet("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0;
        if (hasTools)
        {
            json.WriteStartArray("tools");
            var index = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                var path = $"tools[{index++}]";
                var type = tool.String("type");
                if (type != "function")
                {
                    throw new UntranslatableFieldException(path + ".type", $"the tool type '{type}' {Why}");
                }

                var definition = isChat ? (tool.TryGet("function", out var function) ? function : throw new UntranslatableFieldException(path + ".function", "it is required")) : tool;
                var definitionPath = isChat ? path + ".function" : path;
                if (definition.TryGet("strict", out var strict) && strict.ValueKind == JsonValueKind.True)
                {
                    throw new UntranslatableFieldException(definitionPath + ".strict", "Anthropic does not enforce a tool's schema strictly; send strict: false");
                }

                json.WriteStartObject();
                json.WriteString("name", definition.RequiredString("name", definitionPath));
                if (definition.String("description") is { } description)
                {
                    json.WriteString("description", description);
                }

                json.WritePropertyName("input_schema");
                if (definition.TryGet("parameters", out var parameters))
                {
                    parameters.WriteTo(json);
                }
                else
                {
                    json.WriteRawValue("{\"type\":\"object\",\"properties\":{}}"u8, skipInputValidation: true);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        WriteToolChoice(json, root, isChat, parallelToolCalls && hasTools ? null : hasTools);
    }

    // disableParallel: null when parallel calls are allowed; otherwise whether tools exist to apply the limit to.
    private static void WriteToolChoice(Utf8JsonWriter json, JsonElement root, bool isChat, bool? disableParallel)
    {
        string type;
        string? name = null;
        if (!root.TryGet("tool_choice", out var choice))
        {
            if (disableParallel != true)
            {
                return;
            }

            type = "auto";
        }
        else if (choice.ValueKind == JsonValueKind.String)
        {
            type = choice.GetString() switch
            {
                "auto" => "auto",
                "required" => "any",
                "none" => "none",
                var other => throw new UntranslatableFieldException("tool_choice", $"the choice '{other}' {Why}"),
            };
        }
        else
        {
            if (choice.String("type") != "function")
            {
                throw new UntranslatableFieldException("tool_choice.type", $"the choice type '{choice.String("type")}' {Why}");
            }

            type = "tool";
            name = isChat
                ? (choice.TryGet("function", out var function) ? function.RequiredString("name", "tool_choice.function") : throw new UntranslatableFieldException("tool_choice.function", "it is required"))
                : choice.RequiredString("name", "tool_choice");
        }

        json.WriteStartObject("tool_choice");
        json.WriteString("type", type);
        if (name is not null)
        {
            json.WriteString("name", name);
        }

        if (disableParallel == true && type != "none")
        {
            json.WriteBoolean("disable_parallel_tool_use", true);
        }

        json.WriteEndObject();
    }

    private static int PositiveInt(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0
            ? number
            : throw new UntranslatableFieldException(field, "it must be a positive integer");

    private static void RequireValue(JsonElement value, string field, Func<JsonElement, bool> acceptable, string reason)
    {
        if (!acceptable(value))
        {
            throw new UntranslatableFieldException(field, reason);
        }
    }

    private static void RequireOnly(JsonElement value, string field, params string[] allowed)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new UntranslatableFieldException(field, "it must be an object");
        }

        foreach (var property in value.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new UntranslatableFieldException($"{field}.{property.Name}", Why);
            }
        }
    }

    private static bool IsPlainTextFormat(JsonElement text) =>
        text.ValueKind == JsonValueKind.Object && text.EnumerateObject().All(property =>
            property.Name == "format" ? property.Value.String("type") == "text" : property.Value.ValueKind == JsonValueKind.Null);

    private static byte[] Raw(JsonElement value) => System.Text.Encoding.UTF8.GetBytes(value.GetRawText());

    private sealed class RequestPlan
    {
        public int? MaxTokens { get; set; }

        public bool Stream { get; set; }

        public JsonElement? Stop { get; set; }

        public bool ParallelToolCalls { get; set; } = true;
    }
}
