using System.Globalization;
using System.Text.Json;

namespace Gateway.Surfaces;

/// <summary>
/// The field checks the gateway makes itself, because it acts on these fields or they set what a request may cost:
/// <c>stream</c> must be a boolean, and each output token limit (<c>max_tokens</c>, <c>max_completion_tokens</c>,
/// <c>max_output_tokens</c>) a whole number from 1 to the configured maximum. <c>null</c> stands for "not given", as
/// the APIs define it. Everything else is the provider's to judge.
/// </summary>
internal static class RequestFieldChecks
{
    private static readonly string[] OutputTokenFields = ["max_tokens", "max_completion_tokens", "max_output_tokens"];

    /// <summary>The first field of <paramref name="root"/> that breaks a rule, or null when all pass.</summary>
    public static RequestError? Check(JsonElement root, int maxOutputTokens)
    {
        if (root.TryGetProperty("stream", out var stream) && stream.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            return new(ApiErrorKind.InvalidRequest, "The 'stream' field must be true or false.", "stream");
        }

        foreach (var field in OutputTokenFields)
        {
            if (root.TryGetProperty(field, out var limit) && limit.ValueKind != JsonValueKind.Null
                && !(limit.ValueKind == JsonValueKind.Number && limit.TryGetInt64(out var tokens) && tokens >= 1 && tokens <= maxOutputTokens))
            {
                return new(
                    ApiErrorKind.InvalidRequest,
                    string.Create(CultureInfo.InvariantCulture, $"The '{field}' field must be a whole number from 1 to {maxOutputTokens}."),
                    field);
            }
        }

        return null;
    }
}
