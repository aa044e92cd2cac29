using System.Globalization;
using System.Text.Json;
using Gateway.Simulation;
using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// Reads the body of <c>POST /simulator/providers/{name}</c> strictly: a JSON object with <c>mode</c>, one of the
/// names <see cref="FaultMode"/> is written with, and an optional <c>count</c> from 1 to <see cref="MaxCount"/>.
/// A number for <c>mode</c>, an unknown name or an unknown field is a 400 that lists what is allowed.
/// </summary>
internal static class FaultRequestReader
{
    /// <summary>The largest body the endpoint reads.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The largest <c>count</c>.</summary>
    public const int MaxCount = 1_000_000;

    // The names the state endpoints write, taken from the same serializer, so reading and writing never disagree.
    private static readonly (string Name, FaultMode Mode)[] Modes =
        [.. Enum.GetValues<FaultMode>().Select(mode => (JsonSerializer.Serialize(mode, GatewayJsonContext.Default.FaultMode).Trim('"'), mode))];

    /// <summary>The allowed mode names, for messages: <c>healthy, failing, rate_limited, timeout</c>.</summary>
    public static string ModeNames { get; } = string.Join(", ", Modes.Select(mode => mode.Name));

    /// <summary>The request, or null with the status and error to answer.</summary>
    public static async Task<(FaultRequest? Request, int Status, RequestError? Error)> ReadAsync(HttpRequest request)
    {
        var (document, status, error) = await JsonRequestBody.ReadObjectAsync(request, MaxBodyBytes);
        if (document is null)
        {
            return (null, status, error);
        }

        using (document)
        {
            var fault = Read(document.RootElement, out error);
            return fault is null ? (null, StatusCodes.Status400BadRequest, error) : (fault, StatusCodes.Status200OK, null);
        }
    }

    private static FaultRequest? Read(JsonElement root, out RequestError? error)
    {
        error = null;
        FaultMode? mode = null;
        int? count = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "mode" when value.ValueKind == JsonValueKind.String && Find(value.GetString()!) is { } found:
                    mode = found;
                    break;
                case "mode":
                    error = new(ApiErrorKind.InvalidRequest, $"The 'mode' field must be one of {ModeNames}.", "mode");
                    return null;
                case "count" when value.ValueKind == JsonValueKind.Null:
                    break;
                case "count" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var asked) && asked is >= 1 and <= MaxCount:
                    count = asked;
                    break;
                case "count":
                    error = new(
                        ApiErrorKind.InvalidRequest,
                        string.Create(CultureInfo.InvariantCulture, $"The 'count' field must be a whole number from 1 to {MaxCount}, or left out to keep the mode until changed."),
                        "count");
                    return null;
                default:
                    error = new(
                        ApiErrorKind.InvalidRequest,
                        $"Unknown field '{EchoedText.Cut(property.Name)}'; the body takes only 'mode' and 'count'.",
                        EchoedText.Cut(property.Name));
                    return null;
            }
        }

        if (mode is null)
        {
            error = new(ApiErrorKind.InvalidRequest, $"The 'mode' field is required: one of {ModeNames}.", "mode");
            return null;
        }

        return new FaultRequest(mode.Value, count);
    }

    private static FaultMode? Find(string name)
    {
        foreach (var (known, mode) in Modes)
        {
            if (known == name)
            {
                return mode;
            }
        }

        return null;
    }
}
