using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Surfaces;

/// <summary>What the gateway needs from a client's LLM request, and the body it forwards upstream.</summary>
internal sealed class LlmRequest
{
    private static readonly byte[] StreamUsageProperty = "\"stream_options\":{\"include_usage\":true},"u8.ToArray();

    private LlmRequest(string model, bool stream, byte[] body, byte[] forwardBody)
    {
        Model = model;
        Stream = stream;
        Body = body;
        ForwardBody = forwardBody;
    }

    /// <summary>The requested model.</summary>
    public string Model { get; }

    /// <summary>Whether the client asked for Server-Sent Events.</summary>
    public bool Stream { get; }

    /// <summary>The body as the client sent it, which translations start from.</summary>
    public byte[] Body { get; }

    /// <summary>The body sent upstream: the client's bytes, except where the gateway asks for usage in a stream.</summary>
    public byte[] ForwardBody { get; }

    /// <summary>Whether the gateway asked for stream usage the client did not, so the stream must not show it.</summary>
    public bool AddedStreamUsage => !ReferenceEquals(Body, ForwardBody);

    /// <summary>
    /// Reads <paramref name="body"/> as a request to <paramref name="surface"/>, or explains why it is not one:
    /// the body must be strict JSON (<see cref="JsonRequestBody"/>) whose fields pass <see cref="RequestFieldChecks"/>.
    /// With <paramref name="askForStreamUsage"/>, a streaming OpenAI Chat request that does not ask for usage is
    /// rewritten to ask for it.
    /// </summary>
    public static bool TryParse(
        byte[] body,
        ApiSurface surface,
        bool askForStreamUsage,
        int maxOutputTokens,
        [NotNullWhen(true)] out LlmRequest? request,
        [NotNullWhen(false)] out RequestError? error)
    {
        request = null;
        if (!JsonRequestBody.TryParseObject(body, out var document, out error))
        {
            return false;
        }

        using var parsed = document;
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString() is not { Length: > 0 } modelName)
        {
            error = new(ApiErrorKind.InvalidRequest, "The 'model' field is required and must be a non-empty string.", "model");
            return false;
        }

        if (!HasInput(root, surface))
        {
            error = new(
                ApiErrorKind.InvalidRequest,
                surface.InputField == "input"
                    ? "The 'input' field is required and must be a string or an array."
                    : "The 'messages' field is required and must be an array.",
                surface.InputField);
            return false;
        }

        error = RequestFieldChecks.Check(root, maxOutputTokens);
        if (error is not null)
        {
            return false;
        }

        var stream = surface.Generates && root.TryGetProperty("stream", out var streamFlag) && streamFlag.ValueKind == JsonValueKind.True;
        var forward = askForStreamUsage && stream && surface == ApiSurface.OpenAIChat && !IncludesUsage(root) ? WithStreamUsage(body, root) : body;
        request = new LlmRequest(modelName, stream, body, forward);
        return true;
    }

    private static bool HasInput(JsonElement root, ApiSurface surface)
    {
        if (!root.TryGetProperty(surface.InputField, out var input))
        {
            return false;
        }

        return input.ValueKind == JsonValueKind.Array || (surface == ApiSurface.OpenAIResponses && input.ValueKind == JsonValueKind.String);
    }

    private static bool IncludesUsage(JsonElement root) =>
        root.TryGetProperty("stream_options", out var options)
        && options.ValueKind == JsonValueKind.Object
        && options.TryGetProperty("include_usage", out var include)
        && include.ValueKind == JsonValueKind.True;

    // OpenAI reports a stream's token usage only when asked to; the gateway asks, so that streamed tokens are counted,
    // and takes the usage out of the stream again (UsageChunkFilter) so the client gets what it asked for. Without stream_options the
    // property is spliced in after the opening brace, sparing a parse and a rewrite; the object is known to hold "model".
    private static byte[] WithStreamUsage(byte[] body, JsonElement root)
    {
        if (!root.TryGetProperty("stream_options", out _))
        {
            var start = body.AsSpan().IndexOf((byte)'{') + 1;
            return [.. body.AsSpan(0, start), .. StreamUsageProperty, .. body.AsSpan(start)];
        }

        var node = JsonNode.Parse(body)!.AsObject();
        if (node["stream_options"] is JsonObject options)
        {
            options["include_usage"] = true;
        }
        else
        {
            node["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
