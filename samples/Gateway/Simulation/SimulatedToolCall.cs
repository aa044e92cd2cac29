using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Simulation;

/// <summary>
/// The tool call a simulated provider makes when the request forces one, as the real models do: OpenAI's
/// <c>tool_choice: "required"</c> or a named function, Anthropic's <c>{"type":"any"}</c> or <c>{"type":"tool"}</c>.
/// The arguments fill every property of the tool's JSON schema with a fixed value of its type (a string
/// <c>"simulated"</c>, or its enum's first value; 1; true; [] or {}), and stream in fragments of 8 characters.
/// </summary>
internal sealed class SimulatedToolCall
{
    private const int FragmentLength = 8;

    private SimulatedToolCall(string name, string arguments)
    {
        Name = name;
        Arguments = arguments;
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        Id = suffix;
        var fragments = new List<string>();
        for (var i = 0; i < arguments.Length; i += FragmentLength)
        {
            fragments.Add(arguments.Substring(i, Math.Min(FragmentLength, arguments.Length - i)));
        }

        Fragments = fragments;
    }

    /// <summary>The called tool.</summary>
    public string Name { get; }

    /// <summary>The random part of the call's ids (<c>call_</c>, <c>fc_</c>, <c>toolu_</c>).</summary>
    public string Id { get; }

    /// <summary>The arguments, a JSON object.</summary>
    public string Arguments { get; }

    /// <summary>The arguments as streamed, one fragment per output token.</summary>
    public IReadOnlyList<string> Fragments { get; }

    /// <summary>The forced tool call of the request <paramref name="root"/> to <paramref name="surface"/>, or null when it forces none.</summary>
    public static SimulatedToolCall? Find(JsonElement root, ApiSurface surface)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0
            || !root.TryGetProperty("tool_choice", out var choice))
        {
            return null;
        }

        var forcedName = ForcedName(choice, surface, out var forcesAny);
        if (forcedName is null && !forcesAny)
        {
            return null;
        }

        foreach (var tool in tools.EnumerateArray())
        {
            var (name, schema) = Definition(tool, surface);
            if (name is not null && (forcedName is null || name == forcedName))
            {
                return new SimulatedToolCall(name, ArgumentsFor(schema));
            }
        }

        return null;
    }

    private static string? ForcedName(JsonElement choice, ApiSurface surface, out bool forcesAny)
    {
        forcesAny = false;
        if (surface.Style == Configuration.ProviderStyle.Anthropic)
        {
            var type = choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("type", out var typeValue) ? typeValue.GetString() : null;
            forcesAny = type == "any";
            return type == "tool" && choice.TryGetProperty("name", out var name) ? name.GetString() : null;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            forcesAny = choice.GetString() == "required";
            return null;
        }

        if (choice.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        // Chat nests the name under "function"; Responses puts it beside the type.
        if (choice.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name", out var nested))
        {
            return nested.GetString();
        }

        return choice.TryGetProperty("name", out var flat) ? flat.GetString() : null;
    }

    private static (string? Name, JsonElement Schema) Definition(JsonElement tool, ApiSurface surface)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            return (null, default);
        }

        var holder = surface == ApiSurface.OpenAIChat && tool.TryGetProperty("function", out var function) ? function : tool;
        var schemaField = surface.Style == Configuration.ProviderStyle.Anthropic ? "input_schema" : "parameters";
        var name = holder.TryGetProperty("name", out var nameValue) && nameValue.ValueKind == JsonValueKind.String ? nameValue.GetString() : null;
        return (name, holder.TryGetProperty(schemaField, out var schema) ? schema : default);
    }

    private static string ArgumentsFor(JsonElement schema)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, ApiJson.WriterOptions))
        {
            WriteValue(json, schema, asObject: true);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter json, JsonElement schema, bool asObject)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(json);
            return;
        }

        var type = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var typeValue) && typeValue.ValueKind == JsonValueKind.String
            ? typeValue.GetString()
            : asObject ? "object" : "string";
        switch (type)
        {
            case "object":
                json.WriteStartObject();
                if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        json.WritePropertyName(property.Name);
                        WriteValue(json, property.Value, asObject: false);
                    }
                }

                json.WriteEndObject();
                break;
            case "array":
                json.WriteStartArray();
                json.WriteEndArray();
                break;
            case "integer" or "number":
                json.WriteNumberValue(1);
                break;
            case "boolean":
                json.WriteBooleanValue(true);
                break;
            case "null":
                json.WriteNullValue();
                break;
            default:
                json.WriteStringValue("simulated");
                break;
        }
    }
}
